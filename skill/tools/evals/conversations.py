"""Score the frozen blind conversation set of issue 23 (a coach that keeps its place):
``python -m skill.tools.evals.conversations`` (``--locale es-US``, ``--misses``).

The sets, ``skill/locales/en/tests/heldout_conversations.yaml`` (en-US) and
``skill/locales/es/tests/heldout_conversations.yaml`` (es-US), were written by someone who never
read the repository; their format is in their header comment. Each conversation is said line by line
through the same simulator as ``cramp-coach chat`` (local NLU, real request envelopes through the
Lambda handler, a fresh SQLite store per conversation, the fake Alexa API on 127.0.0.1), and each
scored turn's ``expect`` is compared with what the response did:

- ``kind``: what the answer was, read from the words heard and the routine state. One
  answer may be several kinds (a cool-down's first step that names it is ``stretch_step``
  and ``confirm_session``; a doctor answer mid-routine is ``doctor`` and ``side_answer``);
  the expectation holds when its kind is among them, ``not_kind`` when it is not.
- ``step``: the routine step spoken, against the last step spoken before this turn.
- ``routine``: whether a routine is in progress after the turn, the same as before
  (``kept``), a new one (``started``), or none (``ended``).
- ``leg``: the side the answer names (``other`` for "your other leg" with no side).
- ``session``: whether the microphone stays open.

Kinds are recognised by the catalogue's own phrases (looked up by key, so a phrase the code
of the day lacks is simply not matched): the scorer can run on any commit with the same
simulator, which is how the first (blind) figure was taken on the code before issue 23.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skill.alexa.builder import build_skill
from skill.core.catalogue import Catalogue, catalogue_for, number_variants
from skill.core.content import language_path
from skill.core.routine import RoutineState
from skill.hosts.lambda_handler import invoke
from skill.settings import Settings
from skill.store.sqlite import SQLiteAdapter
from skill.tools.evals import read_yaml
from skill.tools.nlu.model import default_model
from skill.tools.simulator.conversation import Conversation, Heard
from skill.tools.simulator.device import Simulator
from skill.tools.simulator.envelopes import EnvelopeFactory
from skill.tools.simulator.fake_alexa_api import TOKEN, FakeAlexaApi
from skill.tools.simulator.transcript import render, segments

ROOT = Path(__file__).resolve().parents[3]
#: The frozen sets by locale (each in its language's folder).
SETS = {
    locale: Path(language_path(locale[:2], "tests", "heldout_conversations.yaml"))
    for locale in ("en-US", "es-US")
}
KINDS = (
    "launch",
    "relief_step",
    "stretch_step",
    "side_answer",
    "help",
    "paused",
    "fallback",
    "goodbye",
    "doctor",
    "confirm_session",
)
SESSIONS = ("stretch", "warmup", "cooldown")
#: Title words that do not say which session it is.
_GENERIC = frozenset(
    ["hamstring", "stretch", "stretches", "de", "estiramiento", "estiramientos", "isquiotibiales"]
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


# --- what an answer was ---------------------------------------------------------------
@dataclass(frozen=True)
class Heard1:
    """One answer, as the scorer reads it."""

    text: str
    kinds: frozenset[str]
    #: (routine, index) of the step spoken, or None.
    step: tuple[str, int] | None
    #: The routine in progress after the turn (not finished), or None.
    routine: RoutineState | None
    leg: str
    open: bool


def _prompt(catalogue: Catalogue, key: str) -> str:
    """The phrase ``key`` up to its first parameter (empty if the catalogue lacks it)."""
    entry = catalogue.prompts.get(key)
    return entry.split("{", 1)[0].strip() if isinstance(entry, str) else ""


def _first(text: str) -> str:
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0] if text else ""


def _any(text: str, phrases: Iterable[str]) -> bool:
    return any(p and p in text for p in phrases)


@functools.cache
def _phrases(locale: str) -> dict[str, tuple[str, ...]]:
    """The catalogue's phrases that mark each kind of answer."""
    cat = catalogue_for(locale)
    # The locale's words, and its 911 variant's (said where the device's time zone makes the
    # number certain, as the fake API's does): both mark the same kinds.
    words = [cat, *(catalogue_for(locale, n) for n in number_variants(locale))]

    def keys(*names: str) -> tuple[str, ...]:
        found = (_prompt(c, n) for n in names for c in words)
        return tuple(dict.fromkeys(p for p in found if len(p) > 3))

    kb = cat.knowledge
    knowledge = [
        _first(item.short)
        for topic in ("overview", "causes", "prevention", "relief")
        for item in kb.topic(topic)
    ]
    knowledge += [
        _first(item.more) for topic in ("causes", "prevention") for item in kb.topic(topic)
    ]
    knowledge += [_first(a.short) for a in kb.answers.values()]
    doctor = [_first(item.short) for item in kb.topic("doctor")]
    return {
        "launch": keys("launch", "launch_carry_on"),
        "help": keys("help", "routine_help"),
        "paused": keys("routine_paused", "routine_paused_no_memory", "pause"),
        "fallback": tuple(
            _first(p)
            for p in keys("fallback", "routine_fallback", "fallback_again", "fallback_last")
        ),
        "goodbye": keys(
            "goodbye",
            "goodbye_routine",
            "goodbye_session",
            "better_bye",
            "fallback_goodbye",
        ),
        "doctor": keys("doctor_urgent", "doctor_soon", "doctor_seed_summary", "doctor_intro")
        + tuple(doctor),
        "side": keys(
            "cause_intro",
            "cause_intro_short",
            "relief_unknown_step",
            "hold_advice_routine",
            "aside_back",
        )
        + tuple(k for k in knowledge if len(k) > 3),
        "step_help": keys("step_reprompt"),
    }


