"""POST /alexa end to end with signatures from the test PKI: a good request is answered by the
skill; every forged, stale or misdirected one gets 400 before any skill code runs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from skill.alexa.verification import chain_download
from skill.hosts.web import create_app
from skill.settings import Settings
from skill.tools.simulator.envelopes import EnvelopeFactory
from tests import pki
from tests.web_support import NOW, InvokeSpy, encode, iso, post, signed_app, speech


@pytest.fixture(scope="module")
def good() -> pki.Pki:
    return pki.make_pki()


@pytest.fixture(scope="module")
def stranger() -> pki.Pki:
    """Another, untrusted PKI with its own keys."""
    return pki.make_pki("stranger")


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> InvokeSpy:
    return InvokeSpy().install(monkeypatch)


def launch(timestamp: datetime = NOW, skill_id: str | None = None) -> bytes:
    factory = EnvelopeFactory(skill_id=skill_id) if skill_id else EnvelopeFactory()
    envelope = factory.launch()
    envelope["request"]["timestamp"] = iso(timestamp)
    return encode(envelope)


def test_signed_request_answered_by_the_skill(good: pki.Pki, spy: InvokeSpy) -> None:
    body = launch()
    response = post(signed_app(good), body, good.headers(body))
    assert response.status_code == 200
    envelope = response.get_json()
    assert envelope["version"] == "1.0"
    assert "cramp" in speech(response).lower()
    assert len(spy.calls) == 1


@dataclass
class Attack:
    """One bad request: the body sent, its headers, and what the fake download serves."""

    body: bytes
    headers: dict[str, str]
    chains: dict[str, bytes] | None = None


def _forged_body(good: pki.Pki, stranger: pki.Pki) -> Attack:
    body = launch()
    return Attack(body.replace(b"LaunchRequest", b"SessionEndedRequest"), good.headers(body))


def _other_key(good: pki.Pki, stranger: pki.Pki) -> Attack:
    body = launch()
    return Attack(body, {**good.headers(body), "Signature-256": pki.sign(stranger.leaf_key, body)})


def _sha1_only(good: pki.Pki, stranger: pki.Pki) -> Attack:
    body = launch()
    headers = {
        "SignatureCertChainUrl": pki.CERT_URL,
        "Signature": pki.sign_sha1(good.leaf_key, body),
    }
    return Attack(body, headers)


def _no_headers(good: pki.Pki, stranger: pki.Pki) -> Attack:
    return Attack(launch(), {})


def _no_signature(good: pki.Pki, stranger: pki.Pki) -> Attack:
    return Attack(launch(), {"SignatureCertChainUrl": pki.CERT_URL})


def _no_cert_url(good: pki.Pki, stranger: pki.Pki) -> Attack:
    body = launch()
    return Attack(body, {"Signature-256": pki.sign(good.leaf_key, body)})


def _leaf(**kwargs: object) -> Callable[[pki.Pki, pki.Pki], Attack]:
    """A correctly signed request whose signing certificate is faulty."""

    def attack(good: pki.Pki, stranger: pki.Pki) -> Attack:
        leaf = pki.make_leaf(good.intermediate, good.leaf_key, **kwargs)  # type: ignore[arg-type]
        body = launch()
        return Attack(
            body, good.headers(body), {pki.CERT_URL: pki.pem(leaf, good.intermediate.cert)}
        )

    return attack


def _untrusted_root(good: pki.Pki, stranger: pki.Pki) -> Attack:
    body = launch()
    return Attack(body, stranger.headers(body), {pki.CERT_URL: stranger.chain_pem})


def _missing_intermediate(good: pki.Pki, stranger: pki.Pki) -> Attack:
    body = launch()
    return Attack(body, good.headers(body), {pki.CERT_URL: pki.pem(good.leaf)})


def _cert_url(url: str) -> Callable[[pki.Pki, pki.Pki], Attack]:
    """A correctly signed request pointing at a URL Amazon's rules forbid; the fake download
    would serve the good chain there, so only the URL check can refuse it."""

    def attack(good: pki.Pki, stranger: pki.Pki) -> Attack:
        body = launch()
        return Attack(body, good.headers(body, url), {url: good.chain_pem})

    return attack


def _download_fails(good: pki.Pki, stranger: pki.Pki) -> Attack:
    body = launch()
    return Attack(body, good.headers(body), {})


def _timestamp(offset_s: int) -> Callable[[pki.Pki, pki.Pki], Attack]:
    def attack(good: pki.Pki, stranger: pki.Pki) -> Attack:
        body = launch(NOW + timedelta(seconds=offset_s))
        return Attack(body, good.headers(body))

    return attack


def _wrong_skill_id(good: pki.Pki, stranger: pki.Pki) -> Attack:
    body = launch(skill_id="amzn1.ask.skill.someone-else")
    return Attack(body, good.headers(body))


_NOW = datetime.now(UTC)
_EXPIRED = {"not_before": _NOW - timedelta(days=30), "not_after": _NOW - timedelta(days=1)}
_PEM = "s3.amazonaws.com/echo.api/echo-api-cert.pem"
#: id -> (attack, what the rejection log must say, so each case fails for its own reason)
ATTACKS = {
    "forged body": (_forged_body, "signature does not match"),
    "signature by another key": (_other_key, "signature does not match"),
    "SHA-1 Signature header only": (_sha1_only, "Missing"),
    "missing both headers": (_no_headers, "Missing"),
    "missing Signature-256": (_no_signature, "Missing"),
    "missing SignatureCertChainUrl": (_no_cert_url, "Missing"),
    "wrong SAN": (_leaf(san=["echo-api.amazon.co"]), "subjectAltName"),
    "no SAN": (_leaf(san=[]), "subjectAltName"),
    "expired leaf": (_leaf(**_EXPIRED), "not valid at validation time"),
    "not-yet-valid leaf": (_leaf(not_before=_NOW + timedelta(days=1)), "not valid at validation"),
    "untrusted root": (_untrusted_root, "candidates exhausted"),
    "missing intermediate": (_missing_intermediate, "candidates exhausted"),
    "url http": (_cert_url(f"http://{_PEM}"), "not https"),
    "url other host": (_cert_url("https://notamazon.com/echo.api/cert.pem"), "host"),
    "url path not /echo.api/": (_cert_url("https://s3.amazonaws.com/invalid.path/c.pem"), "path"),
    "url path case": (_cert_url("https://s3.amazonaws.com/EcHo.aPi/cert.pem"), "path"),
    "url traversal": (_cert_url("https://s3.amazonaws.com/echo.api/../invalid/c.pem"), "path"),
    "url port": (_cert_url("https://s3.amazonaws.com:563/echo.api/cert.pem"), "port"),
    "download failure": (_download_fails, "download"),
    "stale timestamp (151 s)": (_timestamp(-151), "0:02:31 old"),
    "future timestamp (151 s)": (_timestamp(151), "0:02:31 in the future"),
    "wrong skill ID": (_wrong_skill_id, "Skill ID not allowed"),
}


@pytest.mark.parametrize(("make_attack", "reason"), ATTACKS.values(), ids=ATTACKS.keys())
def test_bad_request_rejected_before_the_skill(
    make_attack: Callable[[pki.Pki, pki.Pki], Attack],
    reason: str,
    good: pki.Pki,
    stranger: pki.Pki,
    spy: InvokeSpy,
    caplog: pytest.LogCaptureFixture,
) -> None:
    attack = make_attack(good, stranger)
    fetch = good.fetch() if attack.chains is None else pki.FakeFetch(attack.chains)
    with caplog.at_level(logging.WARNING, logger="skill.hosts.web"):
        response = post(signed_app(good, fetch), attack.body, attack.headers)
    assert response.status_code == 400
    assert response.get_json()["error"] == "Bad Request"
    assert spy.calls == []
    assert reason in caplog.text


@pytest.mark.parametrize("offset_s", [-150, 150])
def test_timestamp_at_the_tolerance_is_accepted(good: pki.Pki, offset_s: int) -> None:
    body = launch(NOW + timedelta(seconds=offset_s))
    assert post(signed_app(good), body, good.headers(body)).status_code == 200


def test_default_verifiers_come_from_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, good: pki.Pki, spy: InvokeSpy
) -> None:
    """Without a ``verifiers`` argument the app verifies with the configured roots and the
    default download (replaced here: tests use no network)."""
    roots = tmp_path / "roots.pem"
    roots.write_bytes(good.root_pem)
    monkeypatch.setattr(chain_download, "download", good.fetch())
    app = create_app(Settings(verify_signatures=True, trusted_roots_path=str(roots)))
    body = launch(datetime.now(UTC))
    assert post(app, body, good.headers(body)).status_code == 200
    assert post(app, body, {}).status_code == 400
    assert len(spy.calls) == 1
