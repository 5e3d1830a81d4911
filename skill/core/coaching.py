"""Guided routines by voice: the relief routine and stretch sessions, started, moved through
and changed (the leg, the hold length) by what the person says.

Plain functions from a :class:`Turn` to a :class:`Reply`, driving :mod:`skill.core.routine`;
where the person is lives in :mod:`skill.core.routine_place`, how a step is said in
:mod:`skill.core.step_speech`, how a routine ends in :mod:`skill.core.routine_end`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from skill.core import injury_memory, latch, memory, memory_dialog, routine
from skill.core.durations import seconds_from_slots
from skill.core.hold_range import clamp_hold
from skill.core.reply import Reply, ask, tell
from skill.core.routine import RoutineState
from skill.core.routine_place import active, left_off, paused, preferred_hold, save_state
from skill.core.speech import Msg, msg, say
from skill.core.step_speech import speak_step
from skill.core.turn import Turn

Transition = Callable[[RoutineState], RoutineState]

#: The DrivingType id of a cramp said at the wheel ("I'm driving and my leg is cramping").
DRIVING: Final = "driving"
#: How far "longer" or "shorter" moves the hold when no number is said.
HOLD_STEP_SECONDS = 5

SESSION_KINDS = {
    "warm-up": "warmup",
    "warmup": "warmup",
    "warm up": "warmup",
    "before": "warmup",
    "cool-down": "cooldown",
    "cooldown": "cooldown",
    "cool down": "cooldown",
    "after": "cooldown",
    "stretch": "stretch",
    "full": "stretch",
}


def _leg(turn: Turn) -> str | None:
    leg = turn.slot_id("Leg")
    return leg if leg in routine.LEGS else None


def both_legs(turn: Turn) -> Reply:
    """Yes to "both legs in one go?" (asked once both legs of the first stretch are done,
    so the person knows what it means): the next stretches come with both legs in one
    answer. A "next" instead moves on one leg at a time, as ever."""
    turn.state["both_legs"] = True
    return next_step(turn) or heat_timer_declined(turn)


def heat_timer_declined(turn: Turn) -> Reply:
    """No to the heat timer: the step stays, and "next" moves on."""
    return ask(say(msg("no_question"), msg("step_next")), say(msg("step_reprompt")))


def heat_timer_by_voice(turn: Turn) -> Reply:
    """Yes to the heat timer where Alexa timers are not wired (plain core tests): say how
    long, and the step stays. The skill's timer dialog replaces this with a real timer."""
    return ask(say(msg("heat_timer_by_ear"), msg("step_next")), say(msg("step_reprompt")))


# --- starting ---------------------------------------------------------------------------
def start_relief(turn: Turn) -> Reply:
    """One-shot relief: the first words are the first instruction ("pull over first" before it
    at the wheel; one sentence before it after a possible injury). Logs the cramp. In the
    relief routine already, a leg named ("now do the left leg also") switches to it rather
    than starting over."""
    running = active(turn)
    if running is not None and running.routine == "relief" and _leg(turn) is not None:
        return switch_leg(turn)
    held = injury_memory.hold_back(turn)
    if held is not None:
        return held
    memory_dialog.note_relief_start(turn)
    state = routine.start("relief", leg=_leg(turn), hold=preferred_hold(turn))
    lead = [msg("pull_over")] if turn.slot_id("Driving") == DRIVING else []
    return speak_step(turn, state, *lead)


def start_session(turn: Turn) -> Reply:
    """A stretch session: warm-up (dynamic), cool-down or full (static holds)."""
    held = injury_memory.hold_back(turn)
    if held is not None:
        return held
    kind = (turn.slot_id("SessionKind") or "stretch").lower()
    routine_id = SESSION_KINDS.get(kind, "stretch")
    state = routine.start(routine_id, leg=_leg(turn) or "right", hold=preferred_hold(turn))
    return speak_step(turn, state, turn.catalogue.routine(routine_id).intro)


# --- navigation -------------------------------------------------------------------------
def _move(turn: Turn, transition: Transition, *lead: Msg) -> Reply | None:
    """Apply ``transition`` to the routine in progress and speak where it lands; None when
    no routine is in progress (the caller decides what the intent means then)."""
    state = active(turn)
    if state is None:
        return None
    return speak_step(turn, transition(state), *lead)


