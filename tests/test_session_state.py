"""Session attributes are input: checked against the skill's schema on the way in, through
real envelopes; "repeat" re-renders what the skill decided; numbers are bounded."""

from __future__ import annotations

import ast
import copy
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope

from skill.core import replay
from skill.core.content import prompt
from skill.core.durations import parse_iso_duration, seconds_from_slots
from skill.core.hold_range import DEFAULT_HOLD, MAX_HOLD, MIN_HOLD, as_hold
from skill.core.numbers import bounded_int, parse_number
from skill.core.routine import RoutineState
from skill.core.session_state import SCHEMA, clean
from skill.core.state import RoutineRecord, SessionState
from skill.core.turn import SlotValue
from skill.settings import Settings
from skill.tools.simulator.conversation import Heard
from tests.conftest import CheckedConversation
from tests.holds_helpers import counted_seconds, hold_fragments
from tests.memory_talk import START, TimedConversation
from tests.source import tree

ROOT = Path(__file__).resolve().parents[1]
APOLOGY = "Sorry"


def with_state(talk: CheckedConversation, **attributes: Any) -> CheckedConversation:
    talk.factory.session_attributes = dict(attributes)
    talk.factory.new = False
    return talk


def test_every_attribute_the_skill_writes_is_declared() -> None:
    """A key written as ``turn.state["x"]`` (or through a module's ``_STATE_KEY``/``_KEY``
    constants) must be in the schema, or it would be dropped on the next turn."""
    written: set[str] = set()
    for path in (ROOT / "skill").rglob("*.py"):
        module = tree(path)
        constants = {
            target.id: node.value.value
            for node in ast.walk(module)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name) and target.id.endswith("_KEY")
        }
        for node in ast.walk(module):
            if not isinstance(node, ast.Subscript):
                continue
            holder = node.value
            if not (isinstance(holder, ast.Attribute) and holder.attr == "state"):
                continue
            key = node.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                written.add(key.value)
            elif isinstance(key, ast.Name) and key.id in constants:
                written.add(constants[key.id])
    assert written, "found no session attributes: the scan is broken"
    assert written <= set(SCHEMA), written - set(SCHEMA)


def test_session_state_is_reached_only_by_its_declared_names() -> None:
    """Every read or write of the session state goes through SessionState, whose names mypy
    checks: a dialog writes ``turn.state["routine"]`` (a declared literal, one home for the
    name), never through a constant of its own, and the edge takes the SDK's attributes as
    ``skill.core.state.session_state(...)``, never as a bare dict. (skill/tools reads
    response envelopes as a client does: not the skill's state.)"""
    found: list[str] = []
    for path in (ROOT / "skill").rglob("*.py"):
        where = path.relative_to(ROOT)
        if where.parts[:2] == ("skill", "tools") or path.name in ("state.py", "session_state.py"):
            continue
        tree = ast.parse(path.read_text())
        typed = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "session_state"
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "session_attributes"
                and isinstance(node.ctx, ast.Load)
                and id(node) not in typed
            ):
                found.append(f"{where}:{node.lineno}: a bare dict; use session_state(...)")
            if isinstance(node, ast.Subscript):
                holder, key = node.value, node.slice
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("get", "pop", "setdefault")
                and node.args
            ):
                holder, key = node.func.value, node.args[0]
            else:
                continue
            name = holder.attr if isinstance(holder, ast.Attribute) else ""
            if name == "state" and not isinstance(key, ast.Constant):
                found.append(f"{where}:{node.lineno}: name the key as declared in SessionState")
    assert found == []


def test_a_whole_conversation_survives_the_schema(talk: CheckedConversation) -> None:
    """What the skill writes passes its own checks: nothing is dropped in a normal session."""
    for intent in ("CausesIntent", "AMAZON.YesIntent", "PreventionIntent", "CrampReliefIntent"):
        heard = talk.intent(intent)
        kept, dropped = clean(heard.session_attributes)
        assert dropped == 0 and kept == heard.session_attributes, heard.session_attributes


@pytest.mark.parametrize(
    "attributes",
    [
        {"tip": None},
        {"tip": float("inf")},
        {"tip": -100},
        {"cause": "Infinity"},
        {"cause": 1e309},
        {"routine": {"routine": "relief", "index": float("inf")}},
        {"routine": {"routine": "relief", "hold": 1e400}},
        {"routine": {"routine": "relief", "index": 10**400}},
        {"last": "causes"},
        {"question": ["next_tip"]},
        {"question": {"a": 1}},
        {"timers": {"ids": "x"}},
        {"timers": {"ids": [{"id": "a\nb", "kind": "hold"}]}},
        {"said": {"speech": "<audio src='https://evil.example/a.mp3'/>"}},
        {"unknown": {"deep": [1, 2, 3]}, "hold": True},
    ],
)
def test_bad_attributes_are_dropped_and_the_turn_answers(
    talk: CheckedConversation, attributes: dict[str, Any]
) -> None:
    for intent in ("AMAZON.NextIntent", "TellMeMoreIntent", "PreventionIntent", "AMAZON.YesIntent"):
        heard = with_state(talk, **attributes).intent(intent)
        assert APOLOGY not in heard.speech, (intent, heard.speech)
        assert set(heard.session_attributes) <= set(SCHEMA)


