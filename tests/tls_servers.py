"""A local stand-in for ``https://s3.amazonaws.com`` on 127.0.0.1: a TLS server whose
certificate, for ``s3.amazonaws.com``, comes from a test CA the client is told to trust.
It serves a chain, trickles it a byte at a time, stalls the TLS handshake, or redirects, so
the chain download's deadline and rules are tested on real sockets (no network).

Every connection's loop is bounded and ends when :meth:`S3Stand.close` is called.
"""

from __future__ import annotations

import socket
import ssl
import tempfile
import threading
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from tests import pki

#: Upper bound on how long any connection is served, even if nobody calls close().
MAX_SECONDS = 30.0


def _server_context(root: pki.Issuer) -> ssl.SSLContext:
    key = pki.rsa_key("s3-stand")
    leaf = pki.make_leaf(root, key, san=("s3.amazonaws.com",))
    folder = Path(tempfile.mkdtemp(prefix="s3-stand-"))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(pki.pem(leaf))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context


class S3Stand:
    """``mode``: "serve" (200 and ``body``), "trickle" (200 headers, then the body a byte
    every ``interval`` s), "trickle_headers", "stall" (accepts, never speaks TLS), or
    "redirect" (301 to plain HTTP on 127.0.0.1)."""

    def __init__(self, mode: str, body: bytes = b"", interval: float = 0.5) -> None:
        self.mode, self.body, self.interval = mode, body, interval
        root = pki.make_ca("S3 Stand Root", pki.rsa_key("s3-stand-root"))
        self.client_context = ssl.create_default_context(cadata=pki.pem(root.cert).decode())
        self._tls = _server_context(root)
        self.stop = threading.Event()
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._listener.getsockname()[:2]
        return host, port

    def close(self) -> None:
        self.stop.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _wait(self, seconds: float) -> bool:
        return not self.stop.wait(seconds)

    def _serve(self, conn: socket.socket) -> None:
        ends = time.monotonic() + MAX_SECONDS
        try:
            if self.mode == "stall":
                while time.monotonic() < ends and self._wait(0.05):
                    pass
                return
            conn.settimeout(5)
            tls = self._tls.wrap_socket(conn, server_side=True)
            tls.recv(4096)  # the request
            if self.mode == "redirect":
                tls.sendall(
                    b"HTTP/1.1 301 Moved\r\nLocation: http://127.0.0.1:9/echo.api/x.pem\r\n"
                    b"Content-Length: 0\r\n\r\n"
                )
                return
            head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(self.body)}\r\n\r\n".encode()
            if self.mode == "serve":
                tls.sendall(head + self.body)
                return
            trickled = head + self.body if self.mode == "trickle_headers" else self.body
            if self.mode == "trickle":
                tls.sendall(head)
            for byte in trickled:
                if time.monotonic() > ends or not self._wait(self.interval):
                    return
                tls.sendall(bytes([byte]))
        except OSError:
            return
        finally:
            conn.close()
