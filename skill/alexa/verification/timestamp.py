"""Freshness: a request's timestamp must be recent, so a recorded request cannot be replayed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from skill.alexa.sdk_compat import VerificationException
from skill.alexa.verification.base import Clock, EarlyVerifier, utc_now

NORMAL_TOLERANCE = timedelta(seconds=150)
SKILL_EVENT_TOLERANCE = timedelta(seconds=3600)
SKILL_EVENT_TYPES = frozenset(
    {
        "AlexaSkillEvent.SkillEnabled",
        "AlexaSkillEvent.SkillDisabled",
        "AlexaSkillEvent.SkillPermissionChanged",
        "AlexaSkillEvent.SkillPermissionAccepted",
        "AlexaSkillEvent.SkillAccountLinked",
    }
)


def _stamp(value: Any) -> datetime | None:
    """A request timestamp as an aware datetime, from the model's datetime or the raw
    JSON's ISO 8601 string (Alexa's form; anything else is refused)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class TimestampVerifier(EarlyVerifier):
    """Rejects replays: the request timestamp must be within 150 s of now, in either direction;
    skill events (delivered late by design) may be up to an hour old."""

    cost = 1

    def __init__(self, clock: Clock = utc_now) -> None:
        self._clock = clock

    def verify(
        self, headers: Any, serialized_request_env: Any, deserialized_request_env: Any
    ) -> None:
        request = getattr(deserialized_request_env, "request", None)
        self._check(getattr(request, "timestamp", None), getattr(request, "object_type", None))

    def check(self, headers: Any, body: bytes, envelope: dict[str, Any]) -> None:
        request = envelope.get("request")
        if not isinstance(request, dict):
            raise VerificationException("Request has no timestamp")
        self._check(request.get("timestamp"), request.get("type"))

    def _check(self, timestamp: Any, kind: Any) -> None:
        stamp = _stamp(timestamp)
        if stamp is None:
            raise VerificationException("Request has no timestamp")
        age = self._clock() - stamp
        if age < -NORMAL_TOLERANCE:
            raise VerificationException(f"Request timestamp is {-age} in the future")
        is_event = isinstance(kind, str) and kind in SKILL_EVENT_TYPES
        if age > (SKILL_EVENT_TOLERANCE if is_event else NORMAL_TOLERANCE):
            raise VerificationException(f"Request timestamp is {age} old")
