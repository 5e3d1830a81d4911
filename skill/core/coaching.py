"""Guided routines by voice: the relief routine and stretch sessions, step by step.

Plain functions from a :class:`Turn` to a :class:`Reply`, driving :mod:`skill.core.routine`.
The routine state lives in the session attributes under ``routine``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from skill.core import disclaimer, latch, memory, memory_dialog, questions, routine, screens, ssml
from skill.core.durations import seconds_from_slots
from skill.core.holds import clamp_hold
from skill.core.reply import Reply, ask, tell
from skill.core.routine import RoutineState
from skill.core.speech import HoldPart, Markup, Msg, Part, msg, plain, say
from skill.core.ssml import WORDS_PER_SECOND
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
def speak_step(turn: Turn, state: RoutineState, *lead: Msg | str) -> Reply:
    """Say the current step (with its counted hold) and how to go on; on a screen, show it.
    Once the session's safety latch is closed, end the routine and say why instead."""
    if latch.is_closed(turn):
        save_state(turn, None)
        return latch.refusal(turn)
    save_state(turn, state)
    current = state.current()
    if current is None:
        return finish(turn, state)
    step, leg = current
    worded = turn.catalogue.step(state.routine, step.id)
    leg_word = turn.catalogue.text(f"leg_{leg}") if leg else ""
    instruction = say(worded.say.format(leg=leg_word), worded.safety)
    last = state.index == state.total_steps - 1
    beat = state.definition.position_beat_seconds if step.hold else 0
    speech = say(
        *lead,
        instruction,
        # A spoken beat to get down on the floor or up on a step before the count.
        msg("get_into_position") if beat else None,
        Markup(ssml.pause(beat)) if beat else None,
        HoldPart(state.hold) if step.hold else None,
        # Once per person, and only after an instruction's hold (a move without one is kept
        # short: the disclaimer waits for a held step or a tip).
        disclaimer.once(turn) if step.hold else None,
        msg("step_last" if last else "step_next"),
    )
    # A card shows the instruction on screen devices and in the Alexa app.
    title = msg(
        "step_card_title",
        routine=turn.catalogue.routine(state.routine).title,
        step=state.step_number,
        total=state.total_steps,
    )
    # The screen's countdown starts once the instruction is said (estimated, as holds are).
    starts_after = len(plain(say(*lead, instruction), turn.catalogue).split()) / WORDS_PER_SECOND
    screen = screens.step_screen(
        turn.catalogue, state, leg, state.hold if step.hold else 0, starts_after
    )
    return ask(
        speech, say(msg("step_reprompt")), card_title=title, card_text=instruction, screen=screen
    )


def finish(turn: Turn, state: RoutineState) -> Reply:
    """End of a routine, at most about 30 words. Relief: its short recap, the one-sentence
    red-flag reminder (with the frequent-cramp advice when the log shows it) and one offer
    of a tip. A stretch session: its own short ending, and goodbye."""
    save_state(turn, None)
    recap = turn.catalogue.routine(state.routine).recap
    screen = screens.text_screen(
        "finished",
        turn.catalogue.text("screen_finished_title"),
        [recap],
        turn.catalogue.text("red_flag_reminder") if state.routine == "relief" else "",
    )
    if state.routine != "relief":
        return tell(say(recap), screen=screen)
    if memory_dialog.log_offer_due(turn):  # asked once per person, instead of the tip
        reminder = msg("red_flag_reminder")
        return memory_dialog.offer_log(turn, "relief", recap, reminder, screen=screen)
    return offer_tip(
        turn, recap, *memory_dialog.relief_ending(turn), msg("red_flag_reminder"), screen=screen
    )


def offer_tip(turn: Turn, *spoken: Part, **shown: Any) -> Reply:
    """Say ``spoken`` and offer a prevention tip, once a session; after that, goodbye.
    ``shown`` passes a screen on to the reply."""
    if turn.state.get(TIP_OFFERED_KEY):
        return tell(say(*spoken, msg("better_bye")), **shown)
    turn.state[TIP_OFFERED_KEY] = True
    questions.set_pending(turn, "tip_after_routine")
    return ask(
        say(*spoken, msg("routine_done_question")), say(msg("routine_done_reprompt")), **shown
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
    if turn.persistent is None:
        # Nothing keeps the place once the session closes: say so, and keep listening.
        return ask(say(msg("routine_paused_no_memory")), say(msg("routine_paused_reprompt")))
    # The microphone closes after a reprompt anyway: end, and say how to come back.
    return tell(say(msg("routine_paused", step=state.step_number)))


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
    return speak_step(turn, routine.resume(state), msg("routine_resumed"))


def switch_leg(turn: Turn) -> Reply:
    """ "Other leg", or the leg named ("left leg"): the same step on that leg. Naming a leg
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
    switched = routine.switch_leg(state)
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
    turn.state[_HOLD_KEY] = length.seconds
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
