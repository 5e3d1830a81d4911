"""The conversation around the content: launch, help, stop, fallback, yes/no, repeat and
the navigation intents that mean different things in and out of a routine."""

from __future__ import annotations

from skill.core import (
    coaching,
    injury_memory,
    latch,
    questions,
    replay,
    routine_place,
    screens,
    topics,
)
from skill.core.reply import Reply, ask, tell
from skill.core.speech import Markup, Msg, msg, say
from skill.core.turn import Turn


def launch(turn: Turn) -> Reply:
    """About 15 words, one question: is it cramping now? One word ("yes", "cramp", "now",
    "help") then starts the stretch, so a person mid-cramp is one turn from the first
    instruction. Offers to carry on a routine left in the last 15 minutes instead."""
    unfinished = routine_place.left_off(turn)
    if unfinished is not None:
        questions.set_pending(turn, "carry_on")
        offer = msg(
            "launch_carry_on",
            step=unfinished.step_number,
            routine=msg(f"routine_name_{unfinished.routine}"),
        )
        return ask(say(offer), say(msg("launch_carry_on_reprompt")))
    return welcome(turn)


def welcome(turn: Turn) -> Reply:
    questions.set_pending(turn, "is_cramping")
    screen = screens.launch_screen(turn.catalogue) if turn.shows_screen else None
    return ask(say(msg("launch")), say(msg("launch_reprompt")), screen=screen)


def help_(turn: Turn) -> Reply:
    """Help that teaches, and starts nothing: at launch (or anywhere outside a routine) what
    the skill does and the three things to say; in a routine, the controls there are (next,
    repeat, longer or shorter, other leg, pause, a question), with the place kept."""
    questions.clear(turn)
    state = routine_place.active(turn)
    if state is not None:
        return ask(
            say(msg("routine_help", step=state.step_number)),
            say(msg("routine_help_reprompt", step=state.step_number)),
        )
    return ask(say(msg("help")), say(msg("help_reprompt")))


def menu(turn: Turn, *lead: Msg) -> Reply:
    return ask(say(*lead, msg("menu"), msg("menu_question")), say(msg("help_reprompt")))


def navigate_home(turn: Turn) -> Reply:
    routine_place.save_state(turn, None)
    return menu(turn, msg("navigate_home"))


def goodbye(turn: Turn) -> Reply:
    state = routine_place.active(turn)
    if state is None:
        key = "goodbye"
    else:
        key = "goodbye_routine" if state.routine == "relief" else "goodbye_session"
    return tell(say(msg(key)))


def fallback(turn: Turn) -> Reply:
    """Escalates, since a person in trouble may not find the words. Every miss opens with
    the safety sentence ("If you're hurt or it's an emergency, call ... now."): the skill
    never hears the words it did not understand, and they may have been an alarm. Then the
    first miss says what to say; the second in a row only "otherwise, say help"; the third
    offers the menu and ends the session politely."""
    misses = int(turn.state.get("misses") or 0) + 1
    turn.state["misses"] = misses
    first = msg("safety_first")
    state = routine_place.active(turn)
    if state is not None:
        return _routine_fallback(turn, misses, state.step_number)
    if misses >= 3:
        forget_misses(turn)
        return tell(say(first, msg("fallback_last"), msg("menu"), msg("fallback_goodbye")))
    if misses == 2:
        return ask(say(first, msg("fallback_again")), say(msg("fallback_reprompt")))
    return ask(say(first, msg("fallback")), say(msg("fallback_reprompt")))


def _routine_fallback(turn: Turn, misses: int, step: int) -> Reply:
    """A miss in a routine keeps the routine and says its place is kept, after the safety
    sentence (as every miss): the step's options first, then "otherwise, say help"; the
    third pauses it at its step (as "pause" does, so "resume" or "carry on" comes back to
    it)."""
    first = msg("safety_first")
    if misses >= 3:
        forget_misses(turn)
        paused = coaching.pause(turn)
        if paused is not None:
            paused.speech = say(first, msg("fallback_last"), paused.speech)
            return paused
    if misses == 2:
        return ask(
            say(first, msg("fallback_again"), msg("routine_place_kept", step=step)),
            say(msg("routine_fallback_reprompt", step=step)),
        )
    return ask(
        say(first, msg("routine_fallback", step=step)),
        say(msg("routine_fallback_reprompt", step=step)),
    )


def forget_misses(turn: Turn) -> None:
    """Anything understood ends a run of misses."""
    turn.state.pop("misses", None)


