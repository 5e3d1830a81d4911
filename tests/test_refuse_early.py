"""Refuse before parsing (issue #24 item 3): a request that fails the size, header, skill ID,
timestamp or signature checks is refused before the SDK builds its models, which cost ~100 ms
of CPU for a 256 KiB body (bench/refusal.py measures it)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from skill.alexa.fast_serializer import FastSerializer
from skill.tools.simulator.envelopes import EnvelopeFactory
from tests import pki
from tests.web_support import NOW, InvokeSpy, encode, iso, post, signed_app

PADDING = 250 * 1024


@pytest.fixture(scope="module")
def good() -> pki.Pki:
    return pki.make_pki()


@pytest.fixture
def models(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every envelope the SDK deserialised into models."""
    built: list[Any] = []
    real = FastSerializer.deserialize

    def deserialize(self: FastSerializer, payload: Any, obj_type: Any) -> Any:
        built.append(obj_type)
        return real(self, payload, obj_type)

    monkeypatch.setattr(FastSerializer, "deserialize", deserialize)
    return built


def big(**request: Any) -> dict[str, Any]:
    envelope = EnvelopeFactory().launch()
    envelope["request"]["timestamp"] = iso(NOW)
    envelope["request"].update(request)
    envelope["session"]["attributes"] = {"junk": ["x" * 1000] * (PADDING // 1010)}
    return envelope


def forged(good: pki.Pki, case: str) -> tuple[bytes, dict[str, str]]:
    envelope = big()
    if case == "skill_id":
        envelope["context"]["System"]["application"]["applicationId"] = "amzn1.ask.skill.other"
    if case == "stale":
        envelope["request"]["timestamp"] = iso(NOW - timedelta(seconds=600))
    body = encode(envelope)
    headers = good.headers(body)
    if case == "signature":
        headers = good.headers(body + b" ")
    elif case == "cert_url":
        headers["SignatureCertChainUrl"] = "https://evil.example/echo.api/x.pem"
    elif case == "no_signature":
        del headers["Signature-256"]
    elif case == "signature_shape":
        headers["Signature-256"] = "!" * 400
    return body, headers


CASES = ["skill_id", "stale", "signature", "cert_url", "no_signature", "signature_shape"]


@pytest.mark.parametrize("case", CASES)
def test_a_refused_request_never_reaches_the_sdks_models(
    good: pki.Pki, models: list[Any], monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    spy = InvokeSpy().install(monkeypatch)
    body, headers = forged(good, case)
    assert len(body) > 200 * 1024
    response = post(signed_app(good), body, headers)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert models == [] and spy.calls == []


def test_a_good_request_is_built_once_and_answered(good: pki.Pki, models: list[Any]) -> None:
    body = encode(big())
    response = post(signed_app(good), body, good.headers(body))
    assert response.status_code == 200
    assert len(models) == 1


def test_checks_of_the_headers_come_before_the_json_parse(good: pki.Pki, models: list[Any]) -> None:
    """A body that is not even JSON is refused on its headers first, when they fail."""
    body = b"{" * 1000
    headers = good.headers(body)
    headers["SignatureCertChainUrl"] = "http://s3.amazonaws.com/echo.api/x.pem"
    response = post(signed_app(good), body, headers)
    assert response.status_code == 400
    assert response.get_json()["description"] == "Request verification failed"