def next_step(turn: Turn) -> Reply | None:
    """The next step; but a routine paused (by "wait", a side question or a pause that
    ended the session) goes back to the step it was paused at: "continue" or "sigue"
    after "hang on" must not skip it."""
    if paused(turn) is not None:
        return resume(turn)
    return _move(turn, routine.advance)


def skip_step(turn: Turn) -> Reply | None:
    return _move(turn, routine.advance, msg("skip_done"))


def previous_step(turn: Turn) -> Reply | None:
    return _move(turn, routine.back)


def repeat_step(turn: Turn) -> Reply | None:
    return _move(turn, routine.resume)


def start_over(turn: Turn) -> Reply | None:
    return _move(turn, routine.start_over, msg("routine_start_over"))


def pause(turn: Turn) -> Reply | None:
    state = active(turn)
    if state is None:
        return None
    save_state(turn, routine.pause(state))
    # "Wait" ends any side topic: "go on" or "tell me more" after it is the routine's.
    turn.state.pop("last", None)
    if turn.persistent is None:
        # Nothing keeps the place once the session closes: say so, and keep listening.
        return ask(say(msg("routine_paused_no_memory")), say(msg("routine_paused_reprompt")))
    # The microphone closes after a reprompt anyway: end, and say how to come back.
    return tell(say(msg("routine_paused", step=state.step_number)))


def resume(turn: Turn) -> Reply | None:
    """Carry on this session's routine, or one left in the last 15 minutes (from memory)."""
    state = active(turn) or left_off(turn)
    if state is None:
        return None
    return speak_step(turn, routine.resume(state), msg("routine_resumed"))


def switch_leg(turn: Turn) -> Reply:
    """ "Other leg", or the leg named ("left leg"): the same step on that leg. The leg
    named is the leg used, whatever was known before (none yet, the other, the same).
    "Other leg" with none known says "your other leg" rather than guess. Naming a leg
    with no routine running starts the cramp routine for it ("my left one")."""
    if latch.is_closed(turn):  # no routine to switch, and no invitation to start one
        return latch.refusal(turn)
    named = _leg(turn)
    state = active(turn)
    if state is None:
        if named is not None:
            return start_relief(turn)
        return ask(say(msg("switch_leg_nothing")), say(msg("launch_reprompt")))
    current = state.current()
    if named is not None and current is not None and current[1] == named:
        same = msg("switch_leg_same", leg=msg(f"leg_{named}"))
        return speak_step(turn, routine.resume(state), same)
    switched = routine.switch_leg(state, named)
    current = switched.current()
    leg = current[1] if current else None
    key = "switch_leg_relief" if state.routine == "relief" else "switch_leg_stretch"
    return speak_step(turn, switched, msg(key, leg=msg(f"leg_{leg or 'other'}")))


def set_hold_length(turn: Turn) -> Reply:
    """ "Make the holds twenty five seconds", or "longer", "shorter", "five more seconds"
    (five seconds when no number is said): clamp to 20-30 s, say so, and use it."""
    if latch.is_closed(turn):
        return latch.refusal(turn)
    requested = _requested_seconds(turn)
    change = turn.slot_id("HoldChange")
    if change in ("longer", "shorter"):
        running = active(turn)
        now_held = running.hold if running is not None else preferred_hold(turn)
        step = requested if requested else HOLD_STEP_SECONDS
        requested = now_held + step if change == "longer" else now_held - step
    length = clamp_hold(requested)
    turn.state["hold"] = length.seconds
    if turn.persistent is not None:
        memory.set_hold_seconds(turn.persistent, length.seconds)
    said = msg("hold_clamped" if length.clamped else "hold_set", seconds=length.seconds)
    state = active(turn)
    if state is not None:
        state = routine.set_hold(state, length.seconds)
        current = state.current()
        if current is not None and current[0].hold:
            return speak_step(turn, state, said)
        save_state(turn, state)
        return ask(say(said, msg("step_next")), say(msg("step_reprompt")))
    reprompt = say(msg("launch_reprompt"))
    unsaved: Reply | None = ask(say(said, msg("hold_set_unsaved")), reprompt)
    if turn.persistent is None:  # nothing to save: no promise beyond this session's use
        unsaved = None
    return ask(say(said, msg("hold_set_later")), reprompt, unsaved=unsaved)


def _requested_seconds(turn: Turn) -> float | None:
    return seconds_from_slots(turn.slot("Seconds"), turn.slot("Duration"))