def _step_text(cat: Catalogue, state: RoutineState) -> str | None:
    """The instruction of ``state``'s current step, as spoken (its first sentence)."""
    current = state.current()
    if current is None:
        return None
    step, leg = current
    worded = cat.step(state.routine, step.id)
    leg_word = cat.text(f"leg_{leg}") if leg else ""
    return _first(worded.say.format(leg=leg_word))


_SIDES = {
    "en": (r"\bleft\b", r"\bright\b(?! (now|away|here|there))", r"\bother\b"),
    "es": (r"\bizquierd[ao]s?\b", r"\bderech[ao]s?\b", r"\b(otra|contraria)\b"),
}


def _leg(text: str, language: str, state: RoutineState | None) -> str:
    """The side the answer names ("seconds left" of a countdown is not a side); when it
    names none, the leg of the step in progress, if one is known."""
    left, right, other = _SIDES[language]
    lowered = re.sub(r"\bseconds? left\b", "", text.lower())
    named = {side for side, rx in (("left", left), ("right", right)) if re.search(rx, lowered)}
    if len(named) == 1:
        return named.pop()
    if len(named) == 2:
        return "both"
    leg_word = r"\b(leg|pierna)\b"
    if re.search(other, lowered) and re.search(leg_word, lowered):
        return "other"
    current = state.current() if state is not None else None
    if current is not None and current[1] in ("left", "right"):
        return str(current[1])
    return "none"


def read(locale: str, heard: Heard | None, spoke_before: bool) -> Heard1:
    """What the answer ``heard`` was (``spoke_before``: whether a session was open)."""
    if heard is None or not heard.envelope:
        return Heard1("", frozenset(), None, None, "none", False)
    cat = catalogue_for(locale)
    text = render(segments(heard.ssml)) if heard.ssml else ""
    state = RoutineState.from_dict(heard.session_attributes.get("routine"))
    running = state if state is not None and not state.finished else None
    phrases = _phrases(locale)
    kinds: set[str] = set()
    step: tuple[str, int] | None = None
    if running is not None:
        instruction = _step_text(cat, running)
        if instruction and instruction in text:
            step = (running.routine, running.index)
            kinds.add("relief_step" if running.routine == "relief" else "stretch_step")
            if running.routine in SESSIONS and running.index == 0:
                # Confirmed: the answer's first sentence names the session by a word of
                # its title that says which session it is ("cool-down", "calentamiento").
                first = _first(text).lower()
                named = set(cat.routine(running.routine).title.lower().split()) - _GENERIC
                if any(re.search(rf"\b{re.escape(w)}\b", first) for w in named):
                    kinds.add("confirm_session")
    for kind in ("launch", "help", "fallback", "doctor"):
        if _any(text, phrases[kind]):
            kinds.add(kind)
    if _any(text, phrases["step_help"]) and step is None:
        kinds.add("help")
    if (running is not None and running.paused) or _any(text, phrases["paused"]):
        kinds.add("paused")
    knowledge = _any(text, phrases["side"]) or "doctor" in kinds
    if step is None and knowledge and not kinds & {"launch", "help", "fallback"}:
        kinds.add("side_answer")
    if heard.ended and "paused" not in kinds or _any(text, phrases["goodbye"]):
        kinds.add("goodbye")
    return Heard1(
        text, frozenset(kinds), step, running, _leg(text, cat.language, running), not heard.ended
    )


# --- scoring ------------------------------------------------------------------------------
@dataclass
class Turn1:
    conversation: str
    number: int
    say: str
    expect: dict[str, Any]
    request: str
    heard: Heard1
    wrong: list[str] = field(default_factory=list)

    @property
    def right(self) -> bool:
        return not self.wrong


