"""Unit tests of alexa.verification: certificate URL rules, chain cache, timestamps, skill IDs,
and the default download. The end-to-end rejection list runs through HTTP in test_web_verify."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.alexa import verification
from skill.alexa.sdk_compat import VerificationException
from skill.alexa.verification import (
    SignatureVerifier,
    SkillIdVerifier,
    TimestampVerifier,
    canonical_cert_url,
)
from skill.tools.simulator.envelopes import DEFAULT_SKILL_ID, EnvelopeFactory
from tests import pki

BODY = b'{"version":"1.0","request":{"type":"LaunchRequest"}}'
NOW = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def good() -> pki.Pki:
    return pki.make_pki()


def deserialize(envelope: dict[str, Any]) -> RequestEnvelope:
    return DefaultSerializer().deserialize(json.dumps(envelope), RequestEnvelope)


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://s3.amazonaws.com/echo.api/echo-api-cert.pem", "/echo.api/echo-api-cert.pem"),
        ("HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem", "/echo.api/echo-api-cert.pem"),
        ("https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem", "/echo.api/echo-api-cert.pem"),
        ("https://s3.amazonaws.com/echo.api/../echo.api/cert.pem", "/echo.api/cert.pem"),
    ],
)
def test_cert_url_accepted_and_normalised(url: str, canonical: str) -> None:
    assert canonical_cert_url(url) == "https://s3.amazonaws.com" + canonical


@pytest.mark.parametrize(
    "url",
    [
        "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://notamazon.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem",
        "https://evil.example@s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
        "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/%2e%2e/invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:notaport/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/echo-api-cert.pem?x=1",
        "https://s3.amazonaws.com",
        "",
    ],
)
def test_cert_url_rejected(url: str) -> None:
    with pytest.raises(VerificationException):
        canonical_cert_url(url)


def test_valid_signature_accepted_and_chain_fetched_once(good: pki.Pki) -> None:
    fetch = good.fetch()
    verifier = SignatureVerifier(good.root_pem, fetch)
    for _ in range(5):
        verifier.verify(good.headers(BODY), BODY.decode(), None)
    assert fetch.calls == [pki.CERT_URL]


def test_headers_are_case_insensitive_in_plain_dicts(good: pki.Pki) -> None:
    headers = {k.lower(): v for k, v in good.headers(BODY).items()}
    SignatureVerifier(good.root_pem, good.fetch()).verify(headers, BODY.decode(), None)


def test_traversal_url_is_downloaded_in_normalised_form(good: pki.Pki) -> None:
    fetch = good.fetch()
    url = "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert-test.pem"
    SignatureVerifier(good.root_pem, fetch).verify(good.headers(BODY, url), BODY.decode(), None)
    assert fetch.calls == [pki.CERT_URL]


def test_wildcard_san_rejected_though_path_validation_accepts_it(good: pki.Pki) -> None:
    """A ``*.amazon.com`` certificate matches echo-api.amazon.com for TLS; Alexa's signer
    names it exactly, so the exact-SAN check must refuse it."""
    leaf = pki.make_leaf(good.intermediate, good.leaf_key, san=["*.amazon.com"])
    fetch = pki.FakeFetch({pki.CERT_URL: pki.pem(leaf, good.intermediate.cert)})
    with pytest.raises(VerificationException, match="SAN"):
        SignatureVerifier(good.root_pem, fetch).verify(good.headers(BODY), BODY.decode(), None)


def test_leaf_without_digital_signature_usage_rejected(good: pki.Pki) -> None:
    leaf = pki.make_leaf(good.intermediate, good.leaf_key, digital_signature=False)
    fetch = pki.FakeFetch({pki.CERT_URL: pki.pem(leaf, good.intermediate.cert)})
    with pytest.raises(VerificationException, match="digitalSignature"):
        SignatureVerifier(good.root_pem, fetch).verify(good.headers(BODY), BODY.decode(), None)


@pytest.mark.parametrize("served", [b"", b"not a certificate", b"-----BEGIN CERTIFICATE-----\nx"])
def test_unreadable_chain_rejected(good: pki.Pki, served: bytes) -> None:
    verifier = SignatureVerifier(good.root_pem, pki.FakeFetch({pki.CERT_URL: served}))
    with pytest.raises(VerificationException):
        verifier.verify(good.headers(BODY), BODY.decode(), None)


def test_signature_not_base64_rejected(good: pki.Pki) -> None:
    headers = {**good.headers(BODY), "Signature-256": "not base64!"}
    with pytest.raises(VerificationException, match="base64"):
        SignatureVerifier(good.root_pem, good.fetch()).verify(headers, BODY.decode(), None)


def test_cache_entry_expires_at_leaf_not_after(good: pki.Pki) -> None:
    """Past the leaf's notAfter the chain is fetched and validated again (and now fails)."""
    real_now = datetime.now(UTC)
    leaf = pki.make_leaf(good.intermediate, good.leaf_key, not_after=real_now + timedelta(hours=1))
    fetch = pki.FakeFetch({pki.CERT_URL: pki.pem(leaf, good.intermediate.cert)})
    clock = [real_now]
    verifier = SignatureVerifier(good.root_pem, fetch, clock=lambda: clock[0])
    verifier.verify(good.headers(BODY), BODY.decode(), None)
    clock[0] = real_now + timedelta(minutes=59)
    verifier.verify(good.headers(BODY), BODY.decode(), None)
    assert len(fetch.calls) == 1
    clock[0] = real_now + timedelta(minutes=61)
    with pytest.raises(VerificationException):
        verifier.verify(good.headers(BODY), BODY.decode(), None)
    assert len(fetch.calls) == 2


