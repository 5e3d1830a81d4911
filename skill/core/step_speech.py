"""Saying a routine's step: the instruction, its beat and counted hold, both legs in one
answer once asked for, a card and a screen, and how the step ends (never twice alike; relief's
heat step offers a timer). Once the safety latch is closed, no step is said.
"""

from __future__ import annotations

from skill.core import disclaimer, latch, questions, routine, screens, ssml
from skill.core.reply import Reply, ask
from skill.core.routine import RoutineState
from skill.core.routine_end import finish
from skill.core.routine_place import save_state
from skill.core.speech import HoldPart, Markup, Msg, Speech, msg, plain, say
from skill.core.ssml import WORDS_PER_SECOND
from skill.core.turn import Turn

#: The relief step (heat or cold) that offers a timer, and the timer's length (the step's
#: own advice is to use warmth or cold; fifteen minutes is a kitchen-timer length, not a
#: medical claim: see docs/voice-design.md).
HEAT_STEP = "temperature"
HEAT_TIMER_SECONDS = 15 * 60


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
