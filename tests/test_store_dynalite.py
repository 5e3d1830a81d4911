"""The DynamoDB store against dynalite, a real DynamoDB engine on 127.0.0.1 (see
tests/dynalite_server.py): the memory conversations, concurrent writers, the TTL attribute,
a large log within the 400 KB item limit, and the Lambda entry point's initialisation."""

from __future__ import annotations

import inspect
import itertools
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import tests.test_memory_conversations as conversations
from skill.core import cramp_log, memory
from skill.settings import Settings
from skill.store import versioned
from skill.store.dynamodb import EXPIRES_AT, TTL_SECONDS, DynamoDbStore
from skill.store.factory import adapter_from_settings
from skill.store.keys import user_key
from skill.store.safe import SafeAdapter
from skill.store.sqlite import SQLiteAdapter
from skill.store.values import PackedTimes
from skill.tools.simulator.envelopes import EnvelopeFactory
from tests.dynalite_server import Dynalite
from tests.memory_talk import DAY, MINUTE, START, TimedConversation

pytestmark = pytest.mark.slow  # dynalite, node on 127.0.0.1

ROOT = Path(__file__).resolve().parents[1]
#: DynamoDB's item size limit (400 KB, attribute names and values included).
ITEM_LIMIT_BYTES = 400 * 1024
_tables = itertools.count()


@pytest.fixture
def table(dynalite: Dynalite) -> str:
    name = f"cramp-coach-{os.getpid()}-{next(_tables)}"
    dynalite.create_table(name)
    return name


@pytest.fixture
def store(dynalite: Dynalite, table: str) -> DynamoDbStore:
    return DynamoDbStore(table, dynalite.client())


def items(dynalite: Dynalite, table: str) -> list[dict[str, Any]]:
    return dynalite.client().scan(TableName=table, ConsistentRead=True)["Items"]


def envelope(user: str = "PERSON") -> Any:
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    raw = EnvelopeFactory(user_id=f"amzn1.ask.account.{user}").launch()
    return DefaultSerializer().deserialize(json.dumps(raw), RequestEnvelope)


# --- the memory conversations, run unchanged on dynalite -------------------------------------

#: tests/test_memory_conversations.py's conversations that are about memory, not about SQLite
#: (those check SQLite's own faults or count SQLite calls, and stay there).
SHARED_CONVERSATIONS = [
    "test_hold_preference_is_remembered_in_a_new_session",
    "test_resume_within_fifteen_minutes_of_leaving_a_routine",
    "test_opening_the_skill_offers_to_carry_on_a_routine_left_minutes_ago",
    "test_no_resume_after_fifteen_minutes",
    "test_finished_routine_is_not_resumable",
    "test_frequent_cramp_advice_after_the_third_cramp_in_a_week_and_not_before",
    "test_cramps_spread_over_more_than_a_week_are_not_frequent",
    "test_logging_and_counting_cramps",
    "test_forget_my_data_deletes_after_yes_and_keeps_after_no",
    "test_forget_needs_a_yes_right_after_the_question",
    "test_failing_saves_do_not_lose_the_turn",
    "test_failed_delete_is_not_reported_as_done",
    "test_recognised_voices_on_one_account_keep_their_own_memory",
]


