"""Verify that a request really comes from Alexa, for this skill, and is fresh.

Why our own verifiers: the SDK's ``RequestVerifier`` cannot import on OpenSSL 3.0.10+ (see
``skill.alexa.sdk_compat``), turns a failed chain download into a 500, and re-validates the chain on
every request. These verifiers plug into the SDK's ``WebserviceSkillHandler`` unchanged and raise
``VerificationException`` (HTTP 400) for every failure, whatever its cause.

Rules: https://developer.amazon.com/docs/custom-skills/host-a-custom-skill-as-a-web-service.html
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import http.client
import logging
import posixpath
import re
import socket
import ssl
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import certifi
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import DNSName
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from skill.alexa.sdk_compat import AbstractVerifier, VerificationException

CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"
CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PATH_PREFIX = "/echo.api/"
ALEXA_DNS_NAME = "echo-api.amazon.com"

FETCH_TIMEOUT_S = 2.0
MAX_CHAIN_BYTES = 64 * 1024
DEFAULT_CACHE_SIZE = 16
#: Chain downloads in flight at once per process; past that a request with an unknown
#: certificate URL is refused at once, so a flood of new URLs cannot queue real requests.
MAX_CONCURRENT_FETCHES = 2
#: A certificate URL whose chain was refused is refused again without a download for this
#: long; one whose download failed (maybe a network blip), for a shorter while.
REFUSED_URL_SECONDS = 600.0
FAILED_FETCH_SECONDS = 10.0
#: Refused URLs remembered (least recently refused forgotten first).
REFUSED_CACHE_SIZE = 4096
#: An RSA signature of Alexa's 2048-bit key is 256 bytes; allow up to a 4096-bit key.
MAX_SIGNATURE_BYTES = 512

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

_log = logging.getLogger(__name__)

Fetch = Callable[[str], bytes]
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


@dataclass(frozen=True)
class TrustedSigner:
    """A validated chain, reduced to what each request needs: the key and when to re-check."""

    public_key: RSAPublicKey
    expires: datetime


_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


def load_roots(trusted_roots: bytes | None) -> list[x509.Certificate]:
    """PEM roots, or the certifi bundle (which holds Amazon's roots).

    Loaded one by one: a bundle may hold an old root cryptography frowns on (certifi has one
    with a non-positive serial), and one such root must not stop the service from starting.
    """
    if trusted_roots is None:
        with open(certifi.where(), "rb") as bundle:
            trusted_roots = bundle.read()
    roots = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        for block in _PEM_BLOCK.findall(trusted_roots):
            try:
                roots.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                _log.warning("Skipping an unreadable trusted root certificate")
    if not roots:
        raise ValueError("no trusted root certificates")
    return roots


def validate_chain(chain_pem: bytes, store: Store, now: datetime) -> TrustedSigner:
    """Validate a PEM chain (leaf first) to a trusted root and check the leaf is Alexa's signer."""
    try:
        certs = x509.load_pem_x509_certificates(chain_pem)
    except ValueError as exc:
        raise VerificationException("Certificate chain is not valid PEM") from exc
    leaf, intermediates = certs[0], certs[1:]
    verifier = PolicyBuilder().store(store).time(now).build_server_verifier(DNSName(ALEXA_DNS_NAME))
    try:
        path = verifier.verify(leaf, intermediates)
    except VerificationError as exc:
        raise VerificationException(f"Certificate chain rejected: {exc}") from exc
    _check_leaf(leaf)
    key = leaf.public_key()
    if not isinstance(key, RSAPublicKey):
        raise VerificationException("Signing certificate does not hold an RSA key")
    return TrustedSigner(key, min(cert.not_valid_after_utc for cert in path))


def _check_leaf(leaf: x509.Certificate) -> None:
    """Checks path validation alone would let through: a wildcard SAN matches
    ``echo-api.amazon.com`` for TLS, but Alexa's signer names it exactly."""
    try:
        san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound as exc:
        raise VerificationException(f"Signing certificate lacks an extension: {exc}") from exc
    if ALEXA_DNS_NAME not in (name.lower() for name in san.get_values_for_type(x509.DNSName)):
        raise VerificationException(f"Signing certificate SAN lacks {ALEXA_DNS_NAME}")
    if not usage.digital_signature:
        raise VerificationException("Signing certificate lacks key usage digitalSignature")


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


class SignatureVerifier(EarlyVerifier):
    """Checks ``Signature-256`` against the certificate chain at ``SignatureCertChainUrl``.

    ``trusted_roots``: PEM roots (default certifi). ``fetch``: ``url -> PEM bytes`` (default an
    HTTPS download, 2 s). Validated chains are kept per URL in a small LRU cache until the
    earliest notAfter in the chain, so a warm request costs one RSA verification. A URL whose
    chain was refused is refused without a download for a while, and at most
    :data:`MAX_CONCURRENT_FETCHES` downloads run at once: a flood of made-up URLs costs a
    dictionary lookup each, never a queue of downloads.
    """

    cost = 2

    def __init__(
        self,
        trusted_roots: bytes | None = None,
        fetch: Fetch | None = None,
        *,
        clock: Clock = utc_now,
        cache_size: int = DEFAULT_CACHE_SIZE,
        max_fetches: int = MAX_CONCURRENT_FETCHES,
    ) -> None:
        self._store = Store(load_roots(trusted_roots))
        self._fetch = fetch or download
        self._clock = clock
        self._cache_size = cache_size
        self._cache: OrderedDict[str, TrustedSigner] = OrderedDict()
        self._refused: OrderedDict[str, float] = OrderedDict()
        self._fetches = threading.BoundedSemaphore(max_fetches)
        self._lock = threading.Lock()

    def verify(
        self, headers: Any, serialized_request_env: Any, deserialized_request_env: Any
    ) -> None:
        self._guarded(lambda: self._verify(headers, serialized_request_env))

    def check_headers(self, headers: Any) -> None:
        """The certificate URL's shape, a recent refusal of it, and the signature's shape."""
        self._guarded(lambda: self._signature(headers))

    def check_bytes(self, headers: Any, body: bytes) -> bool:
        """With the chain already validated (every warm request), the signature is checked
        on the raw bytes at once: junk signed by anyone else costs a hash and an RSA check,
        not a JSON parse."""
        done: list[bool] = []

        def signed() -> None:
            url, raw_signature = self._signature(headers)
            signer = self._cached(url, self._clock())
            if signer is not None:
                self._match(signer, raw_signature, body)
                done.append(True)

        self._guarded(signed)
        return bool(done)

    def check(self, headers: Any, body: bytes, envelope: dict[str, Any]) -> None:
        self._guarded(lambda: self._verify(headers, body))

    @staticmethod
    def _guarded(check: Callable[[], object]) -> None:
        try:
            check()
        except VerificationException:
            raise
        except Exception as exc:  # fail closed, and as a 400: never let a check crash to 500
            raise VerificationException(
                f"Signature verification failed: {type(exc).__name__}"
            ) from exc

    def _signature(self, headers: Any) -> tuple[str, bytes]:
        cert_url = header(headers, CERT_URL_HEADER)
        signature = header(headers, SIGNATURE_HEADER)
        if not cert_url or not signature:
            raise VerificationException(f"Missing {CERT_URL_HEADER} or {SIGNATURE_HEADER} header")
        url = canonical_cert_url(cert_url)
        if len(signature) > 4 * MAX_SIGNATURE_BYTES // 3 + 4:
            raise VerificationException("Signature is too long")
        try:
            raw_signature = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise VerificationException("Signature is not base64") from exc
        with self._lock:
            until = self._refused.get(url)
            if until is not None and time.monotonic() < until:
                raise VerificationException("Certificate URL was refused recently")
        return url, raw_signature

    def _verify(self, headers: Any, body: str | bytes) -> None:
        url, raw_signature = self._signature(headers)
        self._match(self._signer(url), raw_signature, body)

    @staticmethod
    def _match(signer: TrustedSigner, raw_signature: bytes, body: str | bytes) -> None:
        raw_body = body.encode("utf-8") if isinstance(body, str) else body
        try:
            signer.public_key.verify(raw_signature, raw_body, PKCS1v15(), SHA256())
        except InvalidSignature as exc:
            raise VerificationException("Request body signature does not match") from exc

    def signer(self, cert_url: str) -> TrustedSigner:
        """The validated signer for a certificate URL, from the cache or freshly fetched."""
        return self._signer(canonical_cert_url(cert_url))

    def _cached(self, url: str, now: datetime) -> TrustedSigner | None:
        with self._lock:
            cached = self._cache.get(url)
            if cached is not None and now < cached.expires:
                self._cache.move_to_end(url)
                return cached
            until = self._refused.get(url)
        if until is not None and time.monotonic() < until:
            raise VerificationException("Certificate URL was refused recently")
        return None

    def _signer(self, url: str) -> TrustedSigner:
        now = self._clock()
        cached = self._cached(url, now)
        if cached is not None:
            return cached
        if not self._fetches.acquire(blocking=False):
            raise VerificationException("Too many certificate chain downloads at once")
        try:
            cached = self._cached(url, now)  # another request may have fetched it meanwhile
            if cached is not None:
                return cached
            try:
                chain_pem = self._fetch(url)
            except Exception as exc:
                self._refuse(url, FAILED_FETCH_SECONDS)
                raise VerificationException(
                    f"Could not download certificate chain: {type(exc).__name__}"
                ) from exc
            try:
                signer = validate_chain(chain_pem, self._store, now)
            except VerificationException:
                self._refuse(url, REFUSED_URL_SECONDS)
                raise
        finally:
            self._fetches.release()
        with self._lock:
            self._cache[url] = signer
            self._cache.move_to_end(url)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return signer

    def _refuse(self, url: str, seconds: float) -> None:
        with self._lock:
            self._refused[url] = time.monotonic() + seconds
            self._refused.move_to_end(url)
            while len(self._refused) > REFUSED_CACHE_SIZE:
                self._refused.popitem(last=False)


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
