"""The ``Signature-256`` check: the request body signed by the key of the certificate chain
at ``SignatureCertChainUrl``, validated chains kept per URL, refusals remembered, and chain
downloads bounded in number, so a flood of made-up URLs cannot queue real requests."""

from __future__ import annotations

import base64
import binascii
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.x509.verification import Store

from skill.alexa.sdk_compat import VerificationException
from skill.alexa.verification import chain_download
from skill.alexa.verification.base import Clock, EarlyVerifier, header, utc_now
from skill.alexa.verification.chain_download import canonical_cert_url
from skill.alexa.verification.chain_trust import TrustedSigner, load_roots, validate_chain

CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"

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

Fetch = Callable[[str], bytes]


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
        # Looked up on the module when the verifier is made (tests replace the download).
        self._fetch = fetch or chain_download.download
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
