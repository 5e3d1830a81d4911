"""The cramp log kept apart from the record, packed (#26 item 5): a turn that leaves the log
alone never decodes it, however long it is; turns that use it work on records of both
layouts, and a record of the old layout (the log inside the JSON document) is rewritten in
the new one by the first turn that reads it. Through real envelopes (the Lambda entry's
``invoke``) on a SQLite file; the same on dynalite in tests/test_store_dynalite.py.
"""

from __future__ import annotations

import json
import random
import sqlite3
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from ask_sdk_model import RequestEnvelope

from skill.alexa.fast_serializer import FastSerializer
from skill.core import cramp_log
from skill.core.content import knowledge, prompt
from skill.store import packed_log
from skill.store import sqlite as sqlite_module
from skill.store.sqlite import SQLiteAdapter
from skill.store.values import PackedTimes
from tests.memory_talk import DAY, MINUTE, START, TimedConversation

RELIEF = knowledge().topic("relief")
HUGE = 10_000  # more than the skill keeps (500): what an older version may have left
OLD_SCHEMA = """CREATE TABLE attributes (id TEXT PRIMARY KEY, attributes TEXT NOT NULL,
    updated_at INTEGER NOT NULL, version INTEGER NOT NULL DEFAULT 0)"""


def log_of(count: int, newest: int = START - DAY) -> list[int]:
    """``count`` cramp times, an hour apart at most, the newest a day before the talk."""
    step = min(60 * MINUTE, 80 * DAY // max(count, 1))
    return [newest - i * step for i in range(count)][::-1]


def key_of(talk: TimedConversation) -> RequestEnvelope:
    """The person's request, to reach their record through the store's own key."""
    body = json.dumps(talk.factory.launch())
    return FastSerializer().deserialize(body, RequestEnvelope)  # type: ignore[no-any-return]


def seed(db: Path, cramps: list[int], layout: str = "new") -> TimedConversation:
    """A person who agreed to the log and heard the disclaimer, with ``cramps`` logged, in
    the ``layout`` of today's store, of the store before the packed log ("old", the column
    empty), or of a file made before the column existed ("old file")."""
    record = {"v": 1, "log_consent": True, "disclaimed": True, "cramps": cramps}
    if layout == "old file":
        with sqlite3.connect(db) as connection:
            connection.execute(OLD_SCHEMA)
    adapter = SQLiteAdapter(db)
    talk = TimedConversation(adapter)
    person = key_of(talk)
    if layout == "old file":
        with sqlite3.connect(db) as connection:
            connection.execute(
                "INSERT INTO attributes VALUES (?, ?, ?, 1)",
                (adapter.keygen(person), json.dumps(record), START - DAY),
            )
        return talk
    adapter.save_attributes(person, record)
    if layout == "old":
        with sqlite3.connect(db) as connection:
            connection.execute(
                "UPDATE attributes SET attributes = ?, cramp_log = NULL", (json.dumps(record),)
            )
    adapter.close()
    return talk


def stored(db: Path) -> tuple[dict[str, Any], bytes | None]:
    """The row as it is in the file: the JSON document, and the packed log apart."""
    with sqlite3.connect(db) as connection:
        [(document, log)] = connection.execute("SELECT attributes, cramp_log FROM attributes")
    return json.loads(document), log


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cramp-coach.sqlite3"


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every look into a packed log (its bytes copied out, or made into numbers), and every
    JSON document the SQLite store decodes, by size."""
    seen: list[tuple[str, int]] = []
    for name in ("times", "tolist"):
        original = getattr(PackedTimes, name)

        def counting(self: PackedTimes, original: Any = original, name: str = name) -> Any:
            seen.append((name, len(self)))
            return original(self)

        monkeypatch.setattr(PackedTimes, name, counting)

    def loads(text: str) -> Any:
        seen.append(("json", len(text)))
        return json.loads(text)

    monkeypatch.setattr(sqlite_module, "json", SimpleNamespace(loads=loads, dumps=json.dumps))
    return seen


# --- turns that leave the log alone never decode it -------------------------------------


def test_a_launch_on_a_huge_log_never_looks_into_it(
    db: Path, decoded: list[tuple[str, int]]
) -> None:
    talk = seed(db, log_of(HUGE))
    assert talk.launch().speech == prompt("launch")
    assert [kind for kind, _ in decoded] == ["json"], decoded  # the record, not the log
    assert decoded[0][1] < 200  # the document without the log: a few short keys


def test_a_log_longer_than_the_skill_keeps_is_read_as_its_newest_and_stored_so_once(
    db: Path, decoded: list[tuple[str, int]]
) -> None:
    """Another writer's 10,000 times: the store reads only the newest 500 of them out of the
    file (the turn never holds more), and the first turn, a launch that changes nothing,
    stores those, so no later turn pays for the rest. The next launch writes nothing."""
    talk = seed(db, log_of(HUGE))
    versions: list[int] = []

    def version() -> int:
        with sqlite3.connect(db) as connection:
            [(number,)] = connection.execute("SELECT version FROM attributes")
        return int(number)

    versions.append(version())
    handed: list[int] = []
    join = packed_log.join

    def watching(document: dict[str, Any], data: bytes | None, *rest: Any) -> Any:
        handed.append(-1 if data is None else len(data))
        return join(document, data, *rest)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(packed_log, "join", watching)
        assert talk.launch().speech == prompt("launch")
        versions.append(version())
        _, log = stored(db)
        talk.later(MINUTE)
        talk.new_session()
        assert talk.launch().speech == prompt("launch")
        versions.append(version())
    assert handed == [8 * cramp_log.CRAMP_LOG_MAX] * 2, handed  # bytes out of the file
    assert versions[1] == versions[0] + 1 and versions[2] == versions[1], versions
    assert not [kind for kind, _ in decoded if kind != "json"], decoded
    assert log is not None and PackedTimes(log).tolist() == log_of(HUGE)[-500:]


@pytest.mark.parametrize("length", [0, 8, 8 * 499, 8 * 500, 8 * 501, 8 * 500 + 3, 3])
def test_the_store_reads_whole_logs_up_to_the_cap_and_the_newest_of_longer_ones(
    db: Path, length: int
) -> None:
    """Every length around the cap, and malformed ones (not whole 8-byte times: read as no
    log, as before), straight through the adapter."""
    adapter = SQLiteAdapter(db)
    talk = TimedConversation(adapter)
    person = key_of(talk)
    adapter.save_attributes(person, {"v": 1})
    data = bytes(random.Random(length).randrange(256) for _ in range(length))
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE attributes SET cramp_log = ?", (data,))
    record = adapter.read(person)
    if length % 8:
        assert "cramps" not in record.attributes and not record.migrate
    else:
        assert record.attributes["cramps"] == PackedTimes(data[-8 * 500 :])
        assert record.migrate is (length > 8 * 500)
    adapter.close()


def test_a_relief_step_that_saves_leaves_the_huge_log_untouched(
    db: Path, decoded: list[tuple[str, int]]
) -> None:
    """The second step of the routine writes the routine's place, not the log: the log's
    bytes go back as they were read, never made into numbers."""
    talk = seed(db, log_of(HUGE))
    talk.intent("CrampReliefIntent")
    _, log_before = stored(db)
    decoded.clear()
    talk.intent("AMAZON.StopIntent")  # the place is saved, to resume within 15 minutes
    document, log_after = stored(db)
    assert "position" in document and log_after == log_before
    assert not [kind for kind, _ in decoded if kind != "json"], decoded


def test_relief_on_a_huge_log_makes_numbers_of_the_newest_it_keeps_only(
    db: Path, decoded: list[tuple[str, int]]
) -> None:
    """The relief routine logs the cramp (the person agreed): the log's bytes are copied
    once, only the newest 500 times become numbers, and the 90-day rule still holds."""
    old = [START - 100 * DAY, START - 95 * DAY]  # past the 90 days: pruned
    talk = seed(db, old + log_of(HUGE))
    heard = talk.intent("CrampReliefIntent")
    assert heard.speech.startswith(RELIEF[0].short)
    assert {kind for kind, _ in decoded} == {"json", "times"}, decoded  # bytes, no numbers
    assert all(kind != "json" or size < 200 for kind, size in decoded), decoded
    document, log = stored(db)
    assert "cramps" not in document and log is not None
    kept = PackedTimes(log).tolist()
    assert len(kept) == cramp_log.CRAMP_LOG_MAX and kept[-1] == START
    assert kept[:-1] == log_of(HUGE)[-(cramp_log.CRAMP_LOG_MAX - 1) :]


# --- turns that use the log, on both layouts --------------------------------------------


@pytest.mark.parametrize("layout", ["new", "old", "old file"])
def test_counting_and_logging_cramps_work_on_either_layout(db: Path, layout: str) -> None:
    talk = seed(db, [START - 3 * DAY, START - 2 * DAY, START - 40 * DAY], layout)
    assert "You've logged 2 cramps in the last 7 days." in talk.intent(
        "CrampCountIntent", Period="week"
    ).speech.replace("seven", "7")
    talk.later(MINUTE)
    noted = talk.intent("LogCrampIntent")
    assert noted.speech.startswith(
        "I've noted it. You've had 3 cramps this week."
    ) or noted.speech.startswith("I've noted it. That's 3 cramps"), noted.speech
    document, log = stored(db)
    assert "cramps" not in document and log is not None  # rewritten in the new layout
    assert PackedTimes(log).tolist() == [
        START - 40 * DAY,
        START - 3 * DAY,
        START - 2 * DAY,
        START + MINUTE,
    ]
    talk.later(MINUTE)
    assert "3 cramps" in talk.intent("CrampCountIntent", Period="week").speech


@pytest.mark.parametrize("layout", ["old", "old file"])
def test_a_turn_that_only_reads_an_old_record_rewrites_it_in_the_new_layout(
    db: Path, layout: str
) -> None:
    times = log_of(600)
    talk = seed(db, times, layout)
    assert talk.launch().speech == prompt("launch")
    document, log = stored(db)
    assert "cramps" not in document and log is not None
    assert PackedTimes(log).tolist() == sorted(times)  # moved as it was, nothing pruned
    assert document["log_consent"] is True and document["disclaimed"] is True


def test_forget_my_data_deletes_the_packed_log_too(db: Path) -> None:
    talk = seed(db, log_of(50))
    assert talk.intent("ForgetDataIntent").speech.endswith(prompt("forget_question"))
    assert talk.intent("AMAZON.YesIntent").speech == prompt("forget_done")
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM attributes").fetchone() == (0,)
    talk.later(MINUTE)
    assert talk.intent("CrampCountIntent").speech.endswith("keep a count of your cramps?")


def test_saying_no_to_the_log_drops_the_packed_log(db: Path) -> None:
    """The consent's no drops the log (skill.core.cramp_log.set_log_consent): the column too."""
    seeded = seed(db, log_of(50))
    person = key_of(seeded)
    adapter = SQLiteAdapter(db)
    record = adapter.read(person)
    cramp_log.set_log_consent(record.attributes, False)
    adapter.write(person, record.attributes, record.version)
    document, log = stored(db)
    assert log is None and "cramps" not in document and document["log_consent"] is False


# --- the layout itself --------------------------------------------------------------------


def test_only_lists_of_whole_numbers_are_packed() -> None:
    assert packed_log.packed([3, 1, 2]) == PackedTimes.pack([1, 2, 3])
    assert packed_log.packed([Decimal(5), 4]) == PackedTimes.pack([4, 5])  # DynamoDB's
    assert packed_log.packed([]) == PackedTimes.pack([])
    for kept_as_it_is in ([1, True], [1.5], [Decimal("1.5")], ["junk"], [2**63], "x", None):
        assert packed_log.packed(kept_as_it_is) is None
    record = {"v": 1, "cramps": [1, "junk"]}
    assert packed_log.split(record) == (record, None)  # stays in the document, as it was
    assert packed_log.join(dict(record), None) == (record, False)  # and is not rewritten


def test_a_packed_log_of_the_wrong_length_reads_as_no_log() -> None:
    assert packed_log.join({"v": 1}, b"\x00" * 7) == ({"v": 1}, False)
    with pytest.raises(ValueError):
        PackedTimes(b"\x00" * 9)


def test_the_packed_form_reads_as_the_list_it_was_made_from() -> None:
    times = [-5, 0, 1_750_000_000, 2**35, 2**40]
    log = PackedTimes.pack(reversed(times))
    assert log.tolist() == times and len(log) == 5 and list(log.times()) == times
    assert log.data[:8] == (-5).to_bytes(8, "little", signed=True)  # the stored format
    record = {"cramps": log, "v": 1}
    assert packed_log.plain(record) == {"cramps": times, "v": 1}
    # What memory reads of it: past the 90 days and past its bounds (10**12) are dropped.
    assert cramp_log.cramp_times({"cramps": log}, 1_750_000_000) == [1_750_000_000, 2**35]


def test_logging_on_a_packed_log_keeps_it_packed_with_the_same_times() -> None:
    """The store's packed log stays packed through a logged cramp (no number per entry),
    with the times, the pruning and the same-cramp rule of the list it stands for."""
    rng = random.Random(26)
    now = 1_750_000_000
    for _ in range(300):
        size = rng.choice([0, 1, 2, 10, 499, 500, 501, 700])
        times = sorted(now + rng.randint(-100 * DAY, DAY) for _ in range(size))
        moment = now + rng.choice([0, -5 * MINUTE, -DAY, -95 * DAY, 20 * MINUTE])
        as_list: dict[str, Any] = {"cramps": list(times)}
        as_packed: dict[str, Any] = {"cramps": PackedTimes.pack(times)}
        logged = cramp_log.log_cramp(as_list, moment)
        assert cramp_log.log_cramp(as_packed, moment) is logged
        assert isinstance(as_packed["cramps"], PackedTimes)
        assert as_packed["cramps"].tolist() == as_list["cramps"]
        for days in (7, 30, 90):
            counted = cramp_log.cramps_in_last(as_list, days, now)
            assert cramp_log.cramps_in_last(as_packed, days, now) == counted
