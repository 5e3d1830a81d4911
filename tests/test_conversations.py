"""Run the conversation scripts in tests/conversations/*.yaml (format in its README.md) and
each locale's in its language folder, skill/locales/<lang>/tests/conversations/<locale>/.

Each file is one person talking from a fresh start, through the same simulator as
``cramp-coach chat`` and with every response checked by :class:`CheckedConversation`. As in
``chat``, the skill remembers the person: each file gets its own empty SQLite store.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from skill.alexa.builder import build_skill
from skill.hosts.lambda_handler import invoke
from skill.settings import Settings
from skill.store.sqlite import SQLiteAdapter
from skill.tools.evals.nlu import slot_said
from skill.tools.nlu.model import default_model
from skill.tools.simulator.countdown import find_hold
from skill.tools.simulator.device import Exchange, Simulator
from skill.tools.simulator.envelopes import EnvelopeFactory
from skill.tools.simulator.fake_alexa_api import HANG, TOKEN, FakeAlexaApi
from skill.tools.simulator.transcript import render, segments
from tests.conftest import CheckedConversation

ROOT = Path(__file__).resolve().parents[1]
#: Scripts in tests/conversations are said in en-US; those in a folder named for a locale (in
#: its language's folder), in that locale (its interaction model, its envelopes, its catalogue).
SCRIPTS = sorted((ROOT / "tests" / "conversations").glob("*.yaml")) + sorted(
    (ROOT / "skill" / "locales").glob("*/tests/conversations/*-*/*.yaml")
)
MODEL_PATH = ROOT / "interaction_model" / "interactionModels" / "custom" / "en-US.json"
KEYS = {"say", "intent", "slots", "contains", "not_contains", "session", "hold", "screen"}
#: Keys about the Alexa APIs (reminders, issue 27): ``api`` scripts the fake API's next
#: answers before the turn (statuses or "hang"); ``api_state`` sets its state (e.g.
#: ``reminders_permission: false``); ``consent`` makes the turn Alexa's answer to the
#: skill's AskFor (ACCEPTED, DENIED or NOT_ANSWERED, with the token the skill sent);
#: ``reminder_sent`` checks the last reminder body sent (dotted paths; ``null``: absent);
#: ``directive`` and ``card`` name a directive or card type the response must carry;
#: ``within`` is the most seconds the turn may take.
API_KEYS = {"api", "api_state", "consent", "reminder_sent", "directive", "card", "within"}
REQUEST_TYPES = {"LaunchRequest", "SessionEndedRequest"}
REMINDERS = "/v1/alerts/reminders"
SCHEMA = json.loads((ROOT / "docs" / "schemas" / "reminder_request.schema.json").read_text())


#: libyaml's parser where PyYAML was built with it (10x faster than the pure-Python one).
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def parsed(path: Path) -> Any:
    """The file as parsed, once per run: collection, the intent check and the run all read it.
    Callers do not change what it returns."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)


def options(path: Path) -> dict[str, Any]:
    """The file's options: a first entry with no ``say`` (``memory: "off"``: no store)."""
    first = parsed(path)[0]
    if isinstance(first, dict) and "say" not in first:
        assert set(first) <= {"memory", "device"}, f"{path.name}: unknown options {set(first)}"
        assert first.get("memory", "on") in ("on", "off"), f"{path.name}: memory on/off"
        assert first.get("device", "speaker") in ("speaker", "show"), f"{path.name}: device"
        return dict(first)
    return {}


def load(path: Path) -> list[dict[str, Any]]:
    turns = parsed(path)
    assert isinstance(turns, list) and turns, f"{path.name}: expected a list of turns"
    turns = turns[1:] if options(path) else list(turns)
    for number, turn in enumerate(turns, 1):
        where = f"{path.name} turn {number}"
        assert isinstance(turn, dict), f"{where}: a turn is a mapping"
        assert set(turn) <= KEYS | API_KEYS, f"{where}: unknown keys {set(turn) - KEYS - API_KEYS}"
        assert isinstance(turn.get("say"), str), f"{where}: 'say' must be text (quote yes/no)"
        assert turn.get("session", "open") in ("open", "closed"), f"{where}: session open/closed"
    return turns


