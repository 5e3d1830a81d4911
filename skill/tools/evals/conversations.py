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
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skill.alexa.builder import build_skill
from skill.core.content import language_path
from skill.hosts.lambda_handler import invoke
from skill.settings import Settings
from skill.store.sqlite import SQLiteAdapter
from skill.tools.evals import read_yaml
from skill.tools.evals.heard import Heard1, read
from skill.tools.nlu.model import default_model
from skill.tools.simulator.conversation import Conversation
from skill.tools.simulator.device import Simulator
from skill.tools.simulator.envelopes import EnvelopeFactory
from skill.tools.simulator.fake_alexa_api import TOKEN, FakeAlexaApi

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
