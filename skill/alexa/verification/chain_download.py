"""Where a signing certificate chain comes from: the ``SignatureCertChainUrl`` checked by
Amazon's rules, and its download, bounded in bytes and in wall-clock time.

Rules: https://developer.amazon.com/docs/custom-skills/host-a-custom-skill-as-a-web-service.html
"""

from __future__ import annotations

import contextlib
import http.client
import posixpath
import socket
import ssl
import threading
import time
from urllib.parse import quote, unquote, urlsplit

import certifi

from skill.alexa.sdk_compat import VerificationException

CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PATH_PREFIX = "/echo.api/"

FETCH_TIMEOUT_S = 2.0
MAX_CHAIN_BYTES = 64 * 1024


def canonical_cert_url(url: str) -> str:
    """Check a ``SignatureCertChainUrl`` by Amazon's rules and return the URL to download.

    The path is percent-decoded and normalised first (``/echo.api/../echo.api/x`` is fine,
    ``/echo.api/../x`` is not), and the download uses the normalised form, so what we check is
    what we fetch.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise VerificationException("Malformed certificate URL") from exc
    if parts.scheme.lower() != "https":
        raise VerificationException("Certificate URL is not https")
    if (parts.hostname or "").lower() != CERT_URL_HOST or parts.username or parts.password:
        raise VerificationException(f"Certificate URL host is not {CERT_URL_HOST}")
    if port is not None and port != 443:
        raise VerificationException("Certificate URL port is not 443")
    if parts.query:
        raise VerificationException("Certificate URL has a query")
    path = posixpath.normpath(unquote(parts.path)) if parts.path else ""
    if not path.startswith(CERT_URL_PATH_PREFIX):
        raise VerificationException("Certificate URL path not under /echo.api/")
    return f"https://{CERT_URL_HOST}{quote(path)}"


class _Connection(http.client.HTTPSConnection):
    """HTTPS to ``CERT_URL_HOST``, its certificate checked for that name, over a socket a
    watchdog can cut; ``address`` connects elsewhere (a local test server)."""

    def __init__(self, address: tuple[str, int], timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(CERT_URL_HOST, 443, timeout=timeout, context=context)
        self._address = address
        self._tls = context
        self.raw: socket.socket | None = None

    def connect(self) -> None:
        self.raw = socket.create_connection(self._address, self.timeout)
        self.sock = self._tls.wrap_socket(
            self.raw, server_hostname=CERT_URL_HOST, do_handshake_on_connect=False
        )
        self.raw = self.sock  # the wrapped socket owns the descriptor now
        self.sock.do_handshake()

    def cut(self) -> None:
        """End every wait on this connection at once (called from the watchdog thread)."""
        sock = self.raw
        if sock is not None:
            # The plain socket's shutdown, on the descriptor: it leaves the TLS state alone.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


def download(
    url: str,
    timeout: float = FETCH_TIMEOUT_S,
    limit: int = MAX_CHAIN_BYTES,
    *,
    address: tuple[str, int] | None = None,
    context: ssl.SSLContext | None = None,
) -> bytes:
    """Fetch a certificate chain: HTTPS to ``CERT_URL_HOST`` only, no redirect followed, at
    most ``limit`` bytes, and ``timeout`` seconds of wall clock over the whole fetch
    (connect, TLS handshake, headers, body). Per-read socket timeouts cannot bound a server
    that trickles a byte every half second, so a watchdog cuts the socket at the deadline.

    ``address`` connects to another place while still checking the certificate for
    ``CERT_URL_HOST`` (the tests' local server); ``context`` replaces the certifi roots."""
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.hostname != CERT_URL_HOST or parts.port not in (None, 443):
        raise ValueError(f"certificate chains come from https://{CERT_URL_HOST} only")
    started = time.monotonic()
    context = context or ssl.create_default_context(cafile=certifi.where())
    connection = _Connection(address or (CERT_URL_HOST, 443), timeout, context)
    watchdog = threading.Timer(timeout, connection.cut)
    watchdog.daemon = True
    watchdog.start()
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", target, headers={"Accept": "*/*", "Connection": "close"})
        response = connection.getresponse()
        if response.status != 200:  # a redirect is refused, never followed
            raise ValueError(f"certificate chain answered HTTP {response.status}")
        chain = response.read(limit + 1)
    except (OSError, http.client.HTTPException) as error:
        if time.monotonic() - started >= timeout:  # the watchdog cut it
            raise TimeoutError("certificate chain download too slow") from error
        if isinstance(error, http.client.HTTPException):
            name = type(error).__name__
            raise ValueError(f"certificate chain answer unreadable: {name}") from error
        raise
    finally:
        watchdog.cancel()
        connection.close()
    if time.monotonic() - started >= timeout:
        raise TimeoutError("certificate chain download too slow")
    if len(chain) > limit:
        raise ValueError(f"certificate chain larger than {limit} bytes")
    return chain