def texts(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def check(turn: dict[str, Any], exchange: Exchange, simulator: Simulator, where: str) -> None:
    heard = exchange.heard
    said = render(segments(heard.ssml)) if heard is not None and heard.ssml else ""
    context = f"{where}: {turn['say']!r} -> {exchange.request}: {said}"
    if "intent" in turn:
        assert exchange.request == turn["intent"], context
    for name, expected in (turn.get("slots") or {}).items():
        slots = exchange.understood.slots if exchange.understood else {}
        assert slot_said(slots.get(name)) == str(expected), f"{context} (slot {name}: {slots})"
    for text in texts(turn.get("contains")):
        assert text in said, f"{context}\n  missing: {text!r}"
    for text in texts(turn.get("not_contains")):
        assert text not in said, f"{context}\n  should not say: {text!r}"
    if "session" in turn:
        assert simulator.in_session == (turn["session"] == "open"), context
    for text in texts(turn.get("screen")):
        shown = heard.screen_summary if heard is not None else ""
        assert text in shown, f"{context}\n  screen: {shown!r}\n  missing: {text!r}"
    if "hold" in turn:
        span = find_hold(segments(heard.ssml)) if heard is not None and heard.ssml else None
        held = None if span is None else round(span.seconds)
        expected = None if turn["hold"] in (None, "none") else turn["hold"]
        assert held == expected, f"{context}\n  hold: {held} s, expected {turn['hold']}"


@pytest.fixture
def alexa_api() -> Iterator[FakeAlexaApi]:
    """The fake Alexa API on 127.0.0.1 that the conversations' timers are set with."""
    api = FakeAlexaApi().start()
    yield api
    api.close()


def locale_of(path: Path) -> str:
    return path.parent.name if path.parent.name != "conversations" else "en-US"


def slow(path: Path) -> bool:
    """Left to .ci/test-all: the other locales' scripts (they build their own models, a sweep)
    and scripts where the fake API hangs (the turn waits out the real 2.5 s budget; the fast
    tier's time-box checks are tests/test_timers.py's, on a clock that has spent most of it)."""
    hangs = any(HANG in (turn.get("api") or []) for turn in parsed(path) if "say" in turn)
    return locale_of(path) != "en-US" or hangs


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, id=f"{locale_of(p)}-{p.stem}", marks=pytest.mark.slow if slow(p) else ())
        for p in SCRIPTS
    ],
)
def test_conversation(path: Path, tmp_path: Path, alexa_api: FakeAlexaApi) -> None:
    remembers = options(path).get("memory", "on") == "on"
    store = SQLiteAdapter(tmp_path / "coach.sqlite3") if remembers else None
    skill = build_skill(Settings(), persistence_adapter=store)
    locale = locale_of(path)
    factory = EnvelopeFactory(
        api_endpoint=alexa_api.url,
        api_access_token=TOKEN,
        locale=locale,
        screen=options(path).get("device") == "show",
    )
    talk = CheckedConversation(functools.partial(invoke, skill), factory)
    simulator = Simulator(talk, default_model(locale))
    for number, turn in enumerate(load(path), 1):
        where = f"{path.name} turn {number}"
        for key, value in (turn.get("api_state") or {}).items():
            assert hasattr(alexa_api, key), f"{where}: the fake API has no {key!r}"
            setattr(alexa_api, key, value)
        alexa_api.fail_next(*(turn.get("api") or []))
        sent_before = len(alexa_api.requests)
        started = time.monotonic()
        if "consent" in turn:
            exchange = consent(simulator, talk, turn["consent"])
        else:
            exchange = simulator.hear(turn["say"])
        elapsed = time.monotonic() - started
        check(turn, exchange, simulator, where)
        check_api(turn, exchange, alexa_api.requests[sent_before:], elapsed, where)


def consent(simulator: Simulator, talk: CheckedConversation, status: str) -> Exchange:
    """Alexa's ``Connections.Response`` to the AskFor the skill sent on the last turn."""
    heard = simulator.last
    asked = [d for d in (heard.directives if heard else []) if d.get("name") == "AskFor"]
    assert asked, "a consent turn must follow a response that asked for a permission"
    envelope = talk.factory.connections_response(
        status,
        token=str(asked[0].get("token", "")),
        scope=asked[0]["payload"]["permissionScope"],
    )
    heard = talk.send(envelope)
    simulator.last = heard
    return Exchange(status, "Connections.Response", None, heard)


def check_api(
    turn: dict[str, Any], exchange: Exchange, sent: list[Any], elapsed: float, where: str
) -> None:
    """Every reminder body sent fits the documented shape; then the turn's own checks."""
    bodies = [r.body for r in sent if r.method == "POST" and r.path == REMINDERS]
    for body in bodies:
        errors = [e.message for e in Draft202012Validator(SCHEMA).iter_errors(body)]
        assert errors == [], f"{where}: reminder body off the documented shape: {errors}"
    if "reminder_sent" in turn:
        assert bodies, f"{where}: no reminder was sent"
        for path, expected in turn["reminder_sent"].items():
            assert dig(bodies[-1], path) == expected, f"{where}: {path} in {bodies[-1]}"
    heard = exchange.heard
    response = heard.response if heard is not None else {}
    if "directive" in turn:
        kinds = [d.get("type") for d in response.get("directives") or []]
        assert turn["directive"] in kinds, f"{where}: directives {kinds}"
    if "card" in turn:
        assert (response.get("card") or {}).get("type") == turn["card"], f"{where}: {response}"
    if "within" in turn:
        assert elapsed < float(turn["within"]), f"{where}: took {elapsed:.2f} s"


def dig(body: Any, path: str) -> Any:
    """The value at a dotted path (list items by index), or None when it is absent."""
    for part in path.split("."):
        if isinstance(body, list) and part.isdigit() and int(part) < len(body):
            body = body[int(part)]
        elif isinstance(body, dict):
            body = body.get(part)
        else:
            return None
    return body


def test_there_are_conversation_scripts() -> None:
    assert len(SCRIPTS) >= 4


def test_every_intent_of_the_model_is_exercised_by_some_conversation() -> None:
    """Fails when an intent is added to the model without a conversation that uses it."""
    language = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["interactionModel"]
    intents = {intent["name"] for intent in language["languageModel"]["intents"]}
    exercised = {turn.get("intent") for path in SCRIPTS for turn in load(path)}
    assert sorted(intents - exercised) == []
    assert exercised >= REQUEST_TYPES