@pytest.mark.parametrize("name", SHARED_CONVERSATIONS)
def test_memory_conversation_on_dynalite(
    name: str,
    dynalite: Dynalite,
    table: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conversation = getattr(conversations, name, None)
    assert conversation is not None, f"{name} is gone from test_memory_conversations.py"
    client = dynalite.client()
    # The conversation builds "SQLiteAdapter(db)" and counts "rows(db)": give it the table.
    monkeypatch.setattr(conversations, "SQLiteAdapter", lambda _path: DynamoDbStore(table, client))
    monkeypatch.setattr(conversations, "rows", lambda _path: len(items(dynalite, table)))
    available = {"db": tmp_path / "unused.sqlite3", "tmp_path": tmp_path, "caplog": caplog}
    conversation(**{p: available[p] for p in inspect.signature(conversation).parameters})


def test_the_configured_store_is_the_versioned_dynamodb_store(
    dynalite: Dynalite, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in dynalite.env().items():
        monkeypatch.setenv(key, value)
    adapter = adapter_from_settings(Settings(db=f"dynamodb:{table}"))
    assert isinstance(adapter, DynamoDbStore)
    talk = TimedConversation(adapter)
    talk.intent("HoldLengthIntent", Seconds="24")
    talk.later(MINUTE)
    assert talk.intent("CrampReliefIntent").session_attributes["routine"]["hold"] == 24
    [item] = items(dynalite, table)
    assert item["id"]["S"].startswith("u1:") and "PERSON" not in json.dumps(item)
    assert int(item["version"]["N"]) == 2  # two turns changed the record: two writes


# --- no lost update ----------------------------------------------------------------------


class SlowTurns:
    """Widens the race: a turn's first read of the record waits a few milliseconds before
    the turn goes on (as a slow device or network would), so two turns overlap. Retries
    after a conflict read at full speed."""

    def __init__(self, inner: Any, pause: float = 0.04) -> None:
        self.inner = inner
        self.pause = pause
        self.local = threading.local()

    def read(self, request_envelope: Any) -> versioned.Record:
        record = self.inner.read(request_envelope)
        if not getattr(self.local, "retrying", False):
            threading.Event().wait(self.pause)
        return record

    def write(self, request_envelope: Any, attributes: dict[str, Any], version: int) -> int:
        try:
            written = self.inner.write(request_envelope, attributes, version)
        except versioned.Conflict:
            self.local.retrying = True
            raise
        self.local.retrying = False
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def concurrent_cramps(make_store: Any, per_writer: int = 15) -> tuple[list[int], int]:
    """Two threads, two devices of one person: each says "I had a cramp" ``per_writer``
    times, 15 minutes apart (interleaved, so no two are the same cramp). The cramp times
    stored at the end, and how many conflicts were resolved."""
    conflicts = 0
    lock = threading.Lock()
    errors: list[BaseException] = []

    def device(offset: int) -> None:
        nonlocal conflicts
        store = SlowTurns(make_store())
        original = store.write

        def counting_write(*args: Any) -> int:
            nonlocal conflicts
            try:
                return original(*args)
            except versioned.Conflict:
                with lock:
                    conflicts += 1
                raise

        store.write = counting_write  # type: ignore[method-assign]
        talk = TimedConversation(store)
        try:
            for turn in range(per_writer):
                talk.now = START + (2 * turn + offset) * 15 * MINUTE
                talk.new_session()
                heard = talk.log_a_cramp()
                assert "noted" in heard.speech, heard.speech
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=device, args=(offset,)) for offset in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    stored = make_store().get_attributes(envelope())
    return [int(t) for t in stored.get("cramps", [])], conflicts


def expected_cramps(per_writer: int = 15) -> list[int]:
    return [START + n * 15 * MINUTE for n in range(2 * per_writer)]


def test_concurrent_writers_lose_no_cramp_on_dynalite(
    dynalite: Dynalite, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each device a client of its own, as two Lambda instances would have.
    cramps, conflicts = concurrent_cramps(lambda: DynamoDbStore(table, dynalite.new_client()))
    assert cramps == expected_cramps(), f"{len(cramps)} of 30 cramps kept"
    assert conflicts > 0  # the turns did overlap: the condition was exercised


def test_concurrent_writers_lose_no_cramp_on_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "coach.sqlite3"
    cramps, conflicts = concurrent_cramps(lambda: SQLiteAdapter(path))
    assert cramps == expected_cramps(), f"{len(cramps)} of 30 cramps kept"
    assert conflicts > 0


def test_a_write_on_a_stale_version_is_refused(store: DynamoDbStore) -> None:
    person = envelope()
    assert store.write(person, {"hold_seconds": 25}, 0) == 1
    with pytest.raises(versioned.Conflict):
        store.write(person, {"hold_seconds": 20}, 0)  # a second "first" write
    assert store.write(person, {"hold_seconds": 20}, 1) == 2
    with pytest.raises(versioned.Conflict):
        store.write(person, {"hold_seconds": 30}, 1)
    assert store.read(person).attributes == {"hold_seconds": 20}


def test_a_record_written_by_the_ask_sdk_adapter_is_read_and_then_versioned(
    dynalite: Dynalite, table: str, store: DynamoDbStore
) -> None:
    """Records from before versions (ask-sdk's DynamoDbAdapter: id + attributes) still work."""
    person = envelope()
    dynalite.client().put_item(
        TableName=table,
        Item={"id": {"S": user_key(person)}, "attributes": {"M": {"hold_seconds": {"N": "22"}}}},
    )
    record = store.read(person)
    assert (record.attributes, record.version) == ({"hold_seconds": 22}, 0)
    assert store.write(person, {"hold_seconds": 23}, 0) == 1


# --- expiry (TTL) ------------------------------------------------------------------------


def test_every_write_sets_the_ttl_attribute_ninety_days_ahead(
    dynalite: Dynalite, table: str
) -> None:
    clock = [1_800_000_000.0]
    store = DynamoDbStore(table, dynalite.client(), clock=lambda: clock[0])
    person = envelope()
    store.write(person, {"cramps": [1_799_999_000]}, 0)
    [item] = items(dynalite, table)
    assert (
        int(item[EXPIRES_AT]["N"]) == 1_800_000_000 + 90 * 24 * 3600 == 1_800_000_000 + TTL_SECONDS
    )
    clock[0] += 30 * 24 * 3600
    store.write(person, {"cramps": [1_799_999_000]}, 1)  # a later use moves the expiry on
    [item] = items(dynalite, table)
    assert int(item[EXPIRES_AT]["N"]) == clock[0] + TTL_SECONDS
    clock[0] += TTL_SECONDS
    # Expired but not yet deleted by DynamoDB's sweeper: read as forgotten all the same.
    assert store.read(person).attributes == {}
    assert store.write(person, {"hold_seconds": 25}, store.read(person).version) == 3


def test_a_turn_that_only_reads_renews_the_expiry_once_a_day(
    dynalite: Dynalite, table: str
) -> None:
    """ "Expires 90 days after the last use": a person who only listens (tips, counts) is
    still a user, so a read-only turn rewrites a record last written over a day ago."""
    clock = [time.time()]
    store = DynamoDbStore(table, dynalite.client(), clock=lambda: clock[0])
    talk = TimedConversation(store)

    def expiry_and_version() -> tuple[int, int]:
        [item] = items(dynalite, table)
        return int(item[EXPIRES_AT]["N"]), int(item["version"]["N"])

    talk.intent("HoldLengthIntent", Seconds="25")
    written = expiry_and_version()
    talk.later(MINUTE)
    talk.intent("CrampCountIntent")
    assert expiry_and_version() == written  # written minutes ago: a read-only turn writes nothing
    clock[0] -= 2 * DAY  # the next write happens "two days ago"
    talk.later(MINUTE)
    talk.intent("HoldLengthIntent", Seconds="26")
    clock[0] = time.time()
    talk.later(MINUTE)
    talk.intent("CrampCountIntent")
    expires_at, version = expiry_and_version()
    assert version == written[1] + 2 and expires_at >= int(clock[0]) + TTL_SECONDS
    assert store.read(envelope()).attributes["hold_seconds"] == 26


# --- size --------------------------------------------------------------------------------


def item_bytes(item: dict[str, Any]) -> int:
    """A generous estimate of DynamoDB's item size: names and values as JSON text (binary
    values as the base64 text they travel as)."""
    return len(json.dumps(item, default=lambda data: "x" * (len(data) * 4 // 3 + 4)).encode())


def test_the_largest_log_the_skill_keeps_fits_an_item_many_times_over(
    dynalite: Dynalite, table: str, store: DynamoDbStore
) -> None:
    record: dict[str, Any] = {}
    now = 1_750_000_000
    for n in range(cramp_log.CRAMP_LOG_MAX + 100):  # more cramps than are ever kept
        cramp_log.log_cramp(record, now + n * 11 * MINUTE)
    memory.set_hold_seconds(record, 25)
    cramp_log.mark_frequent_advice(record, now)
    memory.save_position(record, {"routine": "relief", "step": 3, "hold": 25}, now)
    assert len(record["cramps"]) == cramp_log.CRAMP_LOG_MAX
    store.write(envelope(), record, 0)
    [item] = items(dynalite, table)
    assert item_bytes(item) < ITEM_LIMIT_BYTES / 20, item_bytes(item)
    stored = store.get_attributes(envelope())
    assert [int(t) for t in stored["cramps"]] == record["cramps"]


def test_an_item_over_400_kb_is_refused_and_reported_not_lost(
    dynalite: Dynalite, table: str, store: DynamoDbStore
) -> None:
    """The engine enforces the limit, so the test above would catch a record that grew."""
    person = envelope()
    store.write(person, {"hold_seconds": 25}, 0)
    huge = {"hold_seconds": 20, "padding": "x" * ITEM_LIMIT_BYTES}
    assert SafeAdapter(store).try_save(person, huge, 1, versioned.overwrite(huge)) is False
    assert store.read(person).attributes == {"hold_seconds": 25}


# --- the Lambda entry point: built at init, no network at init --------------------------

PROBE = """
import json, socket, sys
connects = []
real_connect = socket.socket.connect
def connect(self, address):
    connects.append(str(address))
    return real_connect(self, address)
socket.socket.connect = connect
import skill.hosts.lambda_handler as lh
at_init = list(connects)
store = lh.SKILL.persistence_adapter.inner
reply = lh.handler(json.load(sys.stdin))
print(json.dumps({"init_connects": at_init, "store": type(store).__name__,
                  "client_built": store.client is not None,
                  "first_answer_connects": len(connects) - len(at_init),
                  "speech": reply["response"]["outputSpeech"]["ssml"]}))
"""


def test_lambda_init_builds_skill_and_client_without_network_then_answers(
    dynalite: Dynalite, table: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CRAMP_COACH_"))}
    env.update(dynalite.env(), PYTHONPATH=str(ROOT), CRAMP_COACH_DB=f"dynamodb:{table}")
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        input=json.dumps(EnvelopeFactory().intent("CrampReliefIntent")),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout)
    assert probe["store"] == "DynamoDbStore" and probe["client_built"]
    assert probe["init_connects"] == []  # nothing to go stale in a SnapStart snapshot
    # The first answer reads the record and saves the routine's place in it.
    assert probe["first_answer_connects"] >= 1 and "Straighten" in probe["speech"]
    assert len(items(dynalite, table)) == 1


# --- the packed cramp log (#26 item 5) ------------------------------------------------------


def talk_with_log(
    dynalite: Dynalite, table: str, cramps: list[int], layout: str
) -> tuple[TimedConversation, DynamoDbStore]:
    """A person who agreed to the log, with ``cramps`` stored in ``layout``: "new" (packed,
    in its own attribute) or "old" (a list inside the attributes map, as before #26)."""
    store = DynamoDbStore(table, dynalite.client())
    record = {"v": 1, "log_consent": True, "disclaimed": True, "cramps": cramps}
    store.write(envelope(), record, 0)
    if layout == "old":
        from boto3.dynamodb.types import TypeSerializer

        [item] = items(dynalite, table)
        item["attributes"] = TypeSerializer().serialize(record)
        del item["cramp_log"]
        dynalite.client().put_item(TableName=table, Item=item)
    return TimedConversation(store), store


@pytest.mark.parametrize("layout", ["new", "old"])
def test_cramp_log_turns_work_on_either_layout_on_dynalite(
    dynalite: Dynalite, table: str, layout: str
) -> None:
    talk, _ = talk_with_log(dynalite, table, [START - 3 * DAY, START - 40 * DAY], layout)
    assert "one cramp in the last seven days" in talk.intent("CrampCountIntent").speech
    talk.later(MINUTE)
    assert "That's 2 cramps in the last seven days." in talk.intent("LogCrampIntent").speech
    [item] = items(dynalite, table)
    assert "cramps" not in item["attributes"]["M"]  # rewritten in the new layout
    assert PackedTimes(item["cramp_log"]["B"]).tolist() == [
        START - 40 * DAY,
        START - 3 * DAY,
        START + MINUTE,
    ]
    talk.later(MINUTE)
    assert talk.intent("ForgetDataIntent").speech.endswith("about you?")
    talk.intent("AMAZON.YesIntent")
    assert items(dynalite, table) == []  # the log went with the item


def test_a_launch_on_a_huge_log_never_looks_into_it_on_dynalite(
    dynalite: Dynalite, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    huge = [START - DAY - n * 10 * MINUTE for n in range(10_000)][::-1]
    talk, store = talk_with_log(dynalite, table, huge, "new")
    looked: list[str] = []
    for name in ("times", "tolist"):
        monkeypatch.setattr(PackedTimes, name, lambda self, n=name: looked.append(n))
    deserialize = store._deserializer.deserialize
    sizes: list[int] = []

    def counting(value: Any) -> Any:
        sizes.append(len(json.dumps(value)))
        return deserialize(value)

    monkeypatch.setattr(store._deserializer, "deserialize", counting)
    assert talk.launch().speech.startswith("Cramp Coach.")
    assert looked == [] and sizes and max(sizes) < 200, (looked, sizes)


def test_a_log_longer_than_the_skill_keeps_is_stored_as_its_newest_by_the_first_turn(
    dynalite: Dynalite, table: str
) -> None:
    """DynamoDB's client fetches the whole item, so the first turn that reads another
    writer's 10,000 times stores the newest 500 (it changed nothing else): later turns
    fetch a small item. The next launch writes nothing."""
    huge = [START - DAY - n * 10 * MINUTE for n in range(10_000)][::-1]
    talk, _ = talk_with_log(dynalite, table, huge, "new")
    [before] = items(dynalite, table)
    assert talk.launch().speech.startswith("Cramp Coach.")
    [after] = items(dynalite, table)
    assert int(after["version"]["N"]) == int(before["version"]["N"]) + 1
    assert PackedTimes(after["cramp_log"]["B"]).tolist() == huge[-cramp_log.CRAMP_LOG_MAX :]
    talk.later(MINUTE)
    assert talk.launch().speech.startswith("Cramp Coach.")
    [again] = items(dynalite, table)
    assert again["version"] == after["version"]
