"""The timer conversation: set a hold or rest timer, ask for permission by voice, and
check, pause, resume or cancel the timers this skill set.

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
from dataclasses import dataclass
from typing import Any

from skill.core import coaching, dialog, latch, questions, timer_state
from skill.core.durations import seconds_from_slots
from skill.core.logsafe import clean
from skill.core.reply import Reply, ask, tell
from skill.core.speech import Duration, HoldPart, Msg, Speech, msg, say
from skill.core.state import TimerRecord
from skill.core.timers import (
    KINDS,
    Listed,
    TimerError,
    TimerService,
    TimerSpec,
    hold_spec,
    kind_for,
    rest_spec,
)
from skill.core.turn import Turn

log = logging.getLogger(__name__)

NOT_FOUND = TimerError.NOT_FOUND
UNAUTHORIZED = TimerError.UNAUTHORIZED


@dataclass(frozen=True)
class ConsentAnswer:
    """What Alexa reports after asking the person for the timers permission."""

    status: str
    card_thrown: bool = False
    token: str | None = None
    code: str = "200"

    @property
    def accepted(self) -> bool:
        return self.code == "200" and self.status == "ACCEPTED"


# --- speaking --------------------------------------------------------------------------
def _close(turn: Turn, *sentences: Msg | HoldPart, **kwargs: Any) -> Reply:
    """End here, unless a routine is in progress: then hand back to it."""
    body: Speech = say(*sentences)
    if coaching.active(turn) is not None:
        return ask(say(body, msg("step_next")), say(msg("step_reprompt")), **kwargs)
    return tell(body, **kwargs)


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
        spec = TimerSpec("hold", coaching.preferred_hold(turn))
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
    spec = timer_state.pending(turn) or TimerSpec("hold", coaching.preferred_hold(turn))
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


# --- acting on timers that exist -------------------------------------------------------
def _targets(turn: Turn, timers: TimerService) -> list[TimerRecord]:
    """Known timers, newest first; if none are known, the ones Alexa lists for this skill.
    A named kind narrows the list when the skill has a timer of that kind."""
    targets = list(reversed(timer_state.known(turn)))
    if not targets:
        targets = [_record(timer) for timer in timers.listed()]
        for timer in reversed(targets):
            timer_state.remember(turn, timer["id"], timer["kind"])
    # "Cancel the rest timer": that kind first, if the skill has one.
    kind = turn.slot_id("TimerKind")
    matching = [t for t in targets if t["kind"] == kind]
    return matching or targets


def _record(timer: Listed) -> TimerRecord:
    return TimerRecord(id=timer.id, kind=timer.kind)


def timer_status(turn: Turn) -> Reply:
    """ "How much time is left": read the newest running timer."""
    timers = turn.timers
    if timers is None:
        return _close(turn, msg("timer_no_api"))
    gone: set[str] = set()
    try:
        for target in _targets(turn, timers):
            try:
                reading = timers.reading(target["id"])
            except TimerError as error:
                if error.status != NOT_FOUND:
                    raise
                gone.add(target["id"])
                continue
            if reading is None:
                gone.add(target["id"])
                continue
            timer_state.forget(turn, gone)
            key = "timer_paused_left" if reading.paused else "timer_left"
            said = target["kind"] if target["kind"] in KINDS else "hold"
            kind = msg(f"timer_kind_{said}")
            return _close(turn, msg(key, kind=kind, duration=_spoken_left(reading.seconds_left)))
    except TimerError as error:
        log.warning("timer status failed: %s", error)
        timer_state.forget(turn, gone)
        return _close(turn, msg("timer_unreachable"))
    timer_state.forget(turn, gone)
    return _nothing_running(turn, bool(gone))


def _spoken_left(seconds: int) -> Duration:
    # Under a minute the seconds matter; above it, whole seconds are noise to the ear.
    if seconds > 120:
        seconds = round(seconds / 60) * 60
    return Duration(max(1, seconds))


def _nothing_running(turn: Turn, some_finished: bool) -> Reply:
    if some_finished:
        return _close(turn, msg("timer_gone"))
    return _close(turn, msg("timer_none"), msg("timer_none_hint"))


def _act_on_newest(turn: Turn, action: str) -> Reply:
    """Pause or resume the newest timer this skill set."""
    timers = turn.timers
    if timers is None:
        return _close(turn, msg("timer_no_api"))
    newest: str | None = None
    try:
        targets = _targets(turn, timers)
        if not targets:
            return _nothing_running(turn, False)
        newest = targets[0]["id"]
        (timers.pause if action == "pause" else timers.resume)(newest)
    except TimerError as error:
        if error.status == NOT_FOUND and newest is not None:
            timer_state.forget(turn, {newest})
            return _close(turn, msg("timer_gone"))
        log.warning("timer %s failed: %s", action, error)
        return _close(turn, msg("timer_unreachable"))
    return _close(turn, msg("timer_paused" if action == "pause" else "timer_resumed"))


def pause_timer(turn: Turn) -> Reply:
    return _act_on_newest(turn, "pause")


def resume_timer(turn: Turn) -> Reply:
    return _act_on_newest(turn, "resume")


def cancel_timer(turn: Turn) -> Reply:
    """Cancel every timer this skill set (Alexa allows few; usually there is one)."""
    timers = turn.timers
    if timers is None:
        return _close(turn, msg("timer_no_api"))
    cancelled: set[str] = set()
    gone: set[str] = set()
    try:
        for target in _targets(turn, timers):
            try:
                timers.delete(target["id"])
                cancelled.add(target["id"])
            except TimerError as error:
                if error.status != NOT_FOUND:
                    raise
                gone.add(target["id"])
    except TimerError as error:
        log.warning("timer cancel failed: %s", error)
        timer_state.forget(turn, cancelled | gone)
        return _close(turn, msg("timer_unreachable"))
    timer_state.forget(turn, cancelled | gone)
    if cancelled:
        return _close(turn, msg("timer_cancelled"))
    return _nothing_running(turn, bool(gone))


questions.register("timer_countdown", yes=countdown_instead, no=dialog.goodbye)


def heat_timer(turn: Turn) -> Reply:
    """Yes to relief's "want a fifteen-minute timer for the heat or ice?": a real Alexa
    timer, asking for the permission by voice the first time (as "set a timer" does). Never
    once the safety latch is closed: heat is an instruction."""
    if latch.is_closed(turn):
        return latch.refusal(turn)
    return _create(turn, TimerSpec("heat", coaching.HEAT_TIMER_SECONDS), may_ask_consent=True)


questions.register("heat_timer", yes=heat_timer, no=coaching.heat_timer_declined)
