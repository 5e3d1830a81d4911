"""Stretching as a habit: completed stretch sessions are counted (with memory on), and
"how many stretch sessions this week?" gets the count.

Only completed stretch sessions (warm-up, cool-down, full) are counted, never cramps or
the relief routine: a stretching habit is not a health record, so it needs no opt-in. The
count goes with everything else on "forget my data" (skill.core.memory).
"""

from __future__ import annotations

from skill.core import memory
from skill.core.reply import Reply, tell
from skill.core.speech import msg, say
from skill.core.turn import Turn

#: Sessions that count (routine ids); the relief routine is a cramp, not a habit.
COUNTED = ("warmup", "cooldown", "stretch")
PERIOD_DAYS = {"week": 7, "month": 30}


def note_finished(turn: Turn, routine_id: str) -> None:
    """A routine ran to its end: count it if it is a stretch session and memory is on."""
    if routine_id in COUNTED and turn.persistent is not None:
        memory.note_session(turn.persistent, turn.now)


def session_count(turn: Turn) -> Reply:
    """ "How many stretch sessions this week?" (or this month)."""
    if not turn.memory_on:
        return tell(say(msg("sessions_no_memory")))
    if turn.persistent is None:
        return tell(say(msg("sessions_unavailable")))
    period = turn.slot_id("Period")
    period = period if period in PERIOD_DAYS else "week"
    count = memory.sessions_in_last(turn.persistent, PERIOD_DAYS[period], turn.now)
    if count == 0:
        return tell(say(msg(f"sessions_none_{period}"), msg("sessions_start_hint")))
    return tell(say(msg(f"sessions_count_{period}", count=count)))
