"""The DynamoDB path (CRAMP_COACH_DB=dynamodb:TABLE) against moto, in-process, no network:
kept for fault injection (throttling, a missing table). The real engine is dynalite
(tests/test_store_dynalite.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.settings import Settings
from skill.store.factory import adapter_from_settings
from skill.store.keys import user_key
from skill.store.safe import SafeAdapter
from skill.tools.simulator.envelopes import EnvelopeFactory

pytestmark = pytest.mark.slow  # dynalite, node on 127.0.0.1

moto = pytest.importorskip("moto")
TABLE = "cramp-coach-test"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Fake credentials and region, moto's DynamoDB with the table as template.yaml
    defines it."""
    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    import boto3

    with moto.mock_aws():
        dynamodb = boto3.resource("dynamodb", region_name="us-east-1")
        dynamodb.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield dynamodb


def envelope(user_id: str = "amzn1.ask.account.DYNAMOUSER") -> RequestEnvelope:
    raw = EnvelopeFactory(user_id=user_id).launch()
    return DefaultSerializer().deserialize(json.dumps(raw), RequestEnvelope)


def test_get_save_delete_through_the_configured_adapter(aws) -> None:
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODB", raising=False)
    adapter = adapter_from_settings(Settings(db=f"dynamodb:{TABLE}"))
    monkeypatch.undo()
    assert type(adapter).__name__ == "DynamoDbStore"
    assert adapter.get_attributes(envelope()) == {}
    adapter.save_attributes(envelope(), {"hold_seconds": 30, "cramps": [1750000000]})
    item = aws.Table(TABLE).get_item(Key={"id": user_key(envelope())})["Item"]
    assert item["id"].startswith("u1:") and "DYNAMOUSER" not in item["id"]
    stored = adapter.get_attributes(envelope())
    assert stored == {"hold_seconds": Decimal(30), "cramps": [Decimal(1750000000)]}
    assert adapter.get_attributes(envelope("amzn1.ask.account.SOMEONEELSE")) == {}
    adapter.delete_attributes(envelope())
    assert adapter.get_attributes(envelope()) == {}


def test_missing_table_is_a_logged_fault_not_a_crash(aws) -> None:
    adapter = SafeAdapter(adapter_from_settings(Settings(db="dynamodb:no-such-table")))
    assert adapter.try_get(envelope()).ok is False
    assert adapter.try_save(envelope(), {"hold_seconds": 30}) is False


def test_get_save_delete_through_the_skill(aws) -> None:
    from skill.store.factory import dynamodb_adapter
    from tests.memory_talk import DAY, TimedConversation

    talk = TimedConversation(dynamodb_adapter(TABLE))
    talk.agree_to_log()
    talk.intent("HoldLengthIntent", Seconds="20")
    talk.later(DAY)
    assert talk.intent("CrampReliefIntent").session_attributes["routine"]["hold"] == 20
    talk.later(DAY)
    assert "one cramp in the last seven days" in talk.intent("CrampCountIntent").speech
    assert aws.Table(TABLE).scan()["Count"] == 1
    talk.intent("ForgetDataIntent")
    assert "deleted everything" in talk.intent("AMAZON.YesIntent").speech
    assert aws.Table(TABLE).scan()["Count"] == 0


def test_throttled_writes_are_retried_then_reported_failed_and_nothing_is_lost(
    aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    """moto's DynamoDB answers ProvisionedThroughputExceededException (a burst on one
    partition): botocore retries (standard mode, DYNAMODB_MAX_ATTEMPTS in all), then the save
    fails as a logged fault, and the record keeps its last good version."""
    from moto.dynamodb.exceptions import ERROR_TYPE_PREFIX, DynamodbException
    from moto.dynamodb.models import DynamoDBBackend

    from skill.store.factory import DYNAMODB_MAX_ATTEMPTS, dynamodb_adapter
    from skill.store.versioned import overwrite

    store = SafeAdapter(dynamodb_adapter(TABLE))
    assert store.try_save(envelope(), {"hold_seconds": 25}) is True
    loaded = store.try_get(envelope())
    attempts = []

    def throttled(*_args, **_kwargs):
        attempts.append(1)
        raise DynamodbException(
            ERROR_TYPE_PREFIX + "ProvisionedThroughputExceededException",
            "The level of configured provisioned throughput for the table was exceeded.",
        )

    new = {"hold_seconds": 20}
    with monkeypatch.context() as patch:
        patch.setattr(DynamoDBBackend, "put_item", throttled)
        assert store.try_save(envelope(), new, loaded.version, overwrite(new)) is False
    assert len(attempts) == DYNAMODB_MAX_ATTEMPTS  # retried by botocore, then given up
    assert store.try_get(envelope()).attributes == {"hold_seconds": Decimal(25)}
    assert store.try_save(envelope(), new, loaded.version, overwrite(new)) is True
    assert store.try_get(envelope()).attributes == {"hold_seconds": Decimal(20)}
