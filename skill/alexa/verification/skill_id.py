"""The addressee: only this skill's own requests are answered."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from skill.alexa.sdk_compat import VerificationException
from skill.alexa.verification.base import EarlyVerifier


def application_ids(envelope: Any) -> list[str]:
    """Every applicationId the envelope carries (context and session)."""
    ids = []
    system = getattr(getattr(envelope, "context", None), "system", None)
    for holder in (system, getattr(envelope, "session", None)):
        app_id = getattr(getattr(holder, "application", None), "application_id", None)
        if app_id is not None:
            ids.append(app_id)
    return ids


def _path(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def raw_application_ids(envelope: dict[str, Any]) -> list[Any]:
    """Every applicationId the raw JSON envelope carries (context and session)."""
    found = (
        _path(envelope, "context", "System", "application", "applicationId"),
        _path(envelope, "session", "application", "applicationId"),
    )
    return [app_id for app_id in found if app_id is not None]


class SkillIdVerifier(EarlyVerifier):
    """Only our own skill may call us: a valid Alexa signature proves the sender is Alexa, not
    that the request is meant for this skill. (The SDK's own check would answer 500.)"""

    cost = 0

    def __init__(self, skill_ids: Iterable[str]) -> None:
        self._allowed = frozenset(skill_ids)

    def verify(
        self, headers: Any, serialized_request_env: Any, deserialized_request_env: Any
    ) -> None:
        self._check(application_ids(deserialized_request_env))

    def check(self, headers: Any, body: bytes, envelope: dict[str, Any]) -> None:
        self._check(raw_application_ids(envelope))

    def _check(self, ids: list[Any]) -> None:
        allowed = self._allowed
        if not ids or any(not isinstance(i, str) or i not in allowed for i in ids):
            raise VerificationException("Skill ID not allowed")
