"""Hostile input at both entries: the Lambda handler never raises on a bad envelope, and no
request can forge a log line (nothing but the fact of a rejection is logged before
verification; request text never reaches a log line unescaped; no user ids)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from skill.core.ssml import validate_response
from skill.hosts import lambda_handler
from skill.hosts.web import create_app
from skill.settings import Settings
from skill.tools.simulator.envelopes import DEFAULT_SKILL_ID, EnvelopeFactory
from tests import pki
from tests.web_support import post, signed_app

FORGED = "\n2026-01-01 00:00:00 CRITICAL root: FORGED admin logged in"
USER = "amzn1.ask.account.SECRET-USER-ID"


def nested(depth: int) -> dict[str, Any]:
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value


def bad_envelopes() -> dict[str, Any]:
    factory = EnvelopeFactory(user_id=USER)
    unknown_type = factory.launch()
    unknown_type["request"]["type"] = "Alexa.Brand.NewRequest" + FORGED
    unknown_error = factory.session_ended("ERROR", error_type=USER + FORGED)
    bad_reason = factory.session_ended()
    bad_reason["request"]["reason"] = USER + FORGED
    deep = factory.launch()
    deep["session"]["attributes"] = nested(5000)
    wrong_types = factory.intent("CrampReliefIntent")
    wrong_types["request"]["intent"] = ["not", "an", "object"]
    wrong_types_2 = factory.launch()
    wrong_types_2["session"] = "a string"
    wrong_timestamp = factory.launch()
    wrong_timestamp["request"]["timestamp"] = {"not": "a time"}
    slots_list = factory.intent("CrampReliefIntent")
    slots_list["request"]["intent"]["slots"] = [{"name": "Leg", "value": "left"}]
    return {
        "unknown request type": unknown_type,
        "unknown SessionEndedRequest error type": unknown_error,
        "user id in an enum": bad_reason,
        "depth 5000": deep,
        "intent is a list": wrong_types,
        "session is a string": wrong_types_2,
        "timestamp is an object": wrong_timestamp,
        "slots is a list": slots_list,
        "not a dict": ["LaunchRequest"],
        "no request": {"version": "1.0"},
        "request type not a string": {"request": {"type": 7}},
    }


BAD = bad_envelopes()


def body_of(envelope: Any) -> bytes:
    """JSON text of an envelope; the 5,000-deep one is spliced in as text, as json.dumps
    itself would recurse too deep."""
    if envelope is BAD["depth 5000"]:
        shallow = dict(envelope, session=dict(envelope["session"], attributes="DEEP"))
        deep = '{"a":' * 5000 + "1" + "}" * 5000
        return json.dumps(shallow).replace('"DEEP"', deep).encode()
    return json.dumps(envelope).encode()


def assert_valid(answer: dict[str, Any]) -> None:
    assert answer["version"] == "1.0"
    assert validate_response(answer["response"]) == []
    json.dumps(answer)  # serialisable as the Lambda runtime needs


@pytest.mark.parametrize("name", list(BAD))
def test_lambda_answers_every_bad_envelope_without_raising(name: str) -> None:
    answer = lambda_handler.handler(BAD[name])
    assert_valid(answer)


def test_lambda_speaks_the_safety_sentence_when_an_intent_cannot_be_read() -> None:
    """The request may have been an alarm: the safety sentence first, never a stretch."""
    answer = lambda_handler.handler(BAD["intent is a list"])
    ssml = answer["response"]["outputSpeech"]["ssml"]
    assert "call your local emergency number now" in ssml and "straighten" not in ssml.lower()
    assert answer["response"]["shouldEndSession"] is True


def test_lambda_answers_unreadable_session_ends_without_speech() -> None:
    answer = lambda_handler.handler(BAD["unknown SessionEndedRequest error type"])
    assert "outputSpeech" not in answer["response"]


def assert_no_forgery(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        line = record.getMessage()
        assert "\n" not in line and "\r" not in line, line
        assert "FORGED" not in line and "SECRET-USER-ID" not in line, line
        assert record.exc_info is None and record.exc_text is None, line


@pytest.mark.parametrize("name", list(BAD))
def test_no_log_line_can_be_forged_through_lambda(
    name: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    lambda_handler.handler(BAD[name])
    assert_no_forgery(caplog)


@pytest.fixture(scope="module")
def good() -> pki.Pki:
    return pki.make_pki()


@pytest.mark.parametrize("name", list(BAD))
def test_unsigned_requests_log_only_their_rejection(
    name: str, good: pki.Pki, caplog: pytest.LogCaptureFixture
) -> None:
    """Before verification: one line saying a request was rejected, nothing from it."""
    app = signed_app(good, skill_ids=(DEFAULT_SKILL_ID,))
    caplog.set_level(logging.DEBUG)
    response = post(app, body_of(BAD[name]))  # no signature headers
    assert response.status_code == 400
    assert_no_forgery(caplog)
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("skill")]
    assert lines and all(line.startswith("request_rejected reason=") for line in lines), lines


def test_a_forged_line_in_an_open_app_is_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    """With verification off (development) bad envelopes still log only their rejection."""
    app = create_app(Settings(verify_signatures=False))
    caplog.set_level(logging.DEBUG)
    for envelope in BAD.values():
        assert post(app, body_of(envelope)).status_code in (200, 400)
    assert_no_forgery(caplog)


def test_a_failing_skill_logs_where_not_what(caplog: pytest.LogCaptureFixture, monkeypatch) -> None:
    """An exception whose message quotes the request is logged by type and place only."""
    from skill.core import topics

    def explode(turn: Any) -> Any:
        raise ValueError("request said:" + FORGED)

    monkeypatch.setattr(topics, "overview", explode)
    from skill.alexa.builder import build_skill

    skill = build_skill(Settings())
    caplog.set_level(logging.DEBUG)
    answer = lambda_handler.invoke(skill, EnvelopeFactory().intent("AboutCrampsIntent"))
    assert_valid(answer)
    assert_no_forgery(caplog)
