"""Guided routines by voice: the relief routine and stretch sessions, step by step.

Plain functions from a :class:`Turn` to a :class:`Reply`, driving :mod:`skill.core.routine`.
The routine state lives in the session attributes under ``routine``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from skill.core import (
    disclaimer,
    habit,
    injury_memory,
    latch,
    memory,
    memory_dialog,
    questions,
    reminder_offers,
    routine,
    screens,
    ssml,
)
from skill.core.durations import seconds_from_slots
from skill.core.hold_range import DEFAULT_HOLD, HoldSeconds, clamp_hold
from skill.core.reply import Reply, ask, tell
from skill.core.routine import RoutineState
from skill.core.speech import HoldPart, Markup, Msg, Part, Speech, msg, plain, say
from skill.core.ssml import WORDS_PER_SECOND
from skill.core.turn import Turn

Transition = Callable[[RoutineState], RoutineState]

_STATE_KEY: Final = "routine"
_HOLD_KEY: Final = "hold"
#: Session flag: a prevention tip was offered once this session (better/thanks ends without).
TIP_OFFERED_KEY: Final = "tip_offered"
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


def preferred_hold(turn: Turn) -> HoldSeconds:
    """The person's hold length: this session's choice, then their saved preference, then
    the default (both were checked on the way in)."""
    stored = turn.state.get(_HOLD_KEY)
    if stored is None and turn.persistent:
        stored = memory.hold_seconds(turn.persistent)
    return stored or DEFAULT_HOLD


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
    questions.clear(turn)  # a step answers whatever was asked before it
    current = state.current()
    if current is None:
        return finish(turn, state)
    step, leg = current
    worded = turn.catalogue.step(state.routine, step.id)
    leg_word = turn.catalogue.text(f"leg_{leg}") if leg else ""
    instruction = say(worded.say.format(leg=leg_word), worded.safety)
    held = _held(turn, state)
    first_leg = state
    if turn.state.get("both_legs") and step.hold and step.per_leg and state.changes_position:
        # Both legs in one answer: this leg's hold, then the other leg's, then one ending.
        other = routine.advance(state)
        if other.current() is not None and not other.changes_position:
            other_step, other_leg_ = other.current()  # type: ignore[misc]
            other_worded = turn.catalogue.step(other.routine, other_step.id)
            other_word = turn.catalogue.text(f"leg_{other_leg_}") if other_leg_ else ""
            held = say(
                held,
                msg("both_legs_switch"),
                other_worded.say.format(leg=other_word),
                other_worded.safety,
                _held(turn, other),
            )
            state = other
            save_state(turn, state)
    last = state.index == state.total_steps - 1
    speech = say(
        *lead,
        instruction,
        held,
        # Once per person, and only after an instruction's hold (a move without one is kept
        # short: the disclaimer waits for a held step or a tip).
        disclaimer.once(turn) if step.hold else None,
        None if last else _ending(turn, state, step.id),
    )
    # A card shows the instruction on screen devices and in the Alexa app.
    title = msg(
        "step_card_title",
        routine=turn.catalogue.routine(state.routine).title,
        step=state.step_number,
        total=state.total_steps,
    )
    screen = None
    if turn.shows_screen:
        # The screen's countdown starts once the instruction is said (estimated, as holds are).
        said = plain(say(*lead, instruction), turn.catalogue)
        starts_after = len(said.split()) / WORDS_PER_SECOND
        hold = state.hold if step.hold else 0
        screen = screens.step_screen(turn.catalogue, first_leg, leg, hold, starts_after)
        if first_leg is not state:
            screen["coach"]["properties"]["position"] = screens.position_token(state)
    if last:
        # The last step ends the routine itself: no extra "next" just to hear "well done".
        done = finish(turn, routine.advance(state))
        done.speech = say(speech, done.speech)
        if step.hold:
            done.screen = screen  # the countdown first; the ending is heard after it
        return done
    return ask(
        speech, say(msg("step_reprompt")), card_title=title, card_text=instruction, screen=screen
    )


def _held(turn: Turn, state: RoutineState) -> Speech:
    """A step's beat and counted hold: a spoken beat to get down on the floor or up on a
    step before the count (longer when the position changes, then ended by a cue)."""
    current = state.current()
    if current is None or not current[0].hold:
        return say()
    beat = state.beat_seconds
    return say(
        msg("get_into_position") if beat else None,
        Markup(ssml.pause(beat)) if beat else None,
        msg("position_ready") if beat > state.definition.position_beat_seconds else None,
        HoldPart(state.hold),
    )


def both_legs(turn: Turn) -> Reply:
    """Yes to "both legs in one go?" (asked once both legs of the first stretch are done,
    so the person knows what it means): the next stretches come with both legs in one
    answer. A "next" instead moves on one leg at a time, as ever."""
    turn.state["both_legs"] = True
    return next_step(turn) or heat_timer_declined(turn)


#: Step endings, in turn, so no two steps in a row end alike.
STEP_ENDINGS = ("step_next", "step_next_2", "step_next_3")


def _ending(turn: Turn, state: RoutineState, step_id: str) -> Msg:
    """How a step ends: relief's heat or cold step offers a fifteen-minute timer (the
    voice permission flow sets it); the others say how to go on, never twice alike."""
    if state.routine == "relief" and step_id == HEAT_STEP:
        questions.set_pending(turn, "heat_timer")
        return msg("heat_timer_offer")
    current = state.current()
    first_pair = state.index == 1 and not state.changes_position
    held_pair = current is not None and current[0].per_leg and current[0].hold
    if first_pair and held_pair and not turn.state.get("both_legs"):
        # Both legs of the first stretch done one by one: offer the rest in one go.
        questions.set_pending(turn, "both_legs")
        return msg("both_legs_offer")
    return msg(STEP_ENDINGS[state.index % len(STEP_ENDINGS)])


#: The relief step (heat or cold) that offers a timer, and the timer's length (the step's
#: own advice is to use warmth or cold; fifteen minutes is a kitchen-timer length, not a
#: medical claim: see docs/voice-design.md).
HEAT_STEP = "temperature"
HEAT_TIMER_SECONDS = 15 * 60


def heat_timer_declined(turn: Turn) -> Reply:
    """No to the heat timer: the step stays, and "next" moves on."""
    return ask(say(msg("no_question"), msg("step_next")), say(msg("step_reprompt")))


def heat_timer_by_voice(turn: Turn) -> Reply:
    """Yes to the heat timer where Alexa timers are not wired (plain core tests): say how
    long, and the step stays. The skill's timer dialog replaces this with a real timer."""
    return ask(say(msg("heat_timer_by_ear"), msg("step_next")), say(msg("step_reprompt")))


