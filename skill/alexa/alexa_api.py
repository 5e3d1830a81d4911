"""Time-boxed JSON calls to the Alexa service APIs (timers) for one turn.

Alexa waits about 8 s for the whole response, and ask-sdk-core's ``DefaultApiClient``
calls ``requests`` without any timeout (docs/alexa-platform.md section 10), so a
hung API would cost the person their answer. :class:`AlexaApiClient` gives every call of
a turn one shared deadline instead, and turns every way a call can fail into one
:class:`ApiError` the dialog can speak around.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from skill.core.turn import AlexaApi

log = logging.getLogger(__name__)

#: Seconds of Alexa API time one turn may spend, all calls together (the turn has ~8 s).
TURN_BUDGET_SECONDS = 2.5
#: Connecting should be quick; a slow connect must leave time for speaking a fallback.
CONNECT_SECONDS = 1.0
#: Below this much budget a call is not started at all: it could not finish usefully.
MIN_CALL_SECONDS = 0.05
#: The token is sent in the clear only to the local test double, never to a remote host.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@functools.cache
def _session() -> Any:
    """One pooled ``requests`` session per process: warm invocations reuse the TLS connection
    to Alexa. Made on first use, because importing requests (~70 ms) on every cold start
    would double it for the many turns that never call an Alexa API."""
    import requests

    return requests.Session()


class ApiError(Exception):
    """A call that did not succeed. ``status`` is the HTTP status, or None when no answer
    came (timeout, connection error, refused URL)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def _allowed(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" or (
        parts.scheme == "http" and (parts.hostname or "") in LOOPBACK_HOSTS
    )


class AlexaApiClient:
    """JSON over HTTPS to one Alexa API endpoint, with one deadline for all calls made
    through this client (make one client per turn)."""

    def __init__(
        self,
        api: AlexaApi,
        budget: float = TURN_BUDGET_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api = api
        self._clock = clock
        self._deadline = clock() + budget

    def remaining(self) -> float:
        return max(0.0, self._deadline - self._clock())

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Send one request; the parsed JSON answer (None when empty) or :class:`ApiError`."""
        url = self.api.endpoint.rstrip("/") + path
        if not _allowed(url):
            raise ApiError(f"refusing to send the token to {urlsplit(url).scheme}://…")
        left = self.remaining()
        if left < MIN_CALL_SECONDS:
            raise ApiError("no time left for an Alexa API call this turn")
        headers = {"Authorization": f"Bearer {self.api.token}", "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        import requests

        started = self._clock()
        try:
            response = _session().request(
                method,
                url,
                headers=headers,
                data=json.dumps(body) if body is not None else None,
                # requests applies these per socket operation; with the read timeout set to
                # the remaining budget a silent server is cut off at the deadline.
                timeout=(min(CONNECT_SECONDS, left), left),
                allow_redirects=False,
            )
        except requests.Timeout as error:
            log.warning("alexa api %s %s timed out after %.2fs", method, path, left)
            raise ApiError("timed out") from error
        except requests.RequestException as error:
            log.warning("alexa api %s %s failed: %s", method, path, type(error).__name__)
            raise ApiError(f"connection failed: {type(error).__name__}") from error
        log.info(
            "alexa api %s %s -> %s in %.0f ms",
            method,
            path,
            response.status_code,
            (self._clock() - started) * 1000,
        )
        if not 200 <= response.status_code < 300:
            raise ApiError(f"HTTP {response.status_code}", status=response.status_code)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as error:
            raise ApiError("answer was not JSON", status=response.status_code) from error
