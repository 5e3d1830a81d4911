"""The terminal side of the simulator: read lines, print what Alexa would say.

Kept apart from the argument parsing in :mod:`skill.tools.cli`, and written against plain text
streams so the tests can drive it without a terminal. Live countdown bars and speech are
for people at a terminal; piped output stays plain text, one line per answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TextIO

from skill.tools.simulator.countdown import find_hold, play_hold
from skill.tools.simulator.device import Exchange, Simulator
from skill.tools.simulator.speaker import Speaker
from skill.tools.simulator.transcript import render, segments

PROMPT = "you> "
ALEXA = "alexa> "
SCREEN = "screen> "


@dataclass
class Options:
    """How to show the conversation."""

    echo: bool = False  # print each line read (for piped input, where it is not seen)
    live: bool = False  # live countdown bar during holds
    show_intents: bool = False  # print what the language understanding made of each line
    speaker: Speaker | None = None  # read answers aloud
    sleep: Callable[[float], None] | None = None  # for the live bar; None = real time


def describe(exchange: Exchange) -> str:
    """``[CrampReliefIntent Leg=left · overlap 0.72 "my {Leg} hamstring is cramping"]``"""
    understood = exchange.understood
    if understood is None:
        return f"[{exchange.request or 'nothing sent'}]"
    slots = " ".join(
        f"{name}={value.get('id') or value.get('value') if isinstance(value, dict) else value}"
        for name, value in understood.slots.items()
    )
    how = understood.stage
    if understood.stage != "exact":
        how += f" {understood.score:.2f}"
    sample = f' "{understood.sample}"' if understood.sample else ""
    return f"[{' '.join(filter(None, [understood.intent, slots]))} · {how}{sample}]"


def show(exchange: Exchange, out: TextIO, options: Options) -> None:
    """Print (and speak, and count down) one answer."""
    if options.show_intents:
        out.write(describe(exchange) + "\n")
    heard = exchange.heard
    if heard is None:
        out.write((exchange.note or "(no session is open)") + "\n")
        return
    if exchange.request == "SessionEndedRequest":
        out.write("(session ended)\n")
        return
    if heard.screen_summary:
        out.write(SCREEN + heard.screen_summary + "\n")
    parts = segments(heard.ssml) if heard.ssml else []
    speaking = options.speaker.start(heard.ssml) if options.speaker else None
    hold = find_hold(parts) if options.live else None
    if hold is None:
        out.write(ALEXA + render(parts) + "\n")
    else:
        out.write(ALEXA + render(parts[: hold.start]) + "\n")
        out.flush()
        sleep = options.sleep or time.sleep
        if speaking is not None:  # let espeak-ng reach the hold before the bar starts
            sleep(sum(p.duration for p in parts[: hold.start]))
        play_hold(parts, hold, out, sleep=sleep)
        after = render(parts[hold.end :])
        if after:
            out.write(ALEXA + after + "\n")
    if options.speaker is not None:
        options.speaker.finish(speaking)
    if heard.ended:
        out.write("(session ended)\n")
    out.flush()


def run(simulator: Simulator, lines: Iterable[str], out: TextIO, options: Options) -> int:
    """Answer each line until the input ends; leaving an open session ends it as Alexa
    would (a SessionEndedRequest). Returns the exit status."""
    for line in lines:
        said = line.strip()
        if not said:
            continue
        if options.echo:
            out.write(PROMPT + said + "\n")
        show(simulator.hear(said), out, options)
    if simulator.in_session:
        simulator.leave()
        out.write("(you left; session ended)\n")
    return 0


def prompted(read: Callable[[], str], out: TextIO) -> Iterable[str]:
    """Lines typed at a prompt, until end of input (Ctrl-D) or Ctrl-C."""
    while True:
        out.write(PROMPT)
        out.flush()
        try:
            line = read()
        except KeyboardInterrupt:
            out.write("\n")
            return
        if not line:
            out.write("\n")
            return
        yield line