def test_repeat_re_renders_and_never_replays_forged_ssml(talk: CheckedConversation) -> None:
    forged = {
        "speech": [
            '<audio src="https://evil.example/x.mp3"/>',
            120.0,
        ],
        "reprompt": None,
    }
    heard = with_state(talk, said=forged).intent("AMAZON.RepeatIntent")
    assert "<audio" not in heard.ssml and "evil.example" not in heard.ssml.replace("&lt;", "")
    # A segment list that breaks a bound (a 120 s pause) is dropped whole: nothing to repeat.
    assert "break" not in heard.ssml or 'time="120' not in heard.ssml


def test_repeat_says_the_last_answer_again(talk: CheckedConversation) -> None:
    first = talk.intent("PreventionIntent")
    again = talk.intent("AMAZON.RepeatIntent")
    assert again.speech == first.speech and again.reprompt == first.reprompt


def test_repeat_of_a_text_segment_escapes_markup(talk: CheckedConversation) -> None:
    said = {"speech": ["Fish & chips <audio src='https://evil.example/a.mp3'/>", "Want more?"]}
    heard = with_state(talk, said=said).intent("AMAZON.RepeatIntent")
    assert "<audio" not in heard.ssml and "&lt;audio" in heard.ssml


def test_replay_keeps_pauses_and_known_clips_only() -> None:
    base = "https://audio.example.com/audio"
    body = (
        '<s>Hold it.</s><break time="1500ms"/><audio src="https://evil.example/x.mp3"/>'
        '<s>Fish &amp; chips</s><break time="10s"/>'
    )
    segments = replay.capture(body, base)
    assert segments == ["Hold it.", 1.5, "Fish & chips", 10.0]
    assert replay.render(replay.check(segments), base) == (
        '<s>Hold it.</s><break time="1500ms"/><s>Fish &amp; chips</s><break time="10s"/>'
    )
    with pytest.raises(ValueError):
        replay.check([11.0])
    with pytest.raises(ValueError):
        replay.check(["x" * 5000])
    with pytest.raises(ValueError):
        replay.check([{"clip": "../../etc/passwd"}])


@pytest.mark.parametrize(
    "value", ["NaN", "1e309", "9" * 400, "-5", "?", "inf", "", "  ", "٣", "25e1", None]
)
def test_spoken_numbers_are_bounded_or_rejected(value: Any) -> None:
    assert parse_number(value, 0, 10**6) is None


def test_spoken_numbers_round_within_bounds() -> None:
    assert parse_number("25", 0, 100) == 25
    assert parse_number("2.5", 0, 100) == 3
    assert parse_number(" 7 ", 0, 100) == 7
    assert parse_number("101", 0, 100) is None
    assert bounded_int(float("inf"), 0, 10) is None
    assert bounded_int(True, 0, 10) is None
    assert bounded_int(3.0, 0, 10) == 3
    assert parse_iso_duration("PT" + "9" * 400 + "S") is None
    assert seconds_from_slots(SlotValue("1e309"), None) is None


@pytest.mark.parametrize("seconds", ["NaN", "1e309", "9" * 400, "Infinity"])
def test_hold_length_with_a_wild_number_still_answers(
    talk: CheckedConversation, seconds: str
) -> None:
    heard = talk.intent("HoldLengthIntent", Seconds=seconds)
    assert APOLOGY not in heard.speech
    heard = talk.intent("SetTimerIntent", Number=seconds)
    assert APOLOGY not in heard.speech
    heard = talk.intent("HoldLengthIntent", Duration="PT" + "9" * 400 + "S")
    assert APOLOGY not in heard.speech


def test_the_schema_checks_exactly_the_typed_session_state() -> None:
    """One family: every attribute skill.core.state types is validated on the way in by
    SCHEMA, and SCHEMA validates nothing the types leave out."""
    typed = SessionState.__required_keys__ | SessionState.__optional_keys__
    assert sorted(set(SCHEMA) - typed) == [], "type these in skill/core/state.py's SessionState"
    assert sorted(typed - set(SCHEMA)) == [], "check these in skill/core/session_state.py's SCHEMA"
    assert set(RoutineRecord.__optional_keys__) == set(RoutineState.__dataclass_fields__)


def test_the_hold_length_has_one_range_check() -> None:
    """skill.core.hold_range.as_hold decides, for the session, the routine and the memory:
    the session's own hold that is not one is dropped (the remembered one then serves); a
    routine's is repaired to the default and the routine kept."""
    for seconds in (MIN_HOLD, 25, MAX_HOLD):
        assert as_hold(seconds) == seconds and clean({"hold": seconds}) == ({"hold": seconds}, 0)
    for seconds in (MIN_HOLD - 1, MAX_HOLD + 1, True, "25", None, 25.5, float("nan")):
        assert as_hold(seconds) is None and clean({"hold": seconds}) == ({}, 1)
    assert clean({"hold": 25.0}) == ({"hold": 25}, 0)  # an integral float is its int
    record = {"routine": "relief", "index": 2, "hold": MAX_HOLD + 1}
    assert clean({"routine": record}) == ({"routine": {**record, "hold": DEFAULT_HOLD}}, 0)


