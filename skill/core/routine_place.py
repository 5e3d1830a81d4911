"""Where the person is in a routine: kept in the session (``routine``) for this session, and
in memory for a "resume" within 15 minutes; and the hold length they chose.

Why apart: every dialog that must know whether a routine is running (asides, safety, timers,
reminders, screens) asks here, without loading how a step is spoken.
"""

from __future__ import annotations

from skill.core import memory
from skill.core.hold_range import DEFAULT_HOLD, HoldSeconds
from skill.core.routine import RoutineState
from skill.core.turn import Turn


def current_state(turn: Turn) -> RoutineState | None:
    return RoutineState.from_dict(turn.state.get("routine"))


def save_state(turn: Turn, state: RoutineState | None) -> None:
    """Keep the routine in the session, and its position in memory for a later "resume"."""
    if state is None:
        turn.state.pop("routine", None)
    else:
        turn.state["routine"] = state.to_dict()
    if turn.persistent is not None:
        if state is None or state.finished:
            memory.clear_position(turn.persistent)
        else:
            memory.save_position(turn.persistent, state.to_dict(), turn.now)


def active(turn: Turn) -> RoutineState | None:
    """The routine in progress (not finished), if any."""
    state = current_state(turn)
    return state if state is not None and not state.finished else None


def preferred_hold(turn: Turn) -> HoldSeconds:
    """The person's hold length: this session's choice, then their saved preference, then
    the default (both were checked on the way in)."""
    stored = turn.state.get("hold")
    if stored is None and turn.persistent:
        stored = memory.hold_seconds(turn.persistent)
    return stored or DEFAULT_HOLD


def paused(turn: Turn) -> RoutineState | None:
    """The routine waiting to be carried on: this session's, paused, or (with no routine
    in this session) one left in the last 15 minutes."""
    state = active(turn)
    if state is not None:
        return state if state.paused else None
    return left_off(turn)


def left_off(turn: Turn) -> RoutineState | None:
    """A routine left unfinished in the last 15 minutes, from memory (None without one)."""
    if turn.persistent is None:
        return None
    saved = RoutineState.from_dict(memory.resumable_position(turn.persistent, turn.now))
    return saved if saved is not None and not saved.finished else None
