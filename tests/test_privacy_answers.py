"""What the skill stores, checked against what it says it stores (issue #28).

The Alexa deployment (template.yaml, its defaults) keeps no health history: a person's whole
relief routine, with "yes" to every question the skill asks, leaves only preferences and resume
state in the DynamoDB record (read back from dynalite). The manifest's privacy answers,
docs/privacy.md and docs/persistence.md are checked against the store's schema
(:data:`skill.core.memory.RECORD_KEYS`), and the self-hosted default (the log on) against it too:
every key it writes is in the schema, and the cramp log's keys appear only after a yes.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from skill.core import memory
from skill.settings import Settings
from skill.store import adapter_from_settings
from tests.dynalite_server import Dynalite
from tests.memory_talk import MINUTE, TimedConversation

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = json.loads((ROOT / "interaction_model" / "skill.json").read_text(encoding="utf-8"))
PRIVACY = (ROOT / "docs" / "privacy.md").read_text(encoding="utf-8")
PRIVACY_ES = (ROOT / "docs" / "privacy.es.md").read_text(encoding="utf-8")
PERSISTENCE = (ROOT / "docs" / "persistence.md").read_text(encoding="utf-8")
#: What a record may hold where there is no cramp log.
WITHOUT_HEALTH = {key for key, kind in memory.RECORD_KEYS.items() if kind != "health"}
_tables = itertools.count()


def template_environment(table: str) -> dict[str, str]:
    """The function's environment as `sam deploy` makes it with every parameter left at its
    default (ServeAudio false, CrampLog as the template says), the table named ``table``."""
    from samtranslator.yaml_helper import yaml_parse

    template = yaml_parse((ROOT / "template.yaml").read_text(encoding="utf-8"))
    defaults = {name: p.get("Default") for name, p in template["Parameters"].items()}
    function = template["Resources"]["CrampCoachFunction"]["Properties"]

    def resolve(value: Any) -> str:
        if isinstance(value, str):
            return value
        if "Ref" in value:
            return str(defaults[value["Ref"]])
        if "Fn::Sub" in value and value["Fn::Sub"] == "dynamodb:${AttributesTable}":
            return f"dynamodb:{table}"
        if "Fn::If" in value and value["Fn::If"][0] == "AudioIsServed":
            assert defaults["ServeAudio"] == "false"
            return resolve(value["Fn::If"][2])
        raise AssertionError(f"template value this test cannot resolve: {value}")

    return {k: resolve(v) for k, v in function["Environment"]["Variables"].items()}


def yes_to_everything(talk: TimedConversation) -> list[str]:
    """A person who wants it all: sets a hold length, reports a cramp, asks for a count, then
    opens the skill and says yes to every question it asks through the whole relief routine
    (next where it asks nothing), and past its end while it still asks. What Alexa said."""
    said = [talk.intent("HoldLengthIntent", Seconds="25").speech]
    talk.later(MINUTE)
    for intent in ("LogCrampIntent", "CrampCountIntent"):
        heard = talk.intent(intent)
        said.append(heard.speech)
        if not heard.ended:
            said.append(talk.intent("AMAZON.YesIntent").speech)
        talk.later(MINUTE)
    heard = talk.launch()
    said.append(heard.speech)
    for _ in range(30):
        if heard.ended:
            break
        # A yes/no question is pending (the session says so), or the answer ends asking.
        asked = "question" in heard.session_attributes or heard.speech.rstrip().endswith("?")
        heard = talk.intent("AMAZON.YesIntent" if asked else "AMAZON.NextIntent")
        said.append(heard.speech)
    assert heard.ended or said[-1].endswith("?"), said[-1]
    assert any("Well done." in s for s in said), said  # the routine was done to its end
    return said


def stored_attributes(dynalite: Dynalite, table: str) -> dict[str, Any]:
    from boto3.dynamodb.types import TypeDeserializer

    [item] = dynalite.client().scan(TableName=table, ConsistentRead=True)["Items"]
    stored: dict[str, Any] = TypeDeserializer().deserialize(item["attributes"])
    if "cramp_log" in item:  # the cramp log, kept apart from the map (#26)
        stored["cramps"] = item["cramp_log"]
    return stored


@pytest.fixture
def table(dynalite: Dynalite) -> str:
    name = f"cramp-coach-privacy-{os.getpid()}-{next(_tables)}"
    dynalite.create_table(name)
    return name


@pytest.mark.slow
def test_the_default_lambda_deployment_stores_only_preferences_and_resume_state(
    dynalite: Dynalite, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = template_environment(table)
    assert environment["CRAMP_COACH_CRAMP_LOG"] == "off"
    for key, value in dynalite.env().items():
        monkeypatch.setenv(key, value)
    settings = Settings.from_env(environment)
    assert not settings.cramp_log
    talk = TimedConversation(adapter_from_settings(settings), settings=settings)
    said = yes_to_everything(talk)
    assert not any("keep a count of your cramps" in s for s in said)  # never asked
    assert any("I don't keep a log of your cramps here." in s for s in said)
    stored = stored_attributes(dynalite, table)
    assert stored["hold_seconds"] == 25  # what the person asked to be remembered was
    assert set(stored) <= WITHOUT_HEALTH, set(stored) - WITHOUT_HEALTH
    # ...which is what the manifest answers: a per-person record, no health information.
    privacy = MANIFEST["manifest"]["privacyAndCompliance"]
    kinds = {memory.RECORD_KEYS[key] for key in stored}
    assert privacy["usesHealthInfo"] is ("health" in kinds) is False
    assert privacy["usesPersonalInfo"] is bool(stored) is True


@pytest.mark.slow
def test_turning_the_log_off_drops_cramps_kept_before(
    dynalite: Dynalite, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record from when the log was on loses its cramps on the person's next turn."""
    for key, value in dynalite.env().items():
        monkeypatch.setenv(key, value)
    store = adapter_from_settings(Settings(db=f"dynamodb:{table}"))
    before = TimedConversation(store)
    before.agree_to_log()
    before.log_a_cramp()
    assert "cramps" in stored_attributes(dynalite, table)
    after = TimedConversation(store, settings=Settings(cramp_log=False))
    after.now = before.now + MINUTE
    after.intent("HoldLengthIntent", Seconds="22")
    stored = stored_attributes(dynalite, table)
    assert set(stored) <= WITHOUT_HEALTH and stored["hold_seconds"] == 22


