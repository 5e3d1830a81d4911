"""Guided routines by voice: the relief routine and stretch sessions, step by step.

Plain functions from a :class:`Turn` to a :class:`Reply`, driving :mod:`skill.core.routine`.
The routine state lives in the session attributes under ``routine``.
"""

from __future__ import annotations

from collections.abc import Callable

from skill.core import memory, memory_dialog, questions, routine, ssml
from skill.core.content import prompt
from skill.core.durations import seconds_from_slots
from skill.core.holds import clamp_hold, render_hold
from skill.core.reply import Reply, ask, tell
from skill.core.routine import RoutineState
from skill.core.ssml import join, text
from skill.core.turn import Turn

Transition = Callable[[RoutineState], RoutineState]

_STATE_KEY = "routine"
_HOLD_KEY = "hold"
#: Session flag: a prevention tip was offered once this session (better/thanks ends without).
TIP_OFFERED_KEY = "tip_offered"
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


# --- state in the session -------------------------------------------------------------
def current_state(turn: Turn) -> RoutineState | None:
    return RoutineState.from_dict(turn.state.get(_STATE_KEY))


def save_state(turn: Turn, state: RoutineState | None) -> None:
    """Keep the routine in the session, and its position in memory for a later "resume"."""
    if state is None:
        turn.state.pop(_STATE_KEY, None)
    else:
        turn.state[_STATE_KEY] = state.to_dict()
    if turn.persistent is not None:
        if state is None or state.finished:
            memory.clear_position(turn.persistent)
        else:
            memory.save_position(turn.persistent, state.to_dict(), turn.now)


def active(turn: Turn) -> RoutineState | None:
    """The routine in progress (not finished), if any."""
    state = current_state(turn)
    return state if state is not None and not state.finished else None


def preferred_hold(turn: Turn) -> int:
    """The person's hold length: this session's choice, then their saved preference."""
    stored = turn.state.get(_HOLD_KEY)
    if stored is None and turn.persistent:
        stored = memory.hold_seconds(turn.persistent)
    return clamp_hold(stored if isinstance(stored, int | float) else None).seconds


def _leg(turn: Turn) -> str | None:
    leg = turn.slot_id("Leg")
    return leg if leg in routine.LEGS else None


# --- speaking a step ------------------------------------------------------------------
def speak_step(turn: Turn, state: RoutineState, *lead: str) -> Reply:
    """Say the current step (with its counted hold) and how to go on."""
    save_state(turn, state)
    current = state.current()
    if current is None:
        return finish(turn, state)
    step, leg = current
    parts = [text(*lead, step.say.format(leg=leg or ""), step.safety)]
    if step.hold:
        beat = state.definition.position_beat_seconds
        if beat:  # time to get down on the floor or up on a step before the count
            parts.append(text(prompt("get_into_position")) + ssml.pause(beat))
        parts.append(render_hold(state.hold, turn.settings.audio_base_url).ssml)
    last = state.index == state.total_steps - 1
    parts.append(text(prompt("step_last" if last else "step_next")))
    # A card shows the instruction on screen devices and in the Alexa app.
    title = f"{state.definition.title}: step {state.step_number} of {state.total_steps}"
    card_text = " ".join(p for p in (step.say.format(leg=leg or ""), step.safety) if p)
    return ask(join(parts), text(prompt("step_reprompt")), card_title=title, card_text=card_text)


def finish(turn: Turn, state: RoutineState) -> Reply:
    """End of a routine, at most about 30 words. Relief: well done, the one-sentence
    red-flag reminder (with the frequent-cramp advice when the log shows it) and one offer
    of a tip. A stretch session: its own short ending, and goodbye."""
    save_state(turn, None)
    if state.routine != "relief":
        return tell(text(state.definition.recap))
    return offer_tip(
        turn,
        state.definition.recap,
        *memory_dialog.relief_ending(turn),
        prompt("red_flag_reminder"),
    )


def offer_tip(turn: Turn, *spoken: str) -> Reply:
    """Say ``spoken`` and offer a prevention tip, once a session; after that, goodbye."""
    if turn.state.get(TIP_OFFERED_KEY):
        return tell(text(*spoken, prompt("better_bye")))
    turn.state[TIP_OFFERED_KEY] = True
    questions.set_pending(turn, "tip_after_routine")
    return ask(
        text(*spoken, prompt("routine_done_question")), text(prompt("routine_done_reprompt"))
    )


# --- starting ---------------------------------------------------------------------------
def start_relief(turn: Turn) -> Reply:
    """One-shot relief: the first words are the first instruction. Logs the cramp."""
    memory_dialog.note_relief_start(turn)
    state = routine.start("relief", leg=_leg(turn), hold=preferred_hold(turn))
    return speak_step(turn, state)


