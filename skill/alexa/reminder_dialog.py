"""The reminder conversation: set a stretch or drink reminder when asked, ask for the
permission by voice, list and cancel this skill's reminders, and propose one after a
stretch session or a prevention tip (skill.core.reminder_offers).

Plain functions from a :class:`Turn` to a :class:`Reply`. Nothing about reminders is kept
beyond the session: the Reminders API holds them, and "what reminders do I have" asks it.
Every API failure becomes an honest spoken line (nothing was set), never an error response.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from skill.alexa.alexa_api import AlexaApiClient, ApiError
from skill.alexa.reminders import (
    RemindersApi,
    consent_card,
    consent_directive,
    create_payload,
    first_of_alert,
    kind_of_alert,
    plan_of_alert,
    plan_of_token,
    relative_ring_time,
)
from skill.alexa.time_zone import local_zone
from skill.core import coaching, dialog, questions, reminder_offers, reminder_plan
from skill.core.logsafe import clean
from skill.core.reminder_plan import ReminderPlan, described, plan_of, what
from skill.core.reply import Reply, ask, tell
from skill.core.speech import Msg, msg, say
from skill.core.timer_dialog import ConsentAnswer
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
    if coaching.active(turn) is not None:
        return ask(say(*sentences, msg("step_next")), say(msg("step_reprompt")), **kwargs)
    return tell(say(*sentences), **kwargs)


def _client(turn: Turn) -> AlexaApiClient | None:
    if turn.alexa_api is None:
        return None
    return AlexaApiClient(turn.alexa_api, deadline=turn.deadline)


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
    if turn.alexa_api is None:  # nothing could be set: say so before asking anything
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
    """A time said on its own ("at eight p.m."): the answer to "what time?"."""
    plan = _pending(turn)
    if plan is None:
        return dialog.menu(turn, msg("reminder_time_alone"))
    timed = plan.with_time(_value(turn, "Time"))
    if timed is None:
        return _ask_time(turn, plan, msg("reminder_time_unclear"))
    return _create(turn, timed, may_ask_consent=True)


def _create(turn: Turn, plan: ReminderPlan, may_ask_consent: bool) -> Reply:
    client = _client(turn)
    if client is None:
        _set_pending(turn, None)
        return _close(turn, msg("reminder_no_api"))
    first: datetime | None = None
    name: str | None = None
    if plan.in_days is not None:  # an offered reminder: relative, no time zone needed
        now = datetime.fromtimestamp(turn.now, UTC).replace(tzinfo=None)
    else:
        zone = local_zone(turn)
        name = getattr(zone, "key", None)
        if zone is None or not isinstance(name, str):
            _set_pending(turn, None)
            return _close(turn, msg("reminder_no_zone"))
        now = datetime.fromtimestamp(turn.now, zone).replace(tzinfo=None)
        first = reminder_plan.first_time(plan, now)
        if first is None:
            untimed = replace(plan, hour=None)
            return _ask_time(turn, untimed, msg("reminder_past"))
    body = create_payload(plan, first, now, name, turn.catalogue, turn.locale)
    try:
        RemindersApi(client).create(body)
    except ApiError as error:
        return _refused(turn, plan, error, may_ask_consent)
    _set_pending(turn, None)
    return _close(
        turn,
        msg("reminder_set", what=what(plan), when=described(plan, first, now.date())),
        msg("reminder_cancel_hint"),
    )


def _refused(turn: Turn, plan: ReminderPlan, error: ApiError, may_ask_consent: bool) -> Reply:
    """What each documented failure means to the person; nothing was set in any of them."""
    if error.status == UNAUTHORIZED and may_ask_consent:
        _set_pending(turn, plan)
        return Reply(
            speech=say(msg("reminder_need_permission")), directives=[consent_directive(plan)]
        )
    _set_pending(turn, None)
    log.warning("reminder not created: %s", error)
    if error.status == UNAUTHORIZED:
        return _close(
            turn, msg("reminder_no_permission"), msg("reminder_card_sent"), card=consent_card()
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
    if answer.card_thrown:
        return _close(turn, msg("reminder_no_permission"))
    return _close(
        turn, msg("reminder_no_permission"), msg("reminder_card_sent"), card=consent_card()
    )


# --- the ones that exist ---------------------------------------------------------------
def list_reminders(turn: Turn) -> Reply:
    """ "What reminders do I have": read this skill's reminders back from the API."""
    client = _client(turn)
    if client is None:
        return _close(turn, msg("reminder_no_api"))
    try:
        alerts = RemindersApi(client).list()
    except ApiError as error:
        if error.status == UNAUTHORIZED:  # no permission: the skill has set none
            return _close(turn, msg("reminder_none"), msg("reminder_how"))
        log.warning("reminder list failed: %s", error)
        return _close(turn, msg("reminder_unreachable"))
    if not alerts:
        return _close(turn, msg("reminder_none"), msg("reminder_how"))
    told: list[Msg] = [msg("reminder_count", count=len(alerts))]
    zone = local_zone(turn)
    today = datetime.fromtimestamp(turn.now, zone).date() if zone is not None else None
    for alert in alerts[:MAX_LISTED]:
        plan = plan_of_alert(alert, turn.catalogue)
        first = first_of_alert(alert)
        if plan is not None and plan.in_days is not None:
            # An offered reminder is relative to when it was set: say when it rings.
            ring = relative_ring_time(alert, zone)
            if ring is None:
                continue
            plan = ReminderPlan(
                plan.kind, plan.session, ring.hour, ring.minute, ring.date().isoformat()
            )
            first = ring
        if plan is not None and plan.has_time:
            when = described(plan, first, today)
            told.append(msg("reminder_list_item", what=what(plan), when=when))
    return _close(turn, *told, msg("reminder_cancel_hint"))


def cancel_reminder(turn: Turn) -> Reply:
    """ "Cancel my stretch reminder": delete this skill's reminders of that kind (all of
    them when no kind is named). Asked for explicitly, so no second question."""
    client = _client(turn)
    if client is None:
        return _close(turn, msg("reminder_no_api"))
    api = RemindersApi(client)
    kind = turn.slot_id("ReminderKind")
    cancelled = 0
    try:
        alerts = api.list()
        targets = [
            a
            for a in alerts
            if kind not in reminder_plan.KINDS or kind_of_alert(a, turn.catalogue) == kind
        ]
        for alert in targets:
            api.delete(str(alert["alertToken"]))
            cancelled += 1
    except ApiError as error:
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
