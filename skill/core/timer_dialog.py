"""The timer conversation: set a hold or rest timer, and ask for permission by voice
(checking, pausing, resuming or cancelling one: :mod:`skill.core.timer_actions`).

Plain functions from a :class:`Turn` to a :class:`Reply`, like every other intent's; the calls
go through the turn's :class:`~skill.core.timers.TimerService` (the Timers API, at the edge:
:mod:`skill.alexa.timers`). Every failure becomes a
short spoken fallback (for holds, the in-speech countdown), never an error response. The
timers' ids live in the session attributes under ``timers``; when none are known, the
Timers API's own list of this skill's timers is asked, because a session usually ends once
a timer is set. So nothing about timers goes into the persistent store (see skill/core/memory.py:
it keeps only what it lists).
"""

from __future__ import annotations

import logging
from typing import Any

from skill.core import coaching, dialog, latch, questions, routine_place, step_speech, timer_state
from skill.core.consent import ConsentAnswer
from skill.core.durations import seconds_from_slots
from skill.core.logsafe import clean
from skill.core.reply import Reply, ask
from skill.core.routine_aside import hand_back as _close
from skill.core.speech import Duration, HoldPart, Msg, msg, say
from skill.core.timers import (
    TimerError,
    TimerSpec,
    hold_spec,
    kind_for,
    rest_spec,
)
from skill.core.turn import Turn

log = logging.getLogger(__name__)

UNAUTHORIZED = TimerError.UNAUTHORIZED


# --- speaking --------------------------------------------------------------------------
def _requested_seconds(turn: Turn) -> float | None:
    return seconds_from_slots(turn.slot("Number"), turn.slot("Duration"), turn.slot("Unit"))


def _confirm(turn: Turn, spec: TimerSpec) -> Reply:
    lead: list[Msg] = []
    if spec.clamped and spec.kind == "hold":
        lead.append(msg("hold_clamped", seconds=spec.seconds))
    elif spec.clamped:
        lead.append(msg("timer_rest_clamped", duration=Duration(spec.seconds)))
    return _close(
        turn,
        *lead,
        msg("timer_set", duration=Duration(spec.seconds)),
        msg(f"timer_{spec.kind}_set"),
    )


def _countdown(turn: Turn, spec: TimerSpec, *lead: Msg, **kwargs: Any) -> Reply:
    """The in-speech fallback: count a hold; for a rest, say how long to rest."""
    if spec.kind == "hold" and latch.is_closed(turn):
        return latch.refusal(turn)
    if spec.kind == "hold":
        return _close(turn, *lead, msg("timer_countdown_lead"), HoldPart(spec.hold), **kwargs)
    rest = msg(f"timer_{spec.kind}_fallback", duration=Duration(spec.seconds))
    return _close(turn, *lead, rest, **kwargs)


# --- setting a timer -------------------------------------------------------------------
def set_timer(turn: Turn) -> Reply:
    """ "Set a stretch timer for thirty seconds", "time my hold", "rest timer for two
    minutes": one create call, then a spoken confirmation or fallback."""
    seconds = _requested_seconds(turn)
    kind = kind_for(turn.slot_id("TimerKind"), seconds)
    if kind == "hold" and latch.is_closed(turn):
        return latch.refusal(turn)
    if kind == "rest":
        if seconds is None:
            return ask(say(msg("timer_rest_how_long")), say(msg("timer_rest_how_long_reprompt")))
        spec = rest_spec(seconds)
    elif seconds is None:
        spec = TimerSpec("hold", routine_place.preferred_hold(turn))
    else:
        spec = hold_spec(seconds)
    return _create(turn, spec, may_ask_consent=True)


def _create(turn: Turn, spec: TimerSpec, may_ask_consent: bool) -> Reply:
    timers = turn.timers
    if timers is None:
        return _countdown(turn, spec, msg("timer_no_api"))
    # The Timers API can be slow: say something now, within the same API budget.
    timers.announce(spec.kind)
    try:
        timer_id = timers.create(spec)
    except TimerError as error:
        if error.status == UNAUTHORIZED and may_ask_consent:
            timer_state.set_pending(turn, spec)
            return Reply(
                speech=say(msg("timer_need_permission")),
                directives=[timers.consent_request(spec)],
            )
        log.warning("timer not created: %s", error)
        return _fault(turn, spec)
    timer_state.set_pending(turn, None)
    if timer_id is not None:
        timer_state.remember(turn, timer_id, spec.kind)
    return _confirm(turn, spec)


def _fault(turn: Turn, spec: TimerSpec) -> Reply:
    """The API let us down: offer to count a hold in speech; a rest is simply timed by ear."""
    if spec.kind != "hold":
        return _countdown(turn, spec, msg("timer_fault"))
    timer_state.set_pending(turn, spec)
    questions.set_pending(turn, "timer_countdown")
    return ask(
        say(msg("timer_fault"), msg("timer_offer_countdown")),
        say(msg("timer_offer_countdown_reprompt")),
    )


def countdown_instead(turn: Turn) -> Reply:
    """Yes to "shall I count the hold for you instead?"."""
    spec = timer_state.pending(turn) or TimerSpec("hold", routine_place.preferred_hold(turn))
    timer_state.set_pending(turn, None)
    return _countdown(turn, spec)


def consent_answered(turn: Turn, answer: ConsentAnswer) -> Reply:
    """After Alexa asked for the timers permission: set the pending timer, or fall back."""
    spec = timer_state.pending(turn) or TimerSpec.from_token(answer.token)
    timer_state.set_pending(turn, None)
    if spec is None:
        return dialog.menu(turn)
    if answer.accepted:
        return _create(turn, spec, may_ask_consent=False)
    log.info(
        "timers_permission_not_granted status=%s code=%s", clean(answer.status), clean(answer.code)
    )
    lead = [msg("timer_no_permission")]
    card = None
    if not answer.card_thrown and turn.timers is not None:
        card = turn.timers.consent_card()
        lead.append(msg("timer_card_sent"))
    return _countdown(turn, spec, *lead, card=card)


questions.register("timer_countdown", yes=countdown_instead, no=dialog.goodbye)


def heat_timer(turn: Turn) -> Reply:
    """Yes to relief's "want a fifteen-minute timer for the heat or ice?": a real Alexa
    timer, asking for the permission by voice the first time (as "set a timer" does). Never
    once the safety latch is closed: heat is an instruction."""
    if latch.is_closed(turn):
        return latch.refusal(turn)
    return _create(turn, TimerSpec("heat", step_speech.HEAT_TIMER_SECONDS), may_ask_consent=True)


questions.register("heat_timer", yes=heat_timer, no=coaching.heat_timer_declined)
