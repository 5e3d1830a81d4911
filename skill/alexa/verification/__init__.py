"""Verify that a request really comes from Alexa, for this skill, and is fresh.

Why our own verifiers: the SDK's ``RequestVerifier`` cannot import on OpenSSL 3.0.10+ (see
``skill.alexa.sdk_compat``), turns a failed chain download into a 500, and re-validates the chain on
every request. These verifiers plug into the SDK's ``WebserviceSkillHandler`` unchanged and raise
``VerificationException`` (HTTP 400) for every failure, whatever its cause.

One module per job: :mod:`.base` (the early-check protocol the web host runs, headers),
:mod:`.chain_download` (the certificate URL's rules and its bounded download),
:mod:`.chain_trust` (the chain validated to a root, the signer's key), :mod:`.signature`
(``Signature-256``, with the chain cache and refusals), :mod:`.timestamp` (freshness) and
:mod:`.skill_id` (the addressee). Their public names are importable from here.

Rules: https://developer.amazon.com/docs/custom-skills/host-a-custom-skill-as-a-web-service.html
"""

from __future__ import annotations

from skill.alexa.verification.base import Clock, EarlyVerifier, header, utc_now
from skill.alexa.verification.chain_download import (
    CERT_URL_HOST,
    CERT_URL_PATH_PREFIX,
    FETCH_TIMEOUT_S,
    MAX_CHAIN_BYTES,
    canonical_cert_url,
    download,
)
from skill.alexa.verification.chain_trust import (
    ALEXA_DNS_NAME,
    TrustedSigner,
    load_roots,
    validate_chain,
)
from skill.alexa.verification.signature import (
    CERT_URL_HEADER,
    DEFAULT_CACHE_SIZE,
    FAILED_FETCH_SECONDS,
    MAX_CONCURRENT_FETCHES,
    MAX_SIGNATURE_BYTES,
    REFUSED_CACHE_SIZE,
    REFUSED_URL_SECONDS,
    SIGNATURE_HEADER,
    Fetch,
    SignatureVerifier,
)
from skill.alexa.verification.skill_id import (
    SkillIdVerifier,
    application_ids,
    raw_application_ids,
)
from skill.alexa.verification.timestamp import (
    NORMAL_TOLERANCE,
    SKILL_EVENT_TOLERANCE,
    SKILL_EVENT_TYPES,
    TimestampVerifier,
)

__all__ = [
    "ALEXA_DNS_NAME",
    "CERT_URL_HEADER",
    "CERT_URL_HOST",
    "CERT_URL_PATH_PREFIX",
    "DEFAULT_CACHE_SIZE",
    "FAILED_FETCH_SECONDS",
    "FETCH_TIMEOUT_S",
    "MAX_CHAIN_BYTES",
    "MAX_CONCURRENT_FETCHES",
    "MAX_SIGNATURE_BYTES",
    "NORMAL_TOLERANCE",
    "REFUSED_CACHE_SIZE",
    "REFUSED_URL_SECONDS",
    "SIGNATURE_HEADER",
    "SKILL_EVENT_TOLERANCE",
    "SKILL_EVENT_TYPES",
    "Clock",
    "EarlyVerifier",
    "Fetch",
    "SignatureVerifier",
    "SkillIdVerifier",
    "TimestampVerifier",
    "TrustedSigner",
    "application_ids",
    "canonical_cert_url",
    "download",
    "header",
    "load_roots",
    "raw_application_ids",
    "utc_now",
    "validate_chain",
]
