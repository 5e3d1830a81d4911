"""A local HTTP server on a daemon thread that stops at once: the fake Alexa API and the
tests' slow servers run on it."""

from __future__ import annotations

import selectors
import socket
import socketserver
import threading
from collections.abc import Callable


def serve_in_thread(server: socketserver.TCPServer) -> Callable[[], None]:
    """Serve ``server`` on a daemon thread; return the function that stops and closes it.

    ``serve_forever`` notices ``shutdown()`` only at its next poll, so each stop waited up to
    a poll interval (50 ms per test, seconds over the suite); this loop wakes at once on a
    socket pair."""
    wake, waker = socket.socketpair()

    def loop() -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(server, selectors.EVENT_READ)
            selector.register(wake, selectors.EVENT_READ)
            while all(key.fileobj is not wake for key, _ in selector.select()):
                server.handle_request()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()

    def stop() -> None:
        waker.send(b"\0")
        thread.join()
        server.server_close()
        wake.close()
        waker.close()

    return stop
