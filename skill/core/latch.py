"""The session safety latch: once a warning sign or a possible injury has been heard, no
stretch, massage or heat instruction for the rest of the session.

A plain flag in the session attributes, set by :mod:`skill.core.safety` and checked where an
instruction would be given (:func:`skill.core.step_speech.speak_step`, the relief-step facts,
the hold timer, a bare "yes" or "next"). It lives in the session only: a new session starts
without it, as a new complaint is heard afresh.
"""

from __future__ import annotations

from typing import Final

from skill.core.reply import Reply, ask
from skill.core.speech import Msg, msg, say
from skill.core.turn import Turn

#: The session attribute (SessionState["safety"]) by name, for readers of a response
#: envelope's attributes (the safety evaluation); the kind of alarm heard, one of KINDS.
STATE_KEY: Final = "safety"
KINDS = ("emergency", "injury", "warning")


def close(turn: Turn, kind: str) -> None:
    """Latch the session: ``kind`` of alarm was heard."""
    turn.state["safety"] = kind


def is_closed(turn: Turn) -> bool:
    return turn.state.get("safety") in KINDS


def refusal(turn: Turn, *lead: Msg) -> Reply:
    """Why no stretch is coming, and where to go instead (a doctor), after any ``lead``."""
    return ask(
        say(*lead, msg("safety_latched"), msg("safety_latched_doctor"), msg("red_flag_close")),
        say(msg("red_flag_close")),
    )
