"""What the Reminders API refuses with a 400, as the fake Alexa API checks it."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?$")


def reminder_problem(body: Any) -> tuple[str, str] | None:
    """Why the Reminders API would refuse ``body`` with a 400 (code, message), or None.

    The checks the API is documented to make (docs/alexa-platform.md section 5): the
    fields it needs, a trigger time without a zone suffix, a time zone it knows, and a
    one-off time that is not already past. The tests also validate every body against the
    JSON schema in docs/schemas/, which this does not repeat."""
    if not isinstance(body, dict) or not isinstance(body.get("trigger"), dict):
        return "INVALID_REQUEST", "a reminder needs a trigger"
    trigger = body["trigger"]
    if trigger.get("type") == "SCHEDULED_RELATIVE":
        offset = trigger.get("offsetInSeconds")
        if not isinstance(offset, int) or offset <= 0:
            return "INVALID_TRIGGER", "a relative trigger needs a positive offsetInSeconds"
        return _content_problem(body)
    zone = trigger.get("timeZoneId")
    try:
        local_now = datetime.now(ZoneInfo(zone)) if isinstance(zone, str) else None
    except (ZoneInfoNotFoundError, ValueError):
        local_now = None
    if local_now is None:
        return "INVALID_TIMEZONE", f"unknown time zone {zone!r}"
    when = trigger.get("scheduledTime") or (trigger.get("recurrence") or {}).get("startDateTime")
    if not isinstance(when, str) or not _LOCAL_TIME.match(when):
        return "INVALID_TRIGGER_SCHEDULED_TIME_FORMAT", "scheduled time must be local ISO 8601"
    if "scheduledTime" in trigger and datetime.fromisoformat(when) <= local_now.replace(
        tzinfo=None
    ):
        return "PAST_SCHEDULED_TIME", "the scheduled time is in the past"
    return _content_problem(body)


def _content_problem(body: dict[str, Any]) -> tuple[str, str] | None:
    content = ((body.get("alertInfo") or {}).get("spokenInfo") or {}).get("content")
    if not content or not all(isinstance(c, dict) and c.get("locale") for c in content):
        return "INVALID_ALERT_INFO", "spoken content needs a locale and text"
    return None
