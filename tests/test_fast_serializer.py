"""FastSerializer must read every envelope exactly as the SDK's DefaultSerializer does."""

from __future__ import annotations

import functools
import json
import tomllib
from datetime import UTC, datetime, timedelta, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from packaging.requirements import Requirement

from skill.alexa.fast_serializer import FastSerializer
from skill.hosts import lambda_handler
from skill.tools.simulator.envelopes import EnvelopeFactory


def envelopes() -> dict[str, dict[str, Any]]:
    factory = EnvelopeFactory()
    relief = factory.intent("CrampReliefIntent")
    factory.carry(lambda_handler.handler(relief))  # a session with attributes
    return {
        "launch": factory.launch(),
        "intent with session": factory.intent("AMAZON.NextIntent"),
        "intent with slot": factory.intent("CrampReliefIntent", {"muscle": "hamstring"}),
        "session ended with error": factory.session_ended("ERROR", "INVALID_RESPONSE"),
        "connections response": factory.connections_response("ACCEPTED", token="t"),
    }


@pytest.mark.parametrize("envelope", envelopes().values(), ids=envelopes().keys())
def test_same_model_as_the_stock_serializer(envelope: dict[str, Any]) -> None:
    text = json.dumps(envelope)
    stock = DefaultSerializer().deserialize(text, RequestEnvelope)
    fast = FastSerializer()
    ours = fast.deserialize(text, RequestEnvelope)
    assert ours == stock
    assert fast.serialize(ours) == DefaultSerializer().serialize(stock)
    assert fast.deserialize(text, RequestEnvelope) == stock  # second time, classes cached


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01T12:00:00Z", datetime(2024, 5, 1, 12, tzinfo=UTC)),
        ("2024-05-01T12:00:00.250Z", datetime(2024, 5, 1, 12, 0, 0, 250_000, tzinfo=UTC)),
        ("2024-05-01T14:00:00+02:00", datetime(2024, 5, 1, 12, tzinfo=UTC)),
        ("2024-05-01T12:00:00", datetime(2024, 5, 1, 12)),
        ("May 1 2024 12:00 UTC", datetime(2024, 5, 1, 12, tzinfo=UTC)),  # dateutil fallback
    ],
)
def test_timestamps_read_as_the_stock_serializer_reads_them(text: str, expected: datetime) -> None:
    ours = FastSerializer().deserialize(json.dumps(text), datetime)
    stock = DefaultSerializer().deserialize(json.dumps(text), datetime)
    assert ours == expected == stock
    assert ours.utcoffset() == stock.utcoffset()


def test_offsets_are_kept() -> None:
    stamp = FastSerializer().deserialize('"2024-05-01T14:00:00+02:00"', datetime)
    assert stamp.tzinfo == timezone(timedelta(hours=2))


def test_unreadable_timestamp_fails_as_before() -> None:
    body = json.dumps({"request": {"type": "LaunchRequest", "timestamp": "x"}})
    with pytest.raises(SerializationException):
        DefaultSerializer().deserialize(body, RequestEnvelope)
    with pytest.raises(SerializationException):
        FastSerializer().deserialize(body, RequestEnvelope)


def test_unknown_class_name_is_not_cached() -> None:
    fast = FastSerializer()
    with pytest.raises(SerializationException):
        fast.deserialize('{"a": 1}', "no.such.module.Model")
    assert "no.such.module.Model" not in fast._classes


ODD = {
    "unknown fields kept": {"new": [1], "request": {"type": "LaunchRequest", "x": 2}},
    "context not object": {"context": 5, "request": {"type": "LaunchRequest"}},
    "request not object": {"version": "1.0", "request": "LaunchRequest"},
    "unknown request type": {"version": "1.0", "request": {"type": "NoSuchRequest"}},
    "slots not object": {"request": {"type": "IntentRequest", "intent": {"name": "a", "slots": 3}}},
    "enum value unknown": {"request": {"type": "IntentRequest", "dialogState": "NOPE"}},
}


def outcome(serializer: DefaultSerializer, text: str) -> Any:
    try:
        return serializer.serialize(serializer.deserialize(text, RequestEnvelope))
    except SerializationException as exc:
        return ("error", str(exc))


@pytest.mark.parametrize("envelope", ODD.values(), ids=ODD.keys())
def test_odd_envelopes_give_the_same_result_or_error(envelope: dict[str, Any]) -> None:
    text = json.dumps(envelope)
    assert outcome(FastSerializer(), text) == outcome(DefaultSerializer(), text)


def test_these_tests_run_on_the_pinned_sdk() -> None:
    # The serializer leans on ask-sdk-core's private methods and ask-sdk-model's field maps:
    # pyproject.toml pins both to exact versions, and the comparisons above are only worth
    # something if they ran on those.
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    pins = {
        req.name: req.specifier
        for req in map(Requirement, tomllib.loads(pyproject.read_text())["project"]["dependencies"])
    }
    for package in ("ask-sdk-core", "ask-sdk-model"):
        (spec,) = pins[package]
        assert spec.operator == "==", package
        assert metadata.version(package) == spec.version, package


REQUESTS = (
    "LaunchRequest",
    "CrampReliefIntent",
    "AMAZON.NextIntent",
    "PreventionIntent",
    "DoctorAdviceIntent",
    "SetTimerIntent",
    "AMAZON.StopIntent",
)
RESPONSES = [f"{name}, {device}" for device in ("voice", "screen") for name in REQUESTS]


@functools.cache
def response_envelopes() -> dict[str, Any]:
    """Response models the skill builds: speech, reprompt, card, APL screen, APLA countdown,
    timers' directives, session attributes (built once, on first use)."""
    stock = DefaultSerializer()
    out = {}
    for screen in (False, True):
        factory = EnvelopeFactory(screen=screen)
        for name in REQUESTS:
            envelope = factory.launch() if name == "LaunchRequest" else factory.intent(name)
            request = stock.deserialize(json.dumps(envelope), RequestEnvelope)
            answer = lambda_handler.SKILL.invoke(request_envelope=request, context=None)
            out[f"{name}, {'screen' if screen else 'voice'}"] = answer
            factory.carry(stock.serialize(answer))
    return out


@pytest.mark.parametrize("name", RESPONSES)
def test_responses_are_written_exactly_as_the_stock_serializer_writes_them(name: str) -> None:
    answer = response_envelopes()[name]
    stock = DefaultSerializer().serialize(answer)
    for fast in (FastSerializer(), lambda_handler._SERIALIZER):  # new, and warm
        ours = fast.serialize(answer)
        assert ours == stock
        assert json.dumps(ours) == json.dumps(stock)  # same keys in the same order


def test_odd_values_are_written_as_the_sdk_writes_them() -> None:
    from decimal import Decimal
    from enum import Enum

    class Colour(Enum):
        RED = "red"

    class Mapping(dict):  # type: ignore[type-arg]
        pass

    value = {
        "when": datetime(2024, 5, 1, 12, tzinfo=UTC),
        "amount": [Decimal("2"), Decimal("2.5")],
        "pair": (1, "a"),
        "colour": Colour.RED,
        "sub": Mapping(a=1),
        "none": None,
        "flag": True,
    }
    assert FastSerializer().serialize(value) == DefaultSerializer().serialize(value)