def yes(turn: Turn) -> Reply:
    answered = questions.answer(turn, yes=True)
    if answered is not None:
        return answered
    if latch.is_closed(turn):
        return latch.refusal(turn)
    # "ok", "venga", "órale" with a routine waiting: carry on with it.
    if routine_place.paused(turn) is not None:
        return resume(turn)
    return menu(turn)


def no(turn: Turn) -> Reply:
    return questions.answer(turn, yes=False) or goodbye(turn)


def repeat(turn: Turn) -> Reply:
    """Repeat the current routine step (with its hold), else the last thing said."""
    step = coaching.repeat_step(turn)
    if step is not None:
        return step
    said = turn.state.get("said")
    if not isinstance(said, dict):
        said = {}
    base = turn.settings.audio_base_url
    speech = replay.render(said.get("speech") or [], base)
    if not speech:
        return menu(turn, msg("nothing_to_repeat"))
    reprompt = replay.render(said.get("reprompt") or [], base)
    return ask(
        say(Markup(speech)), say(Markup(reprompt)) if reprompt else say(msg("help_reprompt"))
    )


def remember_reply(turn: Turn, reply: Reply, speech: str, reprompt: str | None) -> None:
    """Keep what was just said (rendered as ``speech`` and ``reprompt``, when the session
    stays open) for "repeat": as plain segments the next turn re-renders, never as SSML to
    replay (see skill.core.replay)."""
    if reply.keeps_session_open:
        base = turn.settings.audio_base_url
        turn.state["said"] = {
            "speech": replay.capture(speech, base),
            "reprompt": replay.capture(reprompt, base),
        }


def next_(turn: Turn) -> Reply:
    """Next step in a routine; otherwise the next tip or cause the person was hearing. Once
    the safety latch is closed, why there is no next step."""
    if latch.is_closed(turn):
        routine_place.save_state(turn, None)
        return latch.refusal(turn)
    step = coaching.next_step(turn)
    if step is not None:
        return step
    last_topic = (turn.state.get("last") or {}).get("topic")
    if last_topic == "causes" or questions.pending(turn) in ("next_cause", "more_or_next_cause"):
        return topics.next_cause(turn)
    return topics.prevention_tip(turn)


def previous(turn: Turn) -> Reply:
    return coaching.previous_step(turn) or menu(turn, msg("no_routine"))


def skip(turn: Turn) -> Reply:
    return coaching.skip_step(turn) or next_(turn)


def pause(turn: Turn) -> Reply:
    return coaching.pause(turn) or tell(say(msg("pause")))


def resume(turn: Turn) -> Reply:
    if latch.is_closed(turn):
        return latch.refusal(turn)
    return coaching.resume(turn) or menu(turn, msg("resume_nothing"))


def start_over(turn: Turn) -> Reply:
    if latch.is_closed(turn):
        return latch.refusal(turn)
    return coaching.start_over(turn) or launch(turn)


def _register_questions() -> None:
    """What yes and no mean after each question the skill asks."""
    questions.register(
        "is_cramping", yes=coaching.start_relief, no=lambda t: menu(t, msg("no_question"))
    )
    questions.register("carry_on", yes=resume, no=welcome)
    questions.register(
        injury_memory.QUESTION, yes=coaching.start_relief, no=lambda t: menu(t, msg("no_question"))
    )
    # After a side question in a routine: yes, no, "ok" all go back to the step.
    questions.register("back_to_step", yes=resume, no=resume)
    # The first leg of a session's first stretch offers both legs in one go.
    questions.register("both_legs", yes=coaching.both_legs, no=coaching.heat_timer_declined)
    # Relief's heat or cold step offers a timer; skill.alexa.timer_dialog sets a real one.
    questions.register(
        "heat_timer", yes=coaching.heat_timer_by_voice, no=coaching.heat_timer_declined
    )
    questions.register("anything_else", yes=lambda t: menu(t), no=goodbye)
    questions.register(
        "more", yes=topics.more, no=lambda t: topics.anything_else(t, msg("no_question"))
    )
    questions.register("next_tip", yes=topics.prevention_tip, no=goodbye)
    questions.register("next_cause", yes=topics.next_cause, no=goodbye)
    questions.register("more_or_next_cause", yes=topics.more, no=goodbye)
    questions.register("causes", yes=topics.causes, no=goodbye)
    questions.register(
        "causes_rest",
        yes=topics.causes_rest,
        no=lambda t: topics.anything_else(t, msg("no_question")),
    )
    questions.register("tip_after_routine", yes=topics.prevention_tip, no=goodbye)
    questions.register(
        "doctor_full",
        yes=topics.doctor_full_list,
        no=lambda t: topics.anything_else(t, msg("no_question")),
    )


_register_questions()
