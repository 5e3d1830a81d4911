"""Choosing the store from settings, and the wrapper that keeps store faults from losing a turn."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.settings import Settings
from skill.store.factory import adapter_from_settings
from skill.store.safe import SafeAdapter, safe
from skill.store.sqlite import SQLiteAdapter
from skill.tools.simulator.envelopes import EnvelopeFactory

USER_ID = "amzn1.ask.account.SECRETUSERIDFORLOGCHECK"


def envelope() -> RequestEnvelope:
    raw = EnvelopeFactory(user_id=USER_ID).launch()
    return DefaultSerializer().deserialize(json.dumps(raw), RequestEnvelope)


class BrokenAdapter(AbstractPersistenceAdapter):
    """Fails like a real store would, with the user id in the message (as ask-sdk's do)."""

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        raise RuntimeError(f"store down for {USER_ID}")

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        raise RuntimeError(f"store down for {USER_ID} saving {attributes}")

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        raise RuntimeError(f"store down for {USER_ID}")


def test_faults_become_results_and_logs_without_personal_data(caplog) -> None:
    adapter = SafeAdapter(BrokenAdapter())
    with caplog.at_level(logging.ERROR, logger="skill.store.safe"):
        loaded = adapter.try_get(envelope())
        saved = adapter.try_save(envelope(), {"cramps": [1700000000]})
        deleted = adapter.try_delete(envelope())
        assert adapter.get_attributes(envelope()) == {}
        adapter.save_attributes(envelope(), {"hold": 30})
        adapter.delete_attributes(envelope())
    assert (loaded.ok, loaded.attributes, saved, deleted) == (False, {}, False, False)
    assert len(caplog.records) == 6
    text = caplog.text
    assert "RuntimeError" in text and "BrokenAdapter" in text
    assert USER_ID not in text and "1700000000" not in text


def test_working_store_reports_ok(tmp_path: Path) -> None:
    adapter = SafeAdapter(SQLiteAdapter(tmp_path / "db.sqlite3"))
    assert adapter.try_save(envelope(), {"hold": 30}) is True
    assert adapter.try_get(envelope()).ok is True
    assert adapter.get_attributes(envelope()) == {"hold": 30}
    assert adapter.try_delete(envelope()) is True


def test_non_mapping_from_store_is_a_fault() -> None:
    class Odd(BrokenAdapter):
        def get_attributes(self, request_envelope: RequestEnvelope) -> Any:
            return ["not", "a", "dict"]

    assert SafeAdapter(Odd()).try_get(envelope()).ok is False


def test_safe_wraps_once() -> None:
    wrapped = safe(BrokenAdapter())
    assert isinstance(wrapped, SafeAdapter) and safe(wrapped) is wrapped and safe(None) is None


@pytest.mark.parametrize(
    ("db", "env", "expected"),
    [
        (None, {}, "default"),
        (None, {"AWS_LAMBDA_FUNCTION_NAME": "cramp-coach"}, None),
        ("none", {}, None),
        ("NONE", {"AWS_LAMBDA_FUNCTION_NAME": "cramp-coach"}, None),
        ("/srv/cramp/coach.sqlite3", {}, "/srv/cramp/coach.sqlite3"),
        ("sqlite:/srv/cramp/coach.sqlite3", {}, "/srv/cramp/coach.sqlite3"),
    ],
)
def test_store_chosen_by_setting(tmp_path: Path, db, env, expected) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path), **env}
    adapter = adapter_from_settings(Settings(db=db), env)
    if expected is None:
        assert adapter is None
    elif expected == "default":
        assert isinstance(adapter, SQLiteAdapter)
        assert adapter.path == str(tmp_path / "cramp-coach" / "cramp-coach.sqlite3")
    else:
        assert isinstance(adapter, SQLiteAdapter) and adapter.path == expected


def test_dynamodb_setting_needs_a_table_name() -> None:
    with pytest.raises(ValueError, match="table name"):
        adapter_from_settings(Settings(db="dynamodb:"), {})
