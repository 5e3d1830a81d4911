"""The reminder conversation: set a stretch or drink reminder when asked, ask for the
permission by voice, list and cancel this skill's reminders, and propose one after a
stretch session or a prevention tip (skill.core.reminder_offers).

Plain functions from a :class:`Turn` to a :class:`Reply`, like the timers'; the calls go
through the turn's :class:`~skill.core.reminders.ReminderService` (the Reminders API, at the
edge: :mod:`skill.alexa.reminders`). Nothing about reminders is kept beyond the session: the
API holds them, and "what reminders do I have" asks it.
Every API failure becomes an honest spoken line (nothing was set), never an error response.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from skill.core import dialog, questions, reminder_offers, reminder_plan, routine_place
from skill.core.consent import ConsentAnswer
from skill.core.logsafe import clean
from skill.core.reminder_plan import ReminderPlan, described, plan_of, plan_of_token, what
from skill.core.reminders import ReminderError, ReminderService
from skill.core.reply import Reply, ask, tell
from skill.core.speech import Msg, msg, say
from skill.core.turn import Turn

log = logging.getLogger(__name__)

UNAUTHORIZED = 401
FORBIDDEN = 403
BAD_REQUEST = 400
THROTTLED = 429
#: At most this many reminders are read out; the rest are counted.
MAX_LISTED = 3


# --- state -------------------------------------------------------------------------------
def _set_pending(turn: Turn, plan: ReminderPlan | None) -> None:
    if plan is None:
        turn.state.pop("reminder_pending", None)
    else:
        turn.state["reminder_pending"] = plan.to_dict()


def _pending(turn: Turn) -> ReminderPlan | None:
    return ReminderPlan.from_dict(turn.state.get("reminder_pending"))


def _close(turn: Turn, *sentences: Msg, **kwargs: Any) -> Reply:
    """End here, unless a routine is in progress: then hand back to it."""
    if routine_place.active(turn) is not None:
        return ask(say(*sentences, msg("step_next")), say(msg("step_reprompt")), **kwargs)
    return tell(say(*sentences), **kwargs)


def _service(turn: Turn) -> ReminderService | None:
    return turn.reminders


# --- setting one -------------------------------------------------------------------------
def set_reminder(turn: Turn) -> Reply:
    """ "Remind me to stretch every evening at eight", "remind me to drink water before my
    run on Saturday at nine", "remind me to stretch after the gym tomorrow"."""
    plan = plan_of(
        turn.slot_id("ReminderKind"),
        turn.slot_id("SessionKind"),
        turn.slot_id("Recurrence"),
        _value(turn, "Date"),
        _value(turn, "Time"),
    )
    if turn.reminders is None:  # nothing could be set: say so before asking anything
        return _close(turn, msg("reminder_no_api"))
    if not plan.has_time:
        return _ask_time(turn, plan)
    return _create(turn, plan, may_ask_consent=True)


def _value(turn: Turn, name: str) -> str | None:
    slot = turn.slot(name)
    return slot.value if slot is not None else None


def _ask_time(turn: Turn, plan: ReminderPlan, *lead: Msg) -> Reply:
    _set_pending(turn, plan)
    return ask(say(*lead, msg("reminder_ask_time")), say(msg("reminder_ask_time_reprompt")))


def reminder_time(turn: Turn) -> Reply:
    """A time said on its own ("at eight p.m."): the answer to "what time?". With no such
    question pending it is a miss ("one sec" mid-stretch is heard as a time), so it gets the
    fallback, which keeps a routine's place and carries the safety line."""
    plan = _pending(turn)
    if plan is None:
        return dialog.fallback(turn)
    timed = plan.with_time(_value(turn, "Time"))
    if timed is None:
        return _ask_time(turn, plan, msg("reminder_time_unclear"))
    return _create(turn, timed, may_ask_consent=True)


def _create(turn: Turn, plan: ReminderPlan, may_ask_consent: bool) -> Reply:
    service = _service(turn)
    if service is None:
        _set_pending(turn, None)
        return _close(turn, msg("reminder_no_api"))
    first: datetime | None = None
    zone = None
    if plan.in_days is not None:  # an offered reminder: relative, no time zone needed
        now = datetime.fromtimestamp(turn.now, UTC).replace(tzinfo=None)
    else:
        zone = service.zone()
        if zone is None:
            _set_pending(turn, None)
            return _close(turn, msg("reminder_no_zone"))
        now = datetime.fromtimestamp(turn.now, zone).replace(tzinfo=None)
        first = reminder_plan.first_time(plan, now)
        if first is None:
            untimed = replace(plan, hour=None)
            return _ask_time(turn, untimed, msg("reminder_past"))
    try:
        service.create(plan, first, now, zone)
    except ReminderError as error:
        return _refused(turn, service, plan, error, may_ask_consent)
    _set_pending(turn, None)
    return _close(
        turn,
        msg("reminder_set", what=what(plan), when=described(plan, first, now.date())),
        msg("reminder_cancel_hint"),
    )


