"""How long each answer is, on the real responses: ``python -m skill.tools.generators.voice_table``.

Every row is a short script said to the skill through the simulator (local NLU, real
request envelopes, the Lambda entry point, a throw-away SQLite store, the fake Alexa API on
127.0.0.1); the last answer is measured. Words are the spoken words without the counted
hold; "before the count" is what the person hears before a hold starts (the set-up); seconds
are the whole answer at :data:`skill.core.ssml.WORDS_PER_SECOND` with its pauses and hold.
docs/voice-design.md embeds the table, and tests/test_voice_design.py regenerates it and
checks both that it matches and that the answers keep to their limits.
"""

from __future__ import annotations

import functools
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from skill.alexa.builder import build_skill
from skill.core.catalogue import catalogue_for
from skill.hosts.lambda_handler import invoke
from skill.settings import Settings
from skill.store.sqlite import SQLiteAdapter
from skill.tools.simulator.conversation import Conversation
from skill.tools.simulator.countdown import find_hold
from skill.tools.simulator.device import Simulator
from skill.tools.simulator.envelopes import EnvelopeFactory
from skill.tools.simulator.fake_alexa_api import TOKEN, FakeAlexaApi, allow_local_api
from skill.tools.simulator.transcript import Segment, segments

_RELIEF = "tell cramp coach my hamstring is cramping"
_STRETCH = "ask cramp coach to start a stretch session"
_WARM = "ask cramp coach to warm me up"
_COOL = "ask cramp coach to start a cool-down"


@dataclass(frozen=True)
class Row:
    """One answer: what it is, the script that reaches it, and its word limit (if any)."""

    answer: str
    script: tuple[str, ...]
    #: The most words allowed (all words, or only those before the count if ``setup``).
    limit: int | None = None
    setup: bool = False
    #: A routine's ending, said after its last step in the same answer (issue 23): the
    #: limit is on the words from the routine's recap on.
    ending: str | None = None


ROWS: tuple[Row, ...] = (
    Row("launch", ("open cramp coach",), limit=15),
    Row("launch, then yes: first instruction", ("open cramp coach", "yes"), limit=30, setup=True),
    Row("one-shot relief, first step", (_RELIEF,), limit=30, setup=True),
    Row("relief, step 2 (massage)", (_RELIEF, "next")),
    Row("relief, step 5 (rehydrate)", (_RELIEF, "next", "next", "next", "next")),
    Row("relief ending", (_RELIEF, "next", "next", "next", "next"), limit=30, ending="relief"),
    Row("stretch session, first step", (_STRETCH,), limit=30, setup=True),
    Row("stretch session, step 3 (seated)", (_STRETCH, "next", "next"), limit=30, setup=True),
    Row("stretch session, step 5 (towel)", (_STRETCH, *["next"] * 4), limit=30, setup=True),
    Row("stretch session ending", (_STRETCH, *["next"] * 5), limit=30, ending="stretch"),
    Row("warm-up, first step", (_WARM,), limit=30, setup=True),
    Row("warm-up ending", (_WARM, *["next"] * 4), limit=30, ending="warmup"),
    Row("cool-down, first step", (_COOL,), limit=30, setup=True),
    Row("cool-down ending", (_COOL, *["next"] * 3), limit=30, ending="cooldown"),
    Row("better (mid relief)", (_RELIEF, "it's better now"), limit=30),
    Row("thanks (tip offered already)", (_RELIEF, "it's better now", "thanks"), limit=30),
    Row("distress (mid relief)", (_RELIEF, "it hurts so much")),
    Row("distress (no routine)", ("tell cramp coach it hurts so much",)),
    Row("where was I", (_RELIEF, "next", "where was i")),
    Row("how long should I hold (in a routine)", (_STRETCH, "how long should i hold")),
    Row("how long should I hold", ("ask cramp coach how long should i hold",)),
    Row("shorter holds (relative)", (_STRETCH, "make the holds shorter")),
    Row("switch leg (named)", (_STRETCH, "left leg")),
    Row("pause (memory on)", (_RELIEF, "pause")),
    Row("help", ("ask cramp coach for help",)),
    Row("help in a routine", (_RELIEF, "help")),
    Row("fallback", ("open cramp coach", "no", "what's the weather like")),
    Row("fallback, second", ("open cramp coach", "no", "kind of", "play some music")),
    Row("fallback, third (ends)", ("open cramp coach", "no", "kind of", "play music", "pizza")),
    Row("stop mid relief", (_RELIEF, "stop")),
    Row("do electrolytes help", ("ask cramp coach do electrolytes help",)),
    Row("prevention tip", ("ask cramp coach for a tip",)),
    Row("causes", ("ask cramp coach what causes cramps",)),
    Row("when to see a doctor", ("ask cramp coach when should i see a doctor",)),
    Row("symptom (numbness)", ("tell cramp coach my leg is numb",)),
    Row("log a cramp last night", ("tell cramp coach i had a cramp last night",)),
    Row("count this month", ("ask cramp coach how many cramps this month",)),
    Row("forget my data", ("ask cramp coach to forget my data",)),
    Row("set a hold timer", ("ask cramp coach to set a timer for my hold",)),
)