def finish(turn: Turn, state: RoutineState) -> Reply:
    """End of a routine, at most about 30 words. Relief: its short recap, the one-sentence
    red-flag reminder (with the frequent-cramp advice when the log shows it) and one offer
    of a tip. A stretch session: its own short ending, and goodbye."""
    save_state(turn, None)
    recap = turn.catalogue.routine(state.routine).recap
    screen = None
    if turn.shows_screen:
        screen = screens.text_screen(
            "finished",
            turn.catalogue.text("screen_finished_title"),
            [recap],
            turn.catalogue.text("red_flag_reminder") if state.routine == "relief" else "",
        )
    if state.routine != "relief":
        habit.note_finished(turn, state.routine)
        # Never after a relief routine: a reminder to stretch is offered after a session.
        offered = reminder_offers.offer(
            turn, state.routine, reminder_offers.AFTER_SESSION, recap, screen=screen
        )
        return offered or tell(say(recap, msg("session_bye")), screen=screen)
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


def paused(turn: Turn) -> RoutineState | None:
    """The routine waiting to be carried on: this session's, paused, or (with no routine
    in this session) one left in the last 15 minutes."""
    state = active(turn)
    if state is not None:
        return state if state.paused else None
    return left_off(turn)


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


def aside(turn: Turn, *answer: Part) -> Reply | None:
    """A side question in a routine ("why do I get these", "is water enough"): ``answer``
    (at most two sentences), then how to go back to the step. The routine stays in the
    session, paused at its step, so "carry on", "no", "ok go" or "continue" return to it
    and nothing ends it. None when no routine is running (the full answer is given)."""
    state = active(turn)
    if state is None or latch.is_closed(turn):
        return None
    save_state(turn, routine.pause(state))
    questions.set_pending(turn, "back_to_step")
    step = state.step_number
    return ask(
        say(*answer, msg("aside_back", step=step)), say(msg("aside_back_reprompt", step=step))
    )


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
