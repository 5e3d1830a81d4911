"""The SQLite store on its own: round trip, privacy of the file, WAL, concurrent writers."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import stat
import time
from decimal import Decimal
from pathlib import Path

import pytest
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.store.factory import default_sqlite_path
from skill.store.keys import user_key
from skill.store.sqlite import SQLiteAdapter
from skill.tools.simulator.envelopes import EnvelopeFactory

_SERIALIZER = DefaultSerializer()


def envelope_for(user_id: str = "amzn1.ask.account.STORETEST") -> RequestEnvelope:
    raw = EnvelopeFactory(user_id=user_id).launch()
    return _SERIALIZER.deserialize(json.dumps(raw), RequestEnvelope)


def test_round_trip_get_save_delete(tmp_path: Path) -> None:
    adapter = SQLiteAdapter(tmp_path / "nested" / "dir" / "db.sqlite3")
    envelope = envelope_for()
    assert adapter.get_attributes(envelope) == {}
    adapter.save_attributes(envelope, {"hold": 30, "cramps": [1, 2, 3]})
    assert adapter.get_attributes(envelope) == {"hold": 30, "cramps": [1, 2, 3]}
    adapter.save_attributes(envelope, {"hold": 45})
    assert adapter.get_attributes(envelope) == {"hold": 45}
    adapter.delete_attributes(envelope)
    assert adapter.get_attributes(envelope) == {}


def test_people_are_kept_apart(tmp_path: Path) -> None:
    adapter = SQLiteAdapter(tmp_path / "db.sqlite3")
    alice, bob = envelope_for("amzn1.ask.account.ALICE"), envelope_for("amzn1.ask.account.BOB")
    adapter.save_attributes(alice, {"hold": 20})
    adapter.save_attributes(bob, {"hold": 40})
    adapter.delete_attributes(bob)
    assert adapter.get_attributes(alice) == {"hold": 20}
    assert adapter.get_attributes(bob) == {}


def test_file_holds_no_raw_user_id_and_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    user_id = "amzn1.ask.account.RAWIDMUSTNOTBESTORED"
    adapter = SQLiteAdapter(path)
    adapter.save_attributes(envelope_for(user_id), {"hold": 30})
    with sqlite3.connect(path) as connection:
        keys = [row[0] for row in connection.execute("SELECT id FROM attributes")]
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
    assert keys == [user_key(envelope_for(user_id))]
    assert user_id not in keys[0] and keys[0].startswith("u1:")
    assert mode == "wal"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_decimals_from_dynamodb_are_stored_as_numbers(tmp_path: Path) -> None:
    adapter = SQLiteAdapter(tmp_path / "db.sqlite3")
    envelope = envelope_for()
    adapter.save_attributes(envelope, {"hold": Decimal("30"), "ratio": Decimal("0.5")})
    assert adapter.get_attributes(envelope) == {"hold": 30, "ratio": 0.5}


def test_unstorable_values_fail_before_touching_the_file(tmp_path: Path) -> None:
    adapter = SQLiteAdapter(tmp_path / "db.sqlite3")
    with pytest.raises(TypeError):
        adapter.save_attributes(envelope_for(), {"when": object()})


def test_unopenable_path_raises_persistence_exception(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    adapter = SQLiteAdapter(blocker / "db.sqlite3")
    with pytest.raises(PersistenceException):
        adapter.get_attributes(envelope_for())


def test_default_path_follows_xdg_data_home(tmp_path: Path) -> None:
    assert default_sqlite_path({"XDG_DATA_HOME": str(tmp_path)}) == str(
        tmp_path / "cramp-coach" / "cramp-coach.sqlite3"
    )
    relative_is_ignored = default_sqlite_path({"XDG_DATA_HOME": "relative/dir"})
    assert relative_is_ignored == str(Path.home() / ".local/share/cramp-coach/cramp-coach.sqlite3")


def test_reading_creates_nothing_until_the_first_save(tmp_path: Path) -> None:
    path = tmp_path / "data" / "db.sqlite3"
    adapter = SQLiteAdapter(path)
    assert adapter.get_attributes(envelope_for()) == {}
    adapter.delete_attributes(envelope_for())
    assert not (tmp_path / "data").exists()
    adapter.save_attributes(envelope_for(), {"hold": 25})
    assert path.exists() and adapter.get_attributes(envelope_for()) == {"hold": 25}


WRITES_PER_PROCESS = 50


def _writer(path: str, worker: int, start: float) -> None:
    adapter = SQLiteAdapter(path)
    while time.time() < start:  # line both processes up so their writes overlap
        time.sleep(0.001)
    for n in range(WRITES_PER_PROCESS):
        adapter.save_attributes(envelope_for(f"amzn1.ask.account.W{worker}N{n}"), {"n": n})
        # Both also rewrite one shared person, so they contend for the same row.
        adapter.save_attributes(envelope_for("amzn1.ask.account.SHARED"), {"by": worker, "n": n})


@pytest.mark.slow
def test_two_processes_write_concurrently_without_loss(tmp_path: Path) -> None:
    path = str(tmp_path / "db.sqlite3")
    SQLiteAdapter(path).get_attributes(envelope_for())  # create the file before the race
    context = multiprocessing.get_context("fork")
    start = time.time() + 0.3
    workers = [context.Process(target=_writer, args=(path, w, start)) for w in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert [worker.exitcode for worker in workers] == [0, 0]
    adapter = SQLiteAdapter(path)
    for w in (1, 2):
        for n in range(WRITES_PER_PROCESS):
            assert adapter.get_attributes(envelope_for(f"amzn1.ask.account.W{w}N{n}")) == {"n": n}
    shared = adapter.get_attributes(envelope_for("amzn1.ask.account.SHARED"))
    last = WRITES_PER_PROCESS - 1
    assert shared in ({"by": 1, "n": last}, {"by": 2, "n": last})
