"""Every answer is JSON Alexa can read (issue #24 items 2 and 6): whole JSON values, of any
shape, through the Lambda entry and ``POST /alexa`` never raise, never give a 5xx, and every
200 or Lambda answer is a valid response envelope; a signed system request without a session
gets an empty 200."""

from __future__ import annotations

import copy
import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.hosts import lambda_handler
from skill.hosts.web import create_app
from skill.settings import Settings
from skill.tools.simulator.envelopes import EnvelopeFactory
from tests import pki
from tests.test_fuzz import check_answer
from tests.web_support import NOW, encode, iso, post, signed_app

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),  # NaN and Infinity too: Python's JSON writes and reads them
    st.text(max_size=12),
    st.sampled_from(["LaunchRequest", "IntentRequest", "SessionEndedRequest", "1.0"]),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=16,
)
#: Where a forger may put anything in an otherwise real envelope.
PLACES = [
    ("request",),
    ("request", "type"),
    ("request", "intent"),
    ("request", "intent", "name"),
    ("request", "intent", "slots"),
    ("request", "locale"),
    ("request", "timestamp"),
    ("request", "requestId"),
    ("session",),
    ("session", "attributes"),
    ("session", "user"),
    ("context",),
    ("context", "System"),
    ("context", "System", "device"),
    ("version",),
]


@st.composite
def damaged_envelopes(draw: st.DrawFn) -> Any:
    """A whole JSON value: a real envelope with any JSON in one place, or anything at all."""
    if draw(st.integers(0, 3)) == 0:
        return draw(json_values)
    factory = EnvelopeFactory(api_endpoint="")
    envelope = draw(st.sampled_from([factory.launch(), factory.intent("CrampReliefIntent")]))
    path = draw(st.sampled_from(PLACES))
    node = envelope
    for key in path[:-1]:
        node = node.setdefault(key, {})
        if not isinstance(node, dict):
            return envelope
    node[path[-1]] = draw(json_values)
    return envelope


def assert_envelope(answer: Any) -> None:
    assert isinstance(answer, dict) and answer.get("version") == "1.0", answer
    json.dumps(answer, allow_nan=False)  # what Alexa must be able to read
    check_answer(answer)


PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.mark.slow
@PROPERTY
@given(value=damaged_envelopes())
def test_the_lambda_entry_answers_any_json_value(value: Any) -> None:
    assert_envelope(lambda_handler.handler(copy.deepcopy(value)))


@pytest.fixture(scope="module")
def open_client() -> Any:
    return create_app(Settings(verify_signatures=False, db="none")).test_client()


@pytest.mark.slow
@PROPERTY
@given(value=damaged_envelopes())
def test_the_web_route_answers_any_json_value(open_client: Any, value: Any) -> None:
    response = open_client.post("/alexa", data=json.dumps(value), content_type="application/json")
    assert response.status_code < 500, response.get_data(as_text=True)
    body = response.get_json()
    assert isinstance(body, dict), response.get_data(as_text=True)
    if response.status_code == 200:
        assert_envelope(body)


@pytest.fixture(scope="module")
def signed() -> tuple[Any, pki.Pki]:
    good = pki.make_pki()
    return signed_app(good).test_client(), good


@pytest.mark.slow
@PROPERTY
@given(value=damaged_envelopes())
def test_the_verified_web_route_answers_any_validly_signed_json_value(
    signed: tuple[Any, pki.Pki], value: Any
) -> None:
    """As Alexa's own requests arrive: signed, so every check passes that the value allows
    (the campaign's HTTP 500s were validly signed)."""
    client, good = signed
    body = json.dumps(value).encode()
    response = client.post(
        "/alexa", data=body, headers=good.headers(body), content_type="application/json"
    )
    assert response.status_code < 500, response.get_data(as_text=True)
    answer = response.get_json()
    assert isinstance(answer, dict), response.get_data(as_text=True)
    if response.status_code == 200:
        assert_envelope(answer)


@pytest.mark.parametrize(
    "kind",
    [{"a": 1}, ["LaunchRequest"], 7, None, math.inf],
    ids=["object", "array", "int", "null", "inf"],
)
def test_the_lambda_entry_answers_a_request_type_of_any_json_type(kind: Any) -> None:
    """Defect 6: an object or array as ``request.type`` raised "unhashable type"."""
    envelope = EnvelopeFactory(api_endpoint="").launch()
    envelope["request"]["type"] = kind
    assert lambda_handler.handler(envelope) == {"version": "1.0", "response": {}}


def sessionless(kind: str, **request: Any) -> dict[str, Any]:
    envelope = EnvelopeFactory(api_endpoint="").launch()
    del envelope["session"]
    envelope["request"] = {
        "type": kind,
        "requestId": "amzn1.echo-api.request.1",
        "timestamp": iso(NOW),
        "locale": "en-US",
        **request,
    }
    return envelope


SYSTEM_REQUESTS = [
    sessionless("AlexaSkillEvent.SkillEnabled", eventCreationTime=iso(NOW)),
    sessionless(
        "System.ExceptionEncountered",
        error={"type": "INVALID_RESPONSE", "message": "x"},
        cause={"requestId": "amzn1.echo-api.request.0"},
    ),
    sessionless("AlexaSkillEvent.SkillDisabled", eventCreationTime=iso(NOW)),
]


@pytest.fixture(scope="module")
def good() -> pki.Pki:
    return pki.make_pki()


@pytest.mark.parametrize("envelope", SYSTEM_REQUESTS, ids=lambda e: e["request"]["type"])
def test_a_signed_sessionless_system_request_gets_an_empty_200(
    good: pki.Pki, envelope: dict[str, Any]
) -> None:
    """Defect 2: the catch-all error handler read session attributes and raised: a 500."""
    body = encode(envelope)
    response = post(signed_app(good), body, good.headers(body))
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    assert answer["version"] == "1.0"
    assert "outputSpeech" not in answer["response"], answer
    assert lambda_handler.handler(copy.deepcopy(envelope))["response"] == answer["response"]
