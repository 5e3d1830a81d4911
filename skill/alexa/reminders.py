"""Alexa reminders for stretching and drinking: the request body and the Reminders API calls.

Plain logic (the create body from a :class:`~skill.core.reminder_plan.ReminderPlan`, reading a
listed reminder back into one) plus :class:`RemindersApi`, a thin layer over the time-boxed
:class:`skill.alexa.alexa_api.AlexaApiClient`. Endpoints, body and status codes follow
docs/alexa-platform.md section 5; the body's documented shape is kept as a JSON schema in
docs/schemas/reminder_request.schema.json, which the tests validate every body against.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import quote

from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.ui import AskForPermissionsConsentCard

from skill.alexa.alexa_api import AlexaApiClient, ApiError
from skill.alexa.permissions import REMINDERS_SCOPE
from skill.alexa.time_zone import local_zone
from skill.core import reminder_plan
from skill.core.catalogue import Catalogue
from skill.core.reminder_plan import DAYS, ReminderPlan
from skill.core.reminders import Listed, ReminderError
from skill.core.turn import Turn

REMINDERS_PATH = "/v1/alerts/reminders"
#: Our own cap on the words Alexa speaks when a reminder rings. Amazon's documented
#: limit was not found (docs/alexa-platform.md section 5); every catalogue's texts stay
#: under this, which a test checks.
MAX_TEXT_CHARS = 200
_LOCAL = "%Y-%m-%dT%H:%M:%S.000"
DAY = 24 * 60 * 60


def _rule(plan: ReminderPlan) -> str:
    """The iCalendar-style recurrence rule the API takes in ``recurrenceRules``."""
    days = reminder_plan.by_day(plan)
    freq = f"FREQ=WEEKLY;BYDAY={','.join(days)}" if days else "FREQ=DAILY"
    return f"{freq};BYHOUR={plan.hour};BYMINUTE={plan.minute};BYSECOND=0;INTERVAL=1"


def create_payload(
    plan: ReminderPlan,
    first: datetime | None,
    now: datetime,
    zone: str | None,
    catalogue: Catalogue,
    locale: str,
) -> dict[str, Any]:
    """The create body: an absolute time in the person's zone (one-off), a start and a
    recurrence rule (recurring), or an offset from now (an offered reminder, which needs
    no zone); the catalogue's words, spoken and pushed to the app."""
    trigger: dict[str, Any]
    if plan.in_days is not None or first is None or zone is None:
        trigger = {"type": "SCHEDULED_RELATIVE", "offsetInSeconds": (plan.in_days or 1) * DAY}
    elif plan.repeat is None:
        trigger = {"type": "SCHEDULED_ABSOLUTE", "timeZoneId": zone}
        trigger["scheduledTime"] = first.strftime(_LOCAL)
    else:
        trigger = {"type": "SCHEDULED_ABSOLUTE", "timeZoneId": zone}
        trigger["recurrence"] = {
            "startDateTime": first.strftime(_LOCAL),
            "recurrenceRules": [_rule(plan)],
        }
    return {
        "requestTime": now.strftime(_LOCAL),
        "trigger": trigger,
        "alertInfo": {
            "spokenInfo": {
                "content": [
                    {"locale": locale, "text": catalogue.text(reminder_plan.text_key(plan))}
                ]
            }
        },
        "pushNotification": {"status": "ENABLED"},
    }


# --- reading a listed reminder back -------------------------------------------------------
def plan_of_alert(alert: dict[str, Any], catalogue: Catalogue) -> ReminderPlan | None:
    """What one of this skill's reminders is, from the API's own record of it (kind and
    session from its words, time and repeat from its trigger); None if it cannot be read."""
    kind, session = _kind_of(alert, catalogue)
    trigger = _dict(alert.get("trigger"))
    recurrence = _dict(trigger.get("recurrence"))
    if recurrence:
        rules = recurrence.get("recurrenceRules") or []
        fields = dict(
            part.split("=", 1) for part in str(rules[0] if rules else "").split(";") if "=" in part
        )
        repeat = _repeat_of(fields.get("BYDAY", ""))
        try:
            hour, minute = int(fields.get("BYHOUR", "")), int(fields.get("BYMINUTE", "0"))
        except ValueError:
            return None
        return ReminderPlan.from_dict(
            {"kind": kind, "session": session, "hour": hour, "minute": minute, "repeat": repeat}
        )
    at = _local_time(trigger.get("scheduledTime"))
    if at is None and isinstance(trigger.get("offsetInSeconds"), int):
        days = max(1, round(trigger["offsetInSeconds"] / DAY))
        return ReminderPlan(kind, session, in_days=min(days, reminder_plan.MAX_IN_DAYS))
    if at is None:
        return None
    return ReminderPlan(kind, session, at.hour, at.minute, day=at.date().isoformat())


def first_of_alert(alert: dict[str, Any]) -> datetime | None:
    return _local_time(_dict(alert.get("trigger")).get("scheduledTime"))


