"""A possible injury, remembered for a day (issue 22, item 6).

With memory on, an injury or warning-sign answer stores when it was given (the record's
``possible_injury_at``, :mod:`skill.core.memory`). For a day after it, a new session that asks
for a stretch first hears one sentence: "Earlier you mentioned a possible injury. If this is
a new, ordinary cramp, say: it's a cramp." "It's a cramp" (or any cramp request, or "yes")
then starts the routine at once and clears the stored time; the sentence is said at most
once a session, so a false alarm never costs more than that sentence. "Forget my data"
deletes the stored time with the rest of the record.
"""

from __future__ import annotations

from skill.core import latch, memory, questions
from skill.core.reply import Reply, ask
from skill.core.speech import msg, say
from skill.core.turn import Turn

#: The pending question after the sentence (yes: it's a cramp; registered in dialog).
QUESTION = "injury_cramp"


def note(turn: Turn) -> None:
    """An injury or warning-sign answer is being given: remember when, where memory is on."""
    if turn.persistent is not None:
        memory.mark_possible_injury(turn.persistent, turn.now)


def hold_back(turn: Turn) -> Reply | None:
    """Before a stretch: the one sentence, if a possible injury was heard in the last day
    and the sentence has not been said this session; None to go ahead (and, once the
    sentence was heard and a stretch is asked for again, the stored time is cleared)."""
    if turn.persistent is None or latch.is_closed(turn):
        return None  # in the session of the alarm itself, the latch answers instead
    if turn.state.get("injury_asked") is True:
        memory.clear_possible_injury(turn.persistent)
        return None
    if not memory.possible_injury_recent(turn.persistent, turn.now):
        return None
    turn.state["injury_asked"] = True
    questions.set_pending(turn, QUESTION)
    return ask(say(msg("injury_remembered")), say(msg("injury_remembered_reprompt")))
