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
import os
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from skill.core.deadline import SAVE_RESERVE_SECONDS, Deadline, TimedOut, run_within
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
#: ``1`` lets calls go over plain HTTP to a loopback address (the fake Alexa API of the tests
#: and ``cramp-coach chat``). Off unless a test harness or local tool turns it on: the
#: request names the endpoint, so otherwise a forged ``http://127.0.0.1:...`` would receive
#: the request's token in the clear (:func:`skill.tools.simulator.fake_alexa_api.allow_local_api`).
LOCAL_API_SETTING = "CRAMP_COACH_TEST_LOCAL_ALEXA_API"


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
    if parts.scheme == "https":
        return True
    return (
        parts.scheme == "http"
        and (parts.hostname or "") in LOOPBACK_HOSTS
        and os.environ.get(LOCAL_API_SETTING) == "1"
    )


class AlexaApiClient:
    """JSON over HTTPS to one Alexa API endpoint, with one deadline for all calls made
    through this client (make one client per turn).

    The deadline is the earlier of ``budget`` from now and the turn's own
    :class:`~skill.core.deadline.Deadline` (less the time kept back for the save). It is a
    hard wall-clock cap: each call runs in a worker the turn stops waiting for at the
    deadline (:func:`~skill.core.deadline.run_within`), and the worker reads the body a
    piece at a time, checking the deadline between pieces, so a server that trickles its
    answer cannot hold the turn, nor the worker for long after it."""

    def __init__(
        self,
        api: AlexaApi,
        budget: float = TURN_BUDGET_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        deadline: Deadline | None = None,
    ) -> None:
        self.api = api
        self._clock = clock
        self._deadline = clock() + budget
        self._turn = deadline

    def remaining(self) -> float:
        left = max(0.0, self._deadline - self._clock())
        if self._turn is not None:
            left = min(left, self._turn.remaining(SAVE_RESERVE_SECONDS))
        return left

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Send one request; the parsed JSON answer (None when empty) or :class:`ApiError`."""
        try:
            url = self.api.endpoint.rstrip("/") + path
            allowed = _allowed(url)
        except (ValueError, TypeError, AttributeError) as error:  # e.g. "http://[::1"
            raise ApiError("unusable API endpoint") from error
        if not allowed:
            raise ApiError("refusing to send the token to a non-HTTPS endpoint")
        if not isinstance(self.api.token, str) or not _TOKEN.match(self.api.token):
            raise ApiError("unusable API token")  # requests could not even send it
        left = self.remaining()
        if left < MIN_CALL_SECONDS:
            raise ApiError("no time left for an Alexa API call this turn")
        headers = {"Authorization": f"Bearer {self.api.token}", "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        data = json.dumps(body) if body is not None else None
        import requests
        import urllib3

        started = self._clock()
        ends = time.monotonic() + left
        try:
            status, content = run_within(
                lambda: _exchange(method, url, headers, data, left, ends), left
            )
        except TimedOut as error:
            log.warning("alexa_api_timeout method=%s after_s=%.2f", method, left)
            raise ApiError("timed out") from error
        # The body is read from ``response.raw``, so a read that times out or breaks raises
        # urllib3's own errors, which requests does not wrap there.
        except (requests.Timeout, urllib3.exceptions.TimeoutError) as error:
            log.warning("alexa_api_timeout method=%s after_s=%.2f", method, left)
            raise ApiError("timed out") from error
        except (
            requests.RequestException,
            urllib3.exceptions.HTTPError,
            ValueError,
            UnicodeError,
        ) as error:
            log.warning("alexa_api_failed method=%s error=%s", method, type(error).__name__)
            raise ApiError(f"connection failed: {type(error).__name__}") from error
        log.info(
            "alexa_api method=%s status=%d ms=%.0f",
            method,
            status,
            (self._clock() - started) * 1000,
        )
        if not 200 <= status < 300:
            raise ApiError(f"HTTP {status}", status=status)
        if not content:
            return None
        try:
            return json.loads(content)
        except (ValueError, RecursionError) as error:
            raise ApiError("answer was not JSON", status=status) from error


#: What a bearer token may hold: printable ASCII without spaces (a header must be latin-1).
_TOKEN = re.compile(r"^[\x21-\x7e]{1,4096}$")
#: Timer answers are a few hundred bytes; anything far bigger is not the Timers API.
MAX_ANSWER_BYTES = 64 * 1024


def _exchange(
    method: str, url: str, headers: dict[str, str], data: str | None, left: float, ends: float
) -> tuple[int, bytes]:
    """One HTTP exchange, body read piece by piece until ``ends`` (a monotonic time)."""
    response = _session().request(
        method,
        url,
        headers=headers,
        data=data,
        # requests applies these per socket operation: each read waits at most ``left``,
        # and the loop below stops between reads at the deadline.
        timeout=(min(CONNECT_SECONDS, left), left),
        allow_redirects=False,
        stream=True,
    )
    try:
        raw = response.raw
        read = getattr(raw, "read1", None) or (lambda size: raw.read(1024))
        pieces: list[bytes] = []
        size = 0
        while True:
            piece = read(16384)
            if not piece:
                return response.status_code, b"".join(pieces)
            size += len(piece)
            if size > MAX_ANSWER_BYTES:
                raise ValueError("answer too large")
            pieces.append(piece)
            if time.monotonic() > ends:
                raise TimedOut("answer still arriving at the deadline")
    finally:
        response.close()