def _calls_and_comparisons(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Names called, and names compared (``a < NAME``), anywhere in ``tree``."""
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    compared = {
        name.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare)
        for name in ast.walk(node)
        if isinstance(name, ast.Name)
    }
    return called, compared


def test_only_the_hold_range_makes_a_hold_or_compares_with_its_bounds() -> None:
    """Everything else takes a HoldSeconds (mypy checks the types) and never checks again."""
    home = ROOT / "skill" / "core" / "hold_range.py"
    called, compared = _calls_and_comparisons(tree(home))
    assert "HoldSeconds" in called and {"MIN_HOLD", "MAX_HOLD"} & compared, "scan is broken"
    for path in (ROOT / "skill").rglob("*.py"):
        if path == home:
            continue
        called, compared = _calls_and_comparisons(tree(path))
        where = path.relative_to(ROOT)
        assert "HoldSeconds" not in called, f"{where}: get one from skill.core.hold_range"
        assert not {"MIN_HOLD", "MAX_HOLD"} & compared, f"{where}: use hold_range.as_hold"


class Kept(AbstractPersistenceAdapter):
    """A store holding one person's record as given, however it was written."""

    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        return copy.deepcopy(self.record)

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        self.record = copy.deepcopy(attributes)

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self.record = {}


SPOKEN_HOLDS = Settings(hold_audio="ssml")  # the countdown in the speech, to time it by ear
NOT_HOLDS = [5, 300, "25", 25.5, True, None, {"s": 25}]


def heard_hold(heard: Heard) -> float:
    """The seconds of the one countdown the listener hears in ``heard``."""
    (fragment,) = hold_fragments(heard.ssml)
    return counted_seconds(fragment)


def spoken(adapter: AbstractPersistenceAdapter | None = None) -> TimedConversation:
    return TimedConversation(adapter, settings=SPOKEN_HOLDS)


@pytest.mark.parametrize("forged", NOT_HOLDS)
def test_a_session_hold_that_is_not_one_is_dropped_at_the_edge(forged: Any) -> None:
    """The session's hold: the person hears the remembered length, else the default."""
    talk = with_state(spoken(), hold=forged)
    heard = talk.intent("CrampReliefIntent")
    assert heard.session_attributes["routine"]["hold"] == DEFAULT_HOLD
    assert heard_hold(heard) == pytest.approx(DEFAULT_HOLD, abs=1)
    remembered = with_state(spoken(Kept({"v": 1, "hold_seconds": 25})), hold=forged)
    heard = remembered.intent("CrampReliefIntent")
    assert heard_hold(heard) == pytest.approx(25, abs=1)


@pytest.mark.parametrize("forged", NOT_HOLDS)
def test_a_routine_hold_that_is_not_one_is_repaired_and_the_routine_kept(forged: Any) -> None:
    routine = {"routine": "relief", "index": 0, "leg": "left", "hold": forged, "paused": True}
    heard = with_state(spoken(), routine=routine).intent("AMAZON.ResumeIntent")
    assert prompt("routine_resumed") in heard.speech, heard.speech
    assert heard.session_attributes["routine"] == {**routine, "hold": 30, "paused": False}
    assert heard_hold(heard) == pytest.approx(DEFAULT_HOLD, abs=1)


@pytest.mark.parametrize("forged", NOT_HOLDS)
def test_a_stored_hold_that_is_not_one_is_the_default_when_read(forged: Any) -> None:
    """The memory's preference, and the hold of a routine position kept for "resume"."""
    heard = spoken(Kept({"v": 1, "hold_seconds": forged})).intent("CrampReliefIntent")
    assert heard_hold(heard) == pytest.approx(DEFAULT_HOLD, abs=1)
    assert heard.session_attributes["routine"]["hold"] == DEFAULT_HOLD
    position = {"routine": "relief", "index": 0, "leg": "right", "hold": forged, "paused": False}
    stored = {"v": 1, "position": {"state": position, "saved_at": START - 60}}
    heard = spoken(Kept(stored)).intent("AMAZON.ResumeIntent")
    assert prompt("routine_resumed") in heard.speech, heard.speech
    assert heard_hold(heard) == pytest.approx(DEFAULT_HOLD, abs=1)
    assert heard.session_attributes["routine"]["hold"] == DEFAULT_HOLD


@pytest.mark.parametrize("forged", [5, 300, 7200])
def test_a_pending_hold_timer_that_is_not_a_hold_counts_the_default(forged: int) -> None:
    """A hold timer waiting in the session (for permission, or a countdown offered after a
    failed call): counted in speech, it lasts a hold, never ``forged`` seconds."""
    talk = with_state(
        spoken(),
        question="timer_countdown",
        timers={"pending": {"kind": "hold", "seconds": forged}},
    )
    heard = talk.intent("AMAZON.YesIntent")
    assert heard_hold(heard) == pytest.approx(DEFAULT_HOLD, abs=1)
