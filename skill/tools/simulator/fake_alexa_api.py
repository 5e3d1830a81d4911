"""A fake Alexa API (Timers, Reminders, and the device time zone setting): a real HTTP server on
127.0.0.1, for the tests and for ``cramp-coach chat`` and ``say``, so timer lines behave as on
a device without any traffic to Amazon.

It keeps timers like Alexa does (create, get, list, pause, resume, delete, 404 for unknown
ids), keeps reminders like the Reminders API (create, list, get, update, delete, with its
error shapes: 400 for a body or time it refuses, 403 past :attr:`max_reminders`, 404 for an
unknown alert token), answers ``GET /v2/devices/{id}/settings/System.timeZone`` with
:attr:`time_zone`,
checks the ``Authorization: Bearer`` header, records every request, and can be told
to answer the next requests with an error status or to hang. A hang waits on an event that
:meth:`FakeAlexaApi.close` sets, so no test leaves a thread blocked behind it.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from skill.alexa.alexa_api import LOCAL_API_SETTING
from skill.core.durations import iso_duration, parse_iso_duration
from skill.tools.simulator.local_server import serve_in_thread
from skill.tools.simulator.reminder_rules import reminder_problem

TOKEN = "fake-alexa-token"
HANG = "hang"
#: A scripted answer that lets the request through (to script the call after it).
PASS = "pass"
#: The simulated device's time zone (the settings API's answer unless a test changes it).
DEVICE_ZONE = "America/Chicago"
DIRECTIVES = "/v1/directives"
#: Upper bound on a hang even if close() were never called.
MAX_HANG_SECONDS = 30.0


def allow_local_api() -> None:
    """Let this process's skill call Alexa APIs over plain HTTP on 127.0.0.1: the explicit
    test setting the fake needs (off in production, see :mod:`skill.alexa.alexa_api`)."""
    os.environ[LOCAL_API_SETTING] = "1"


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    authorization: str | None
    body: Any
    #: When it arrived (time.monotonic), to tell the order of calls across lists.
    at: float = field(default_factory=time.monotonic)


@dataclass
class FakeAlexaApi:
    """State and scripted answers of the fake API (the server runs in a thread)."""

    token: str = TOKEN
    requests: list[Recorded] = field(default_factory=list)
    timers: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Answers for the next requests, in order: an HTTP status, :data:`HANG` or :data:`PASS`.
    script: list[int | str] = field(default_factory=list)
    #: Progressive responses (POST /v1/directives), kept apart from the timer calls above,
    #: with their own scripted answers (default 204, as Alexa answers).
    directives: list[Recorded] = field(default_factory=list)
    directive_script: list[int | str] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)
    #: What the settings API says the device's time zone is (None: 404, as if unset).
    time_zone: str | None = DEVICE_ZONE
    #: Reminders by alert token, as created (the body sent, plus the API's own fields).
    reminders: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: How many reminders the device takes before a create answers 403.
    max_reminders: int = 10
    #: Whether the person has granted the reminders permission (without it: 401).
    reminders_permission: bool = True
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _stop: Callable[[], None] | None = None

    # --- test controls --------------------------------------------------------------
    def fail_next(self, *answers: int | str) -> None:
        """Answer the next requests with these statuses (or hang), then behave again."""
        self.script.extend(answers)

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeAlexaApi:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._stop = serve_in_thread(self._server)
        return self

    def close(self) -> None:
        self.released.set()
        if self._stop is not None:
            self._stop()
            self._stop = None

    def calls(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.requests]

    def add_timer(self, seconds: int, status: str = "ON", label: str = "Hamstring hold x") -> str:
        """A timer that already exists (e.g. set in an earlier session)."""
        timer_id = str(uuid.uuid4())
        self.timers[timer_id] = _timer(timer_id, seconds, label)
        if status == "PAUSED":
            self._pause(self.timers[timer_id])
        return timer_id

    # --- behaviour ------------------------------------------------------------------
    def _scripted(self, script: list[int | str]) -> tuple[int, Any] | None:
        """The next scripted answer of ``script`` (a hang waits first), or None."""
        with self._lock:
            scripted = script.pop(0) if script else None
        if scripted == PASS:
            return None
        if scripted == HANG:
            self.released.wait(MAX_HANG_SECONDS)
            return 504, {"message": "released"}
        if scripted is not None:
            return int(scripted), {"code": "SCRIPTED", "message": f"scripted {scripted}"}
        return None

    def answer_directive(self) -> tuple[int, Any]:
        """A progressive response: Alexa answers 204 with no body."""
        return self._scripted(self.directive_script) or (204, None)

    def answer(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        scripted = self._scripted(self.script)
        if scripted is not None:
            return scripted
        parts = path.strip("/").split("/")
        if parts[:2] == ["v2", "devices"] and parts[3:] == ["settings", "System.timeZone"]:
            if method != "GET" or self.time_zone is None:
                return 404, {"message": "no such setting"}
            return 200, self.time_zone
        if parts[:3] == ["v1", "alerts", "reminders"]:
            with self._lock:
                return self._reminders(method, parts[3] if len(parts) > 3 else None, body)
        if parts[:3] != ["v1", "alerts", "timers"]:
            return 404, {"message": "no such resource"}
        timer_id = parts[3] if len(parts) > 3 else None
        action = parts[4] if len(parts) > 4 else None
        with self._lock:
            answered: tuple[int, Any] = self._timers(method, timer_id, action, body)
            return answered

    def _timers(
        self, method: str, timer_id: str | None, action: str | None, body: Any
    ) -> tuple[int, Any]:
        if timer_id is None:
            if method == "POST":
                seconds = parse_iso_duration(body["duration"]) or 0
                new_id = str(uuid.uuid4())
                self.timers[new_id] = _timer(new_id, int(seconds), body["timerLabel"])
                return 200, self.timers[new_id]
            if method == "GET":
                timers = list(self.timers.values())
                return 200, {"timers": timers, "totalCount": len(timers)}
            if method == "DELETE":
                self.timers.clear()
                return 200, None
            return 405, None
        timer = self.timers.get(timer_id)
        if timer is None:
            return 404, {"code": "TIMER_NOT_FOUND", "message": "Timer not found"}
        if method == "GET" and action is None:
            return 200, timer
        if method == "DELETE" and action is None:
            del self.timers[timer_id]
            return 200, None
        if method == "POST" and action == "pause" and timer["status"] == "ON":
            self._pause(timer)
            return 200, None
        if method == "POST" and action == "resume" and timer["status"] == "PAUSED":
            left = parse_iso_duration(timer.pop("remainingTimeWhenPaused")) or 0
            timer.update(status="ON", triggerTime=_at(seconds=left))
            return 200, None
        return 400, {"code": "INVALID_STATE", "message": "invalid state change"}

    def _reminders(self, method: str, token: str | None, body: Any) -> tuple[int, Any]:
        """The Reminders API: errors are ``{"code", "message"}`` as its Error model."""
        if not self.reminders_permission:
            return 401, {"code": "UNAUTHORIZED", "message": "no permission to manage reminders"}
        if token is None and method == "GET":
            alerts = list(self.reminders.values())
            return 200, {"totalCount": str(len(alerts)), "alerts": alerts, "links": None}
        if token is None and method == "POST" or token is not None and method == "PUT":
            problem = reminder_problem(body)
            if problem is not None:
                return 400, {"code": problem[0], "message": problem[1]}
            if token is None and len(self.reminders) >= self.max_reminders:
                return 403, {"code": "MAX_REMINDERS_EXCEEDED", "message": "too many reminders"}
            if token is not None and token not in self.reminders:
                return 404, {"code": "NOT_FOUND", "message": "Reminder not found"}
            token = token or str(uuid.uuid4())
            now = _at(0)
            self.reminders[token] = {
                **body,
                "alertToken": token,
                "createdTime": self.reminders.get(token, {}).get("createdTime", now),
                "updatedTime": now,
                "status": "ON",
                "version": "1",
            }
            record = self.reminders[token]
            return 200, {
                k: record[k]
                for k in ("alertToken", "createdTime", "updatedTime", "status", "version")
            }
        if token is None or token not in self.reminders:
            return 404, {"code": "NOT_FOUND", "message": "Reminder not found"}
        if method == "GET":
            return 200, self.reminders[token]
        if method == "DELETE":
            del self.reminders[token]
            return 200, None
        return 405, None

    @staticmethod
    def _pause(timer: dict[str, Any]) -> None:
        trigger = datetime.fromisoformat(timer.pop("triggerTime").replace("Z", "+00:00"))
        left = max(0, round((trigger - datetime.now(UTC)).total_seconds()))
        timer.update(status="PAUSED", remainingTimeWhenPaused=iso_duration(left))


def _at(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _timer(timer_id: str, seconds: int, label: str) -> dict[str, Any]:
    now = _at(0)
    return {
        "id": timer_id,
        "status": "ON",
        "duration": iso_duration(seconds),
        "timerLabel": label,
        "triggerTime": _at(seconds),
        "createdTime": now,
        "updatedTime": now,
    }


def _handler_for(api: FakeAlexaApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            authorization = self.headers.get("Authorization")
            recorded = Recorded(self.command, self.path, authorization, body)
            if self.path == DIRECTIVES:
                api.directives.append(recorded)
            else:
                api.requests.append(recorded)
            if authorization != f"Bearer {api.token}":
                status, answer = 401, {"message": "missing or wrong bearer token"}
            elif self.path == DIRECTIVES:
                status, answer = api.answer_directive()
            else:
                status, answer = api.answer(self.command, self.path, body)
            payload = json.dumps(answer).encode() if answer is not None else b""
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the skill gave up waiting (a hang): nobody is listening any more

        do_GET = do_POST = do_DELETE = do_PUT = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
