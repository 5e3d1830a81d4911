"""What every request check shares: the early-check protocol the web host runs, the clock,
and reading a header from Werkzeug headers or a plain mapping."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from skill.alexa.sdk_compat import AbstractVerifier

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def header(headers: Any, name: str) -> str | None:
    """A header value, case-insensitively, from Werkzeug headers or a plain mapping."""
    value = headers.get(name)
    if value is None and isinstance(headers, Mapping):
        wanted = name.lower()
        value = next((v for k, v in headers.items() if str(k).lower() == wanted), None)
    return None if value is None else str(value)


class EarlyVerifier(AbstractVerifier):
    """A check the web host runs on the raw request, before the SDK builds its models (which
    costs ~100 ms of CPU for a 256 KiB body): first on the headers alone, then on the raw
    body and the parsed JSON. ``verify`` remains the SDK's hook, for other hosts."""

    #: Cheaper checks run first.
    cost = 0

    def check_headers(self, headers: Any) -> None:
        """Refuse on the headers alone (nothing to check by default)."""

    def check_bytes(self, headers: Any, body: bytes) -> bool:
        """Check on the raw body, before any JSON parse, when that is possible and cheap;
        True when the request is then fully checked (``check`` is skipped)."""
        return False

    def check(self, headers: Any, body: bytes, envelope: dict[str, Any]) -> None:
        raise NotImplementedError
