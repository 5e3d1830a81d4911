"""Whether a downloaded chain is Alexa's signer: validated to a trusted root, its leaf named
``echo-api.amazon.com`` exactly and allowed to sign; reduced to the key each request needs."""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass
from datetime import datetime

import certifi
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import DNSName
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from skill.alexa.sdk_compat import VerificationException

ALEXA_DNS_NAME = "echo-api.amazon.com"

_log = logging.getLogger(__name__)


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
