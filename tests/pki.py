"""A self-made PKI that looks like Alexa's: root -> intermediate -> leaf for echo-api.amazon.com.

Built in-process so the signature tests and the benchmark need no network and no Amazon
certificate. The benchmark imports this module too (it puts ``tests/`` on ``sys.path``).
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.error import URLError

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ALEXA_DNS_NAME = "echo-api.amazon.com"
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"

Key = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
_EKU = [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]


@functools.cache
def rsa_key(label: str) -> rsa.RSAPrivateKey:
    """An RSA-2048 key per label, made once per process (key generation is the slow part)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def ec_key(label: str) -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Cramp Coach Test PKI"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, digital_signature: bool = False, cert_sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=False,
        key_encipherment=digital_signature,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass(frozen=True)
class Issuer:
    """A CA: its certificate and key."""

    cert: x509.Certificate
    key: Key


def make_ca(
    common_name: str, key: Key, issuer: Issuer | None = None, *, now: datetime | None = None
) -> Issuer:
    """A root (``issuer`` None) or an intermediate CA, with the extensions web-PKI validation
    insists on (critical basicConstraints, keyCertSign, subject and authority key ids)."""
    now = now or datetime.now(UTC)
    signer = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer.cert.subject if issuer else _name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=30))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=True, digital_signature=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()),
            critical=False,
        )
    )
    return Issuer(builder.sign(signer, hashes.SHA256()), key)


def make_leaf(
    issuer: Issuer,
    key: rsa.RSAPrivateKey,
    *,
    san: Iterable[str] = (ALEXA_DNS_NAME,),
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    digital_signature: bool = True,
) -> x509.Certificate:
    """A signing certificate like Amazon's echo-api one; the keywords make the faulty variants."""
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(next(iter(san), "no-san")))
        .issuer_name(issuer.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(days=1))
        .not_valid_after(not_after or now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=digital_signature), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage(_EKU),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    )
    names = [x509.DNSName(name) for name in san]
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(issuer.key, hashes.SHA256())


def pem(*certs: x509.Certificate) -> bytes:
    return b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in certs)


def sign(key: rsa.RSAPrivateKey, body: bytes) -> str:
    """The ``Signature-256`` header value: base64 RSA PKCS#1 v1.5 SHA-256 over the raw body."""
    return base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode("ascii")


def sign_sha1(key: rsa.RSAPrivateKey, body: bytes) -> str:
    """The retired ``Signature`` header value (SHA-1), which must no longer be accepted."""
    return base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA1())).decode("ascii")


@dataclass
class FakeFetch:
    """Stands in for the HTTPS download of certificate chains: serves ``chains`` by URL, fails
    for any other URL the way urllib does, and records every URL asked for."""

    chains: dict[str, bytes] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def __call__(self, url: str) -> bytes:
        self.calls.append(url)
        if url not in self.chains:
            raise URLError(f"no route to {url}")
        return self.chains[url]


@dataclass
class Pki:
    """The standard good setup: trusted root, intermediate, leaf, and the leaf's key."""

    root: Issuer
    intermediate: Issuer
    leaf: x509.Certificate
    leaf_key: rsa.RSAPrivateKey

    @property
    def root_pem(self) -> bytes:
        return pem(self.root.cert)

    @property
    def chain_pem(self) -> bytes:
        """What Amazon serves at the certificate URL: leaf first, then the intermediate."""
        return pem(self.leaf, self.intermediate.cert)

    def fetch(self) -> FakeFetch:
        return FakeFetch({CERT_URL: self.chain_pem})

    def headers(self, body: bytes, cert_url: str = CERT_URL) -> dict[str, str]:
        return {"SignatureCertChainUrl": cert_url, "Signature-256": sign(self.leaf_key, body)}


def make_pki(label: str = "alexa") -> Pki:
    """A fresh root -> intermediate -> leaf chain (keys are reused per ``label``)."""
    root = make_ca(f"{label} Test Root CA", ec_key(f"{label}-root"))
    intermediate = make_ca(f"{label} Test Intermediate CA", ec_key(f"{label}-inter"), root)
    leaf_key = rsa_key(f"{label}-leaf")
    return Pki(root, intermediate, make_leaf(intermediate, leaf_key), leaf_key)
