"""Misbehaving HTTP servers on 127.0.0.1 for the fault tests: one that trickles its answer a
byte at a time, one that answers a fixed status and body (a wrong-shaped JSON, say).

Every server thread ends when :meth:`close` is called (or its client goes away), and each
loop is bounded, so no test leaves a thread running.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from skill.tools.simulator.local_server import serve_in_thread

#: Upper bound on how long a trickle lasts, even if nobody calls close().
MAX_TRICKLE_SECONDS = 30.0


class LocalServer:
    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.stop = threading.Event()
        self.requests = 0
        handler.server_owner = self  # type: ignore[attr-defined]
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._stop = serve_in_thread(self._server)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self.stop.set()
        self._stop()


class _Base(BaseHTTPRequestHandler):
    server_owner: LocalServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _read_body(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.server_owner.requests += 1


def trickling_server(interval: float = 0.5) -> LocalServer:
    """Promises a 1,000-byte JSON body, then sends one byte every ``interval`` seconds:
    every socket read succeeds in time, so only a wall-clock cap stops the wait."""

    class Trickle(_Base):
        def _serve(self) -> None:
            self._read_body()
            owner = self.server_owner
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.flush()
                for _ in range(int(MAX_TRICKLE_SECONDS / interval)):
                    if owner.stop.wait(interval):
                        return
                    self.wfile.write(b" ")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return  # the skill gave up, as it should

        do_GET = do_POST = do_DELETE = _serve

    return LocalServer(Trickle)


def fixed_server(status: int, body: bytes) -> LocalServer:
    """Answers every request with ``status`` and ``body`` (as application/json)."""

    class Fixed(_Base):
        def _serve(self) -> None:
            self._read_body()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                return

        do_GET = do_POST = do_DELETE = _serve

    return LocalServer(Fixed)