def test_the_self_hosted_default_writes_only_keys_of_the_schema(tmp_path: Path) -> None:
    """The log on (the Flask host's default) and yes to everything: the cramp log's keys
    appear, and nothing outside :data:`RECORD_KEYS` does."""
    from skill.store.sqlite import SQLiteAdapter

    db = tmp_path / "memory.sqlite3"
    talk = TimedConversation(SQLiteAdapter(db))
    yes_to_everything(talk)
    talk.later(MINUTE)
    talk.intent("LogCrampIntent")
    with sqlite3.connect(db) as connection:
        [(text, log)] = connection.execute(
            "SELECT attributes, cramp_log FROM attributes"
        ).fetchall()
    stored = json.loads(text)
    assert "cramps" not in stored and log  # the log is kept apart, packed (#26)
    stored["cramps"] = log
    assert set(stored) <= set(memory.RECORD_KEYS), set(stored) - set(memory.RECORD_KEYS)
    assert {"cramps", "log_consent"} <= set(stored)
    assert {memory.RECORD_KEYS[k] for k in ("cramps", "log_consent")} == {"health"}


def test_docs_name_every_key_of_the_record_by_its_kind() -> None:
    """docs/persistence.md's table lists exactly the schema's keys (bar ``v``), and
    docs/privacy.md says, in the manifest's own words, what the manifest answers."""
    kept = PERSISTENCE.split("## What is kept", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `([a-z_]+)` \|", kept, flags=re.MULTILINE))
    assert listed == set(memory.RECORD_KEYS), listed ^ set(memory.RECORD_KEYS)
    # ... and says which of them the Alexa deployment never writes.
    setting = kept.split("**The cramp log is a setting**", 1)[1].split("\n\n", 1)[0]
    health = {key for key, kind in memory.RECORD_KEYS.items() if kind == "health"}
    named = set(re.findall(r"`([a-z_]+)`", setting)) & set(memory.RECORD_KEYS)
    assert named == set(memory.RECORD_KEYS), named  # every key is placed on one side
    said_health = set(re.findall(r"`([a-z_]+)`", setting.split("the health keys", 1)[1]))
    assert said_health & set(memory.RECORD_KEYS) == health
    privacy = MANIFEST["manifest"]["privacyAndCompliance"]
    for field in ("usesPersonalInfo", "usesHealthInfo"):
        assert f"`{field}: {json.dumps(privacy[field])}`" in PRIVACY, field
    # The switch that keeps the Alexa deployment free of health history, and how to undo it.
    for words in ("CrampLog", "CRAMP_COACH_CRAMP_LOG", "HIPAA"):
        assert words in PRIVACY, words


def _user_sections(text: str) -> list[str]:
    """The sections a person reads (the operator's notes start at "Manifest answers")."""
    return text.split("## Manifest answers")[0].split("\n## ")[1:]


def test_the_spanish_policy_lists_the_same_things() -> None:
    """docs/privacy.es.md, for the Spanish locales, keeps what docs/privacy.md keeps: the
    same sections, the same items in each, the same numbers (15 minutes, 90 days, 0600)."""
    english, spanish = _user_sections(PRIVACY), _user_sections(PRIVACY_ES)
    assert len(english) == len(spanish) == 4
    for en, es in zip(english, spanish, strict=True):
        assert en.count("\n- **") == es.count("\n- **"), es.split("\n")[0]
        assert re.findall(r"\b\d+\b", en) == re.findall(r"\b\d+\b", es), es.split("\n")[0]
    # Its contact line is a placeholder the submission check finds, like the English one's.
    from skill.tools.generators.skill_package import POLICY_PLACEHOLDER

    assert POLICY_PLACEHOLDER in PRIVACY and POLICY_PLACEHOLDER in PRIVACY_ES