def _refused(
    turn: Turn,
    service: ReminderService,
    plan: ReminderPlan,
    error: ReminderError,
    may_ask_consent: bool,
) -> Reply:
    """What each documented failure means to the person; nothing was set in any of them."""
    if error.status == UNAUTHORIZED and may_ask_consent:
        _set_pending(turn, plan)
        return Reply(
            speech=say(msg("reminder_need_permission")), directives=[service.consent_request(plan)]
        )
    _set_pending(turn, None)
    log.warning("reminder not created: %s", error)
    if error.status == UNAUTHORIZED:
        return _close(
            turn,
            msg("reminder_no_permission"),
            msg("reminder_card_sent"),
            card=service.consent_card(),
        )
    if error.status == FORBIDDEN:
        return _close(turn, msg("reminder_limit"))
    if error.status == BAD_REQUEST:
        return _close(turn, msg("reminder_invalid"))
    if error.status == THROTTLED:
        return _close(turn, msg("reminder_busy"))
    return _close(turn, msg("reminder_fault"))


def consent_answered(turn: Turn, answer: ConsentAnswer) -> Reply:
    """After Alexa asked for the reminders permission: set the pending reminder, or say
    plainly that none was set (with the card, unless Alexa already sent one)."""
    plan = _pending(turn) or plan_of_token(answer.token)
    _set_pending(turn, None)
    if plan is None or not plan.has_time:
        return dialog.menu(turn)
    if answer.accepted:
        return _create(turn, plan, may_ask_consent=False)
    log.info(
        "reminders_permission_not_granted status=%s code=%s",
        clean(answer.status),
        clean(answer.code),
    )
    service = _service(turn)
    if answer.card_thrown or service is None:
        return _close(turn, msg("reminder_no_permission"))
    return _close(
        turn,
        msg("reminder_no_permission"),
        msg("reminder_card_sent"),
        card=service.consent_card(),
    )


# --- the ones that exist ---------------------------------------------------------------
def list_reminders(turn: Turn) -> Reply:
    """ "What reminders do I have": read this skill's reminders back from the API."""
    service = _service(turn)
    if service is None:
        return _close(turn, msg("reminder_no_api"))
    zone = service.zone()
    try:
        listed = service.listed(zone)
    except ReminderError as error:
        if error.status == UNAUTHORIZED:  # no permission: the skill has set none
            return _close(turn, msg("reminder_none"), msg("reminder_how"))
        log.warning("reminder list failed: %s", error)
        return _close(turn, msg("reminder_unreachable"))
    if not listed:
        return _close(turn, msg("reminder_none"), msg("reminder_how"))
    told: list[Msg] = [msg("reminder_count", count=len(listed))]
    today = datetime.fromtimestamp(turn.now, zone).date() if zone is not None else None
    for reminder in listed[:MAX_LISTED]:
        plan = reminder.plan
        if plan is not None and plan.has_time:
            when = described(plan, reminder.first, today)
            told.append(msg("reminder_list_item", what=what(plan), when=when))
    return _close(turn, *told, msg("reminder_cancel_hint"))


def cancel_reminder(turn: Turn) -> Reply:
    """ "Cancel my stretch reminder": delete this skill's reminders of that kind (all of
    them when no kind is named). Asked for explicitly, so no second question."""
    service = _service(turn)
    if service is None:
        return _close(turn, msg("reminder_no_api"))
    kind = turn.slot_id("ReminderKind")
    cancelled = 0
    try:
        listed = service.listed(None)
        for reminder in listed:
            if kind in reminder_plan.KINDS and reminder.kind != kind:
                continue
            service.delete(reminder.token)
            cancelled += 1
    except ReminderError as error:
        if error.status == UNAUTHORIZED and cancelled == 0:
            return _close(turn, msg("reminder_none"))
        log.warning("reminder cancel failed: %s", error)
        if cancelled:
            return _close(
                turn, msg("reminder_cancelled_some", count=cancelled), msg("reminder_unreachable")
            )
        return _close(turn, msg("reminder_unreachable"))
    if not cancelled:
        return _close(turn, msg("reminder_none"))
    return _close(turn, msg("reminder_cancelled", count=cancelled))


# --- offers ------------------------------------------------------------------------------
def accept_offer(turn: Turn) -> Reply:
    """Yes to "want me to remind you to stretch again on Thursday at 6 PM?"."""
    plan = reminder_offers.offered(turn)
    if plan is None:
        return dialog.menu(turn)
    return _create(turn, plan, may_ask_consent=True)


def decline_after_session(turn: Turn) -> Reply:
    reminder_offers.offered(turn)
    return tell(say(msg("reminder_offer_declined"), msg("session_bye")))


def decline_after_tip(turn: Turn) -> Reply:
    """No reminder: carry on with the tips, as the tip would have asked."""
    reminder_offers.offered(turn)
    questions.set_pending(turn, "next_tip")
    return ask(say(msg("reminder_offer_declined"), msg("tip_question")), say(msg("tip_reprompt")))


questions.register(reminder_offers.AFTER_SESSION, yes=accept_offer, no=decline_after_session)
questions.register(reminder_offers.AFTER_TIP, yes=accept_offer, no=decline_after_tip)
