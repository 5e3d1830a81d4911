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
import logging
import posixpath
import re
import ssl
import threading
import time
import urllib.request
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


def download(url: str, timeout: float = FETCH_TIMEOUT_S, limit: int = MAX_CHAIN_BYTES) -> bytes:
    """Fetch a certificate chain over HTTPS within ``timeout`` seconds in all, at most ``limit``
    bytes. A slow or huge answer must not tie up a worker: Alexa waits 8 s for the whole reply."""
    deadline = time.monotonic() + timeout
    context = ssl.create_default_context(cafile=certifi.where())
    with urllib.request.urlopen(url, timeout=timeout, context=context) as response:  # noqa: S310
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read(8192):
            size += len(chunk)
            if size > limit:
                raise ValueError(f"certificate chain larger than {limit} bytes")
            if time.monotonic() > deadline:
                raise TimeoutError("certificate chain download too slow")
            chunks.append(chunk)
    return b"".join(chunks)


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


class SignatureVerifier(AbstractVerifier):
    """Checks ``Signature-256`` against the certificate chain at ``SignatureCertChainUrl``.

    ``trusted_roots``: PEM roots (default certifi). ``fetch``: ``url -> PEM bytes`` (default an
    HTTPS download, 2 s). Validated chains are kept per URL in a small LRU cache until the
    earliest notAfter in the chain, so a warm request costs one RSA verification.
    """

    def __init__(
        self,
        trusted_roots: bytes | None = None,
        fetch: Fetch | None = None,
        *,
        clock: Clock = utc_now,
        cache_size: int = DEFAULT_CACHE_SIZE,
    ) -> None:
        self._store = Store(load_roots(trusted_roots))
        self._fetch = fetch or download
        self._clock = clock
        self._cache_size = cache_size
        self._cache: OrderedDict[str, TrustedSigner] = OrderedDict()
        self._lock = threading.Lock()

    def verify(
        self, headers: Any, serialized_request_env: Any, deserialized_request_env: Any
    ) -> None:
        try:
            self._verify(headers, serialized_request_env)
        except VerificationException:
            raise
        except Exception as exc:  # fail closed, and as a 400: never let a check crash to 500
            raise VerificationException(
                f"Signature verification failed: {type(exc).__name__}"
            ) from exc

    def _verify(self, headers: Any, body: str | bytes) -> None:
        cert_url = header(headers, CERT_URL_HEADER)
        signature = header(headers, SIGNATURE_HEADER)
        if not cert_url or not signature:
            raise VerificationException(f"Missing {CERT_URL_HEADER} or {SIGNATURE_HEADER} header")
        signer = self.signer(cert_url)
        try:
            raw_signature = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise VerificationException("Signature is not base64") from exc
        raw_body = body.encode("utf-8") if isinstance(body, str) else body
        try:
            signer.public_key.verify(raw_signature, raw_body, PKCS1v15(), SHA256())
        except InvalidSignature as exc:
            raise VerificationException("Request body signature does not match") from exc

    def signer(self, cert_url: str) -> TrustedSigner:
        """The validated signer for a certificate URL, from the cache or freshly fetched."""
        url = canonical_cert_url(cert_url)
        now = self._clock()
        with self._lock:
            cached = self._cache.get(url)
            if cached is not None and now < cached.expires:
                self._cache.move_to_end(url)
                return cached
        try:
            chain_pem = self._fetch(url)
        except Exception as exc:
            raise VerificationException(
                f"Could not download certificate chain: {type(exc).__name__}"
            ) from exc
        signer = validate_chain(chain_pem, self._store, now)
        with self._lock:
            self._cache[url] = signer
            self._cache.move_to_end(url)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return signer


class TimestampVerifier(AbstractVerifier):
    """Rejects replays: the request timestamp must be within 150 s of now, in either direction;
    skill events (delivered late by design) may be up to an hour old."""

    def __init__(self, clock: Clock = utc_now) -> None:
        self._clock = clock

    def verify(
        self, headers: Any, serialized_request_env: Any, deserialized_request_env: Any
    ) -> None:
        request = getattr(deserialized_request_env, "request", None)
        stamp = getattr(request, "timestamp", None)
        if not isinstance(stamp, datetime):
            raise VerificationException("Request has no timestamp")
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        age = self._clock() - stamp
        if age < -NORMAL_TOLERANCE:
            raise VerificationException(f"Request timestamp is {-age} in the future")
        is_event = getattr(request, "object_type", None) in SKILL_EVENT_TYPES
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


class SkillIdVerifier(AbstractVerifier):
    """Only our own skill may call us: a valid Alexa signature proves the sender is Alexa, not
    that the request is meant for this skill. (The SDK's own check would answer 500.)"""

    def __init__(self, skill_ids: Iterable[str]) -> None:
        self._allowed = frozenset(skill_ids)

    def verify(
        self, headers: Any, serialized_request_env: Any, deserialized_request_env: Any
    ) -> None:
        ids = application_ids(deserialized_request_env)
        if not ids or any(app_id not in self._allowed for app_id in ids):
            raise VerificationException("Skill ID not allowed")
