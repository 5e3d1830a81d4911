"""The DynamoDB path (CRAMP_COACH_DB=dynamodb:TABLE) against moto, in-process, no network."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.settings import Settings
from skill.store import SafeAdapter, adapter_from_settings, user_key
from skill.tools.envelopes import EnvelopeFactory

moto = pytest.importorskip("moto")
TABLE = "cramp-coach-test"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Fake credentials and region (ask_sdk_dynamodb needs one at import), moto's DynamoDB
    with the table as template.yaml defines it."""
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
    adapter = adapter_from_settings(Settings(db=f"dynamodb:{TABLE}"))
    assert type(adapter).__name__ == "DynamoDbAdapter"
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
    talk.intent("HoldLengthIntent", Seconds="20")
    talk.later(DAY)
    assert talk.intent("CrampReliefIntent").session_attributes["routine"]["hold"] == 20
    talk.later(DAY)
    assert "one cramp in the last seven days" in talk.intent("CrampCountIntent").speech
    assert aws.Table(TABLE).scan()["Count"] == 1
    talk.intent("ForgetDataIntent")
    assert "deleted everything" in talk.intent("AMAZON.YesIntent").speech
    assert aws.Table(TABLE).scan()["Count"] == 0