def judge(expect: dict[str, Any], now: Heard1, before: Heard1 | None, last_step: Any) -> list[str]:
    """Which expectations ``now`` misses (empty: the turn is right)."""
    wrong = []
    kind = expect.get("kind")
    if kind is not None and kind not in now.kinds:
        wrong.append(f"kind {kind}, heard {sorted(now.kinds) or 'nothing known'}")
    not_kind = expect.get("not_kind")
    if not_kind is not None and not_kind in now.kinds:
        wrong.append(f"not_kind {not_kind}")
    step = expect.get("step")
    if step is not None:
        got = None
        if now.step is not None:
            if now.step[1] == 0:
                got = "first"
            if last_step is not None and now.step[0] == last_step[0]:
                if now.step[1] == last_step[1]:
                    got = "same"
                elif now.step[1] == last_step[1] + 1:
                    got = "next"
        fits = got == step or (step == "first" and now.step is not None and now.step[1] == 0)
        if not fits:
            wrong.append(f"step {step}, heard {got or now.step or 'no step'}")
    routine = expect.get("routine")
    if routine is not None:
        prev = before.routine if before is not None else None
        got_r = "kept"
        if now.routine is None:
            got_r = "ended"
        elif prev is None or prev.routine != now.routine.routine:
            got_r = "started"
        elif now.routine.index == 0 and prev.index != 0 and now.step is not None:
            got_r = "started"  # back to the first step of the same routine
        if got_r != routine:
            wrong.append(f"routine {routine}, heard {got_r}")
    leg = expect.get("leg")
    if leg is not None and now.leg != leg:
        wrong.append(f"leg {leg}, heard {now.leg}")
    session = expect.get("session")
    if session is not None and (session == "open") != now.open:
        wrong.append(f"session {session}, heard {'open' if now.open else 'closed'}")
    return wrong


def load(path: Path) -> list[dict[str, Any]]:
    data = read_yaml(path)
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of conversations")
    return data


def run(locale: str, path: Path | None = None) -> list[Turn1]:
    """Every scored turn of the locale's set, judged."""
    conversations = load(path or SETS[locale])
    scored: list[Turn1] = []
    api = FakeAlexaApi().start()
    try:
        with tempfile.TemporaryDirectory(prefix="convo-eval-") as tmp:
            for number, conversation in enumerate(conversations):
                store = SQLiteAdapter(Path(tmp) / f"c{number}.sqlite3")
                skill = build_skill(Settings(), persistence_adapter=store)
                factory = EnvelopeFactory(
                    api_endpoint=api.url, api_access_token=TOKEN, locale=locale
                )
                talk = Conversation(functools.partial(invoke, skill), factory)
                simulator = Simulator(talk, default_model(locale))
                scored += _converse(locale, simulator, conversation)
    finally:
        api.close()
    return scored


def _converse(locale: str, simulator: Simulator, conversation: dict[str, Any]) -> list[Turn1]:
    name = str(conversation.get("name", "?"))
    out: list[Turn1] = []
    before: Heard1 | None = None
    last_step: tuple[str, int] | None = None
    for number, turn in enumerate(conversation.get("turns") or [], 1):
        was_open = simulator.in_session
        exchange = simulator.hear(str(turn["say"]))
        now = read(locale, exchange.heard, was_open)
        expect = turn.get("expect")
        if isinstance(expect, dict) and expect:
            wrong = judge(expect, now, before, last_step)
            request = exchange.request
            if exchange.understood is not None:
                slots = ",".join(f"{k}={v}" for k, v in exchange.understood.slots.items())
                request += f" {slots}" if slots else ""
            out.append(Turn1(name, number, str(turn["say"]), expect, request, now, wrong))
        if now.step is not None:
            last_step = now.step
        if exchange.heard is not None:
            before = now
    return out


def summary(locale: str, turns: Sequence[Turn1], misses: bool = True) -> str:
    right = sum(t.right for t in turns)
    lines = [f"{locale}: {right}/{len(turns)} = {100 * right / max(len(turns), 1):.1f}%"]
    if misses:
        for t in turns:
            if not t.right:
                lines.append(
                    f"  x {t.conversation} turn {t.number} {t.say!r} -> {t.request}: "
                    f"{'; '.join(t.wrong)} | {t.heard.text[:140]}"
                )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skill.tools.evals.conversations")
    parser.add_argument("--locale", default="all", help="en-US, es-US or all")
    parser.add_argument("--no-misses", action="store_true", help="figures only")
    args = parser.parse_args(argv)
    locales = list(SETS) if args.locale == "all" else [args.locale]
    total = right = 0
    for locale in locales:
        turns = run(locale)
        total += len(turns)
        right += sum(t.right for t in turns)
        print(summary(locale, turns, misses=not args.no_misses))
    print(f"all: {right}/{total} = {100 * right / max(total, 1):.1f}%")
    return 0


if __name__ == "__main__":
    from skill.tools.evals.pipes import run_quietly

    sys.exit(run_quietly(main))