def relative_ring_time(alert: dict[str, Any], zone: tzinfo | None) -> datetime | None:
    """When a relative reminder rings, local to ``zone``: its ``createdTime`` (UTC) plus
    its offset; None when either is missing."""
    offset = _dict(alert.get("trigger")).get("offsetInSeconds")
    created = alert.get("createdTime")
    if zone is None or not isinstance(offset, int) or not isinstance(created, str):
        return None
    try:
        at = datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return (at + timedelta(seconds=offset)).astimezone(zone).replace(tzinfo=None)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _repeat_of(by_day: str) -> str:
    days = [d for d in by_day.split(",") if d in DAYS]
    if not days:
        return reminder_plan.DAILY
    if days == list(DAYS[:5]):
        return reminder_plan.WEEKDAYS
    if days == ["SA", "SU"]:
        return reminder_plan.WEEKENDS
    return days[0]


def _local_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "")).replace(tzinfo=None)
    except ValueError:
        return None


def _kind_of(alert: dict[str, Any], catalogue: Catalogue) -> tuple[str, str | None]:
    """Kind and session of a reminder, by matching its words against the catalogue's."""
    spoken = _dict(_dict(alert.get("alertInfo")).get("spokenInfo"))
    texts = {str(c.get("text", "")) for c in spoken.get("content") or [] if isinstance(c, dict)}
    for kind in reminder_plan.KINDS:
        for session in reminder_plan.SESSIONS:
            plan = ReminderPlan(kind, None if session == "stretch" else session)
            if catalogue.text(reminder_plan.text_key(plan)) in texts:
                return plan.kind, plan.session
    return "stretch", None


def kind_of_alert(alert: dict[str, Any], catalogue: Catalogue) -> str:
    return _kind_of(alert, catalogue)[0]


# --- permission --------------------------------------------------------------------------
def consent_directive(plan: ReminderPlan) -> SendRequestDirective:
    """Ask Alexa to ask the person, by voice, to let the skill set reminders."""
    return SendRequestDirective(
        name="AskFor",
        payload={
            "@type": "AskForPermissionsConsentRequest",
            "@version": "1",
            "permissionScope": REMINDERS_SCOPE,
        },
        token=reminder_plan.consent_token(plan),
    )


def consent_card() -> AskForPermissionsConsentCard:
    """The Alexa app card that links to the skill's reminders permission."""
    return AskForPermissionsConsentCard(permissions=[REMINDERS_SCOPE])


class RemindersApi:
    """The Reminders API calls this skill makes, each through the turn's time-boxed client."""

    def __init__(self, client: AlexaApiClient) -> None:
        self.client = client

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        return _object(self.client.call("POST", REMINDERS_PATH, body))

    def list(self) -> list[dict[str, Any]]:
        """This skill's reminders for this person that will still ring (status ON)."""
        alerts = _object(self.client.call("GET", REMINDERS_PATH)).get("alerts") or []
        if not isinstance(alerts, list):
            raise ApiError("reminder list of the wrong shape")
        return [
            a
            for a in alerts
            if isinstance(a, dict)
            and isinstance(a.get("alertToken"), str)
            and a.get("status", "ON") == "ON"
        ]

    def delete(self, alert_token: str) -> None:
        self.client.call("DELETE", f"{REMINDERS_PATH}/{quote(alert_token, safe='')}")


def _object(answer: Any) -> dict[str, Any]:
    if answer is None:
        return {}
    if not isinstance(answer, dict):
        raise ApiError("answer of the wrong shape")
    return answer


class AlexaReminders:
    """The turn's :class:`~skill.core.reminders.ReminderService` over the Reminders API and
    the settings API (time zone): its calls share the turn's one deadline; every API
    failure is a :class:`~skill.core.reminders.ReminderError`."""

    def __init__(self, turn: Turn) -> None:
        if turn.alexa_api is None:
            raise ValueError("no Alexa API endpoint in this request")
        self.turn = turn
        self.api = RemindersApi(AlexaApiClient(turn.alexa_api, deadline=turn.deadline))

    def zone(self) -> tzinfo | None:
        return local_zone(self.turn)

    def create(
        self, plan: ReminderPlan, first: datetime | None, now: datetime, zone: tzinfo | None
    ) -> None:
        name = getattr(zone, "key", None)
        catalogue = self.turn.catalogue
        body = create_payload(
            plan, first, now, name if isinstance(name, str) else None, catalogue, self.turn.locale
        )
        with _as_reminder_error():
            self.api.create(body)

    def listed(self, zone: tzinfo | None) -> list[Listed]:
        with _as_reminder_error():
            alerts = self.api.list()
        found = []
        for alert in alerts:
            plan = plan_of_alert(alert, self.turn.catalogue)
            first = first_of_alert(alert)
            if plan is not None and plan.in_days is not None:
                # An offered reminder is relative to when it was set: when does it ring?
                ring = relative_ring_time(alert, zone)
                plan = (
                    None
                    if ring is None
                    else replace(
                        plan,
                        hour=ring.hour,
                        minute=ring.minute,
                        day=ring.date().isoformat(),
                        in_days=None,
                    )
                )
                first = ring
            kind = kind_of_alert(alert, self.turn.catalogue)
            found.append(Listed(str(alert["alertToken"]), kind, plan, first))
        return found

    def delete(self, token: str) -> None:
        with _as_reminder_error():
            self.api.delete(token)

    def consent_request(self, plan: ReminderPlan) -> SendRequestDirective:
        return consent_directive(plan)

    def consent_card(self) -> AskForPermissionsConsentCard:
        return consent_card()


@contextmanager
def _as_reminder_error() -> Iterator[None]:
    try:
        yield
    except ApiError as error:
        raise ReminderError(str(error), error.status) from error
