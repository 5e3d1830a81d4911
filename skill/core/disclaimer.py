"""The first-use disclaimer: a few words, once per person, never before a stretch.

"Just so you know, I'm a coach, not a doctor." is said the first time a person hears a
routine step (after its hold, so a person mid-cramp hears the instruction first) or a
prevention tip, a list of causes or what a cramp is. It is remembered per person where memory
is on (:mod:`skill.core.memory`), and per session where it is not.
"""

from __future__ import annotations

from skill.core import memory
from skill.core.speech import Msg, msg
from skill.core.turn import Turn


def once(turn: Turn) -> Msg | None:
    """The disclaimer if this person has not heard it yet (and note that they now have)."""
    if turn.state.get("disclaimed") is True:
        return None
    if turn.persistent is not None and memory.disclaimed(turn.persistent):
        return None
    turn.state["disclaimed"] = True
    if turn.persistent is not None:
        memory.mark_disclaimed(turn.persistent)
    return msg("first_use_disclaimer")