@dataclass(frozen=True)
class Measure:
    row: Row
    words: int
    before_count: int | None
    seconds: float
    hold: float | None
    #: Words from the recap on, for a routine's ending (None for other rows).
    ending_words: int | None = None

    @property
    def checked_words(self) -> int:
        if self.ending_words is not None:
            return self.ending_words
        return self.before_count if self.row.setup and self.before_count is not None else self.words

    @property
    def within_limit(self) -> bool:
        return self.row.limit is None or self.checked_words <= self.row.limit


def _words(parts: list[Segment]) -> int:
    return sum(len(p.text.split()) for p in parts if p.kind == "speech")


@contextmanager
def _simulator() -> Iterator[Simulator]:
    allow_local_api()
    api = FakeAlexaApi().start()
    try:
        with tempfile.TemporaryDirectory(prefix="cramp-coach-voice-") as tmp:
            store = SQLiteAdapter(Path(tmp) / "coach.sqlite3")
            skill = build_skill(Settings(), persistence_adapter=store)
            factory = EnvelopeFactory(api_endpoint=api.url, api_access_token=TOKEN)
            yield Simulator(Conversation(functools.partial(invoke, skill), factory))
    finally:
        api.close()


def measure(row: Row) -> Measure:
    """Say the row's script to a fresh skill and measure the last answer."""
    with _simulator() as simulator:
        for said in row.script:
            exchange = simulator.hear(said)
    heard = exchange.heard
    parts = segments(heard.ssml) if heard is not None and heard.ssml else []
    span = find_hold(parts)
    spoken = [p for p in parts if not p.hold]
    ending_words = None
    if row.ending is not None:
        text = " ".join(p.text for p in spoken if p.kind == "speech")
        recap = catalogue_for("en-US").routine(row.ending).recap
        ending_words = len(text[text.find(recap) :].split()) if recap in text else _words(spoken)
    return Measure(
        row=row,
        words=_words(spoken),
        ending_words=ending_words,
        before_count=_words(parts[: span.start]) if span is not None else None,
        seconds=round(sum(p.duration for p in parts), 1),
        hold=round(span.seconds) if span is not None else None,
    )


def table(measures: list[Measure]) -> str:
    """The markdown table docs/voice-design.md embeds."""
    lines = [
        "| answer | words | before the count | seconds | hold (s) | limit (words) |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for m in measures:
        limit = "" if m.row.limit is None else f"<= {m.row.limit}"
        if m.row.limit is not None and m.row.setup:
            limit += " before the count"
        lines.append(
            f"| {m.row.answer} | {m.words} | "
            f"{'' if m.before_count is None else m.before_count} | {m.seconds:g} | "
            f"{'' if m.hold is None else m.hold} | {limit} |"
        )
    return "\n".join(lines)


#: The doc the table lives in, between these markers (``--write`` rewrites it there).
DOC = Path(__file__).resolve().parents[3] / "docs" / "voice-design.md"
START, END = "<!-- voice-table:start -->", "<!-- voice-table:end -->"


def write(text: str) -> None:
    """Put ``text`` between the markers of :data:`DOC`, leaving the prose around it."""
    doc = DOC.read_text(encoding="utf-8")
    head, rest = doc.split(START, 1)
    tail = rest.split(END, 1)[1]
    DOC.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    measures = [measure(row) for row in ROWS]
    print(table(measures))
    if "--write" in args:
        write(table(measures))
    over = [m.row.answer for m in measures if not m.within_limit]
    if over:
        print(f"\nover the limit: {', '.join(over)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