def start_session(turn: Turn) -> Reply:
    """A stretch session: warm-up (dynamic), cool-down or full (static holds)."""
    kind = (turn.slot_id("SessionKind") or "stretch").lower()
    routine_id = SESSION_KINDS.get(kind, "stretch")
    state = routine.start(routine_id, leg=_leg(turn) or "right", hold=preferred_hold(turn))
    return speak_step(turn, state, state.definition.intro)


# --- navigation -------------------------------------------------------------------------
def _move(turn: Turn, transition: Transition, *lead: str) -> Reply | None:
    """Apply ``transition`` to the routine in progress and speak where it lands; None when
    no routine is in progress (the caller decides what the intent means then)."""
    state = active(turn)
    if state is None:
        return None
    return speak_step(turn, transition(state), *lead)


def next_step(turn: Turn) -> Reply | None:
    return _move(turn, routine.advance)


def skip_step(turn: Turn) -> Reply | None:
    return _move(turn, routine.advance, prompt("skip_done"))


def previous_step(turn: Turn) -> Reply | None:
    return _move(turn, routine.back)


def repeat_step(turn: Turn) -> Reply | None:
    return _move(turn, routine.resume)


def start_over(turn: Turn) -> Reply | None:
    return _move(turn, routine.start_over, prompt("routine_start_over"))


def pause(turn: Turn) -> Reply | None:
    state = active(turn)
    if state is None:
        return None
    save_state(turn, routine.pause(state))
    if turn.persistent is None:
        # Nothing keeps the place once the session closes: say so, and keep listening.
        return ask(
            text(prompt("routine_paused_no_memory")), text(prompt("routine_paused_reprompt"))
        )
    # The microphone closes after a reprompt anyway: end, and say how to come back.
    return tell(text(prompt("routine_paused").format(step=state.step_number)))


def left_off(turn: Turn) -> RoutineState | None:
    """A routine left unfinished in the last 15 minutes, from memory (None without one)."""
    if turn.persistent is None:
        return None
    saved = RoutineState.from_dict(memory.resumable_position(turn.persistent, turn.now))
    return saved if saved is not None and not saved.finished else None


def resume(turn: Turn) -> Reply | None:
    """Carry on this session's routine, or one left in the last 15 minutes (from memory)."""
    state = active(turn) or left_off(turn)
    if state is None:
        return None
    return speak_step(turn, routine.resume(state), prompt("routine_resumed"))


def switch_leg(turn: Turn) -> Reply:
    """ "Other leg", or the leg named ("left leg"): the same step on that leg. Naming a leg
    with no routine running starts the cramp routine for it ("my left one")."""
    named = _leg(turn)
    state = active(turn)
    if state is None:
        if named is not None:
            return start_relief(turn)
        return ask(text(prompt("switch_leg_nothing")), text(prompt("launch_reprompt")))
    current = state.current()
    if named is not None and current is not None and current[1] == named:
        return speak_step(turn, routine.resume(state), prompt("switch_leg_same").format(leg=named))
    switched = routine.switch_leg(state)
    current = switched.current()
    leg = current[1] if current else None
    key = "switch_leg_relief" if state.routine == "relief" else "switch_leg_stretch"
    return speak_step(turn, switched, prompt(key).format(leg=leg or "other"))


def set_hold_length(turn: Turn) -> Reply:
    """ "Make the holds twenty five seconds", or "longer", "shorter", "five more seconds"
    (five seconds when no number is said): clamp to 20-30 s, say so, and use it."""
    requested = _requested_seconds(turn)
    change = turn.slot_id("HoldChange")
    if change in ("longer", "shorter"):
        running = active(turn)
        now_held = running.hold if running is not None else preferred_hold(turn)
        step = requested if requested else HOLD_STEP_SECONDS
        requested = now_held + step if change == "longer" else now_held - step
    length = clamp_hold(requested)
    turn.state[_HOLD_KEY] = length.seconds
    if turn.persistent is not None:
        memory.set_hold_seconds(turn.persistent, length.seconds)
    said = prompt("hold_clamped" if length.clamped else "hold_set").format(seconds=length.seconds)
    state = active(turn)
    if state is not None:
        state = routine.set_hold(state, length.seconds)
        current = state.current()
        if current is not None and current[0].hold:
            return speak_step(turn, state, said)
        save_state(turn, state)
        return ask(text(said, prompt("step_next")), text(prompt("step_reprompt")))
    return ask(text(said, prompt("hold_set_later")), text(prompt("launch_reprompt")))


def _requested_seconds(turn: Turn) -> float | None:
    return seconds_from_slots(turn.slot("Seconds"), turn.slot("Duration"))