def test_cache_is_bounded_least_recently_used_first(good: pki.Pki) -> None:
    urls = [f"https://s3.amazonaws.com/echo.api/cert-{i}.pem" for i in range(3)]
    fetch = pki.FakeFetch({url: good.chain_pem for url in urls})
    verifier = SignatureVerifier(good.root_pem, fetch, cache_size=2)
    for url in [urls[0], urls[1], urls[0], urls[2], urls[0], urls[1]]:
        verifier.verify(good.headers(BODY, url), BODY.decode(), None)
    # urls[2] evicted urls[1] (least recently used), so only urls[1] was fetched twice.
    assert fetch.calls == [urls[0], urls[1], urls[2], urls[1]]


def test_default_roots_are_certifi_and_bad_roots_fail_at_start() -> None:
    assert len(verification.load_roots(None)) > 50
    with pytest.raises(ValueError):
        SignatureVerifier(trusted_roots=b"no certificates here")


def stamped(request_type: str, age_s: float, *, naive: bool = False) -> RequestEnvelope:
    envelope = EnvelopeFactory().launch()
    stamp = NOW - timedelta(seconds=age_s)
    envelope["request"]["type"] = request_type
    envelope["request"]["timestamp"] = stamp.strftime("%Y-%m-%dT%H:%M:%S") + ("" if naive else "Z")
    return deserialize(envelope)


@pytest.mark.parametrize(
    ("request_type", "age_s", "accepted"),
    [
        ("LaunchRequest", 0, True),
        ("LaunchRequest", 150, True),
        ("LaunchRequest", 151, False),
        ("LaunchRequest", -150, True),
        ("LaunchRequest", -151, False),
        ("AlexaSkillEvent.SkillEnabled", 151, True),
        ("AlexaSkillEvent.SkillDisabled", 3600, True),
        ("AlexaSkillEvent.SkillPermissionChanged", 3000, True),
        ("AlexaSkillEvent.SkillPermissionAccepted", 3000, True),
        ("AlexaSkillEvent.SkillAccountLinked", 3601, False),
        ("AlexaSkillEvent.SkillEnabled", -151, False),
    ],
)
def test_timestamp_tolerance(request_type: str, age_s: float, accepted: bool) -> None:
    verifier = TimestampVerifier(clock=lambda: NOW)
    envelope = stamped(request_type, age_s)
    if accepted:
        verifier.verify({}, "", envelope)
    else:
        with pytest.raises(VerificationException):
            verifier.verify({}, "", envelope)


def test_timestamp_without_zone_is_read_as_utc() -> None:
    verifier = TimestampVerifier(clock=lambda: NOW)
    verifier.verify({}, "", stamped("LaunchRequest", 100, naive=True))
    with pytest.raises(VerificationException):
        verifier.verify({}, "", stamped("LaunchRequest", 200, naive=True))


def test_missing_timestamp_rejected() -> None:
    envelope = EnvelopeFactory().launch()
    del envelope["request"]["timestamp"]
    with pytest.raises(VerificationException):
        TimestampVerifier().verify({}, "", deserialize(envelope))


@pytest.mark.parametrize(
    ("context_id", "session_id", "accepted"),
    [
        (DEFAULT_SKILL_ID, DEFAULT_SKILL_ID, True),
        (DEFAULT_SKILL_ID, None, True),
        ("amzn1.ask.skill.other", DEFAULT_SKILL_ID, False),
        (DEFAULT_SKILL_ID, "amzn1.ask.skill.other", False),
        (None, None, False),
    ],
)
def test_skill_id_allow_list(context_id: str | None, session_id: str | None, accepted: bool):
    envelope = EnvelopeFactory().launch()
    holders = [(envelope["context"]["System"], context_id), (envelope["session"], session_id)]
    for holder, app_id in holders:
        if app_id is None:
            del holder["application"]
        else:
            holder["application"] = {"applicationId": app_id}
    verifier = SkillIdVerifier([DEFAULT_SKILL_ID, "amzn1.ask.skill.second"])
    if accepted:
        verifier.verify({}, "", deserialize(envelope))
    else:
        with pytest.raises(VerificationException):
            verifier.verify({}, "", deserialize(envelope))
