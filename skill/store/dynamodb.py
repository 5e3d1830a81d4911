"""The DynamoDB store (``CRAMP_COACH_DB=dynamodb:TABLE``), on boto3's low-level client.

Why not ask-sdk's ``DynamoDbAdapter``: it gets then puts, so two turns of one person at once
are last-writer-wins, and it cannot make a write conditional. This store keeps the same
item shape (partition key ``id``, the attributes as a map in ``attributes``, so records it
wrote are read as they are) and adds:

- ``version``: every write is a ``PutItem`` conditional on the version the turn read
  (``attribute_not_exists`` for a first write or an item written before versions existed);
  a lost race raises :class:`~skill.store.versioned.Conflict` and is retried by
  :func:`skill.store.versioned.save` with the turn's change re-applied.
- ``cramp_log``: the cramp log, packed (binary), apart from ``attributes`` so that a turn
  that leaves it alone does not decode it (:mod:`skill.store.packed_log`; an item written
  before keeps its log in ``attributes`` and is rewritten by the turn that reads it).
- ``expires_at``: epoch seconds 90 days after the write, the table's TTL attribute
  (template.yaml), so a person's record goes 90 days after their last use, as their cramp
  log does. DynamoDB deletes expired items only eventually (typically within days) and
  returns them until then, so a read treats an expired item as empty.

Reads are strongly consistent: a retry must see the write that beat it.
This module imports boto3's type (de)serialisers, so it is imported only when DynamoDB is
configured (:mod:`skill.store.factory`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from skill.store import packed_log
from skill.store.keys import user_key
from skill.store.versioned import Conflict, Record, overwrite, save

#: A record expires this long after its last write (the cramp log keeps 90 days too).
TTL_SECONDS = 90 * 24 * 60 * 60
KEY = "id"
ATTRIBUTES = "attributes"
VERSION = "version"
EXPIRES_AT = "expires_at"
CRAMP_LOG = "cramp_log"

_FIRST_WRITE = "attribute_not_exists(#v)"
_SAME_VERSION = "#v = :v"


class DynamoDbStore(AbstractPersistenceAdapter):
    """One item per person in ``table``; ``client`` is a boto3 DynamoDB client."""

    def __init__(
        self,
        table: str,
        client: Any,
        keygen: Callable[[RequestEnvelope], str] = user_key,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.table = table
        self.client = client
        self.keygen = keygen
        self.clock = clock
        self._serializer = TypeSerializer()
        self._deserializer = TypeDeserializer()

    def _key(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        return {KEY: {"S": self.keygen(request_envelope)}}

    def read(self, request_envelope: RequestEnvelope) -> Record:
        item = self.client.get_item(
            TableName=self.table, Key=self._key(request_envelope), ConsistentRead=True
        ).get("Item")
        if not item:
            return Record()
        version = int(item[VERSION]["N"]) if VERSION in item else 0
        expires_at = int(item[EXPIRES_AT]["N"]) if EXPIRES_AT in item else None
        if expires_at is not None and expires_at <= self.clock():
            return Record({}, version)  # expired, not yet deleted: forgotten all the same
        attributes = self._deserializer.deserialize(item[ATTRIBUTES]) if ATTRIBUTES in item else {}
        written_at = None if expires_at is None else expires_at - TTL_SECONDS
        if not isinstance(attributes, dict):
            return Record({}, version, written_at)
        log = item.get(CRAMP_LOG, {}).get("B")
        attributes, migrate = packed_log.join(attributes, bytes(log) if log is not None else None)
        return Record(attributes, version, written_at, migrate)

    def write(
        self, request_envelope: RequestEnvelope, attributes: dict[str, Any], version: int
    ) -> int:
        new_version = int(version) + 1
        document, log = packed_log.split(attributes)
        item = {
            **self._key(request_envelope),
            ATTRIBUTES: self._serializer.serialize(to_storable(document)),
            VERSION: {"N": str(new_version)},
            EXPIRES_AT: {"N": str(int(self.clock()) + TTL_SECONDS)},
        }
        if log is not None:
            item[CRAMP_LOG] = {"B": log}
        condition: dict[str, Any] = {"ExpressionAttributeNames": {"#v": VERSION}}
        if version == 0:
            condition["ConditionExpression"] = _FIRST_WRITE
        else:
            condition["ConditionExpression"] = _SAME_VERSION
            condition["ExpressionAttributeValues"] = {":v": {"N": str(int(version))}}
        try:
            self.client.put_item(TableName=self.table, Item=item, **condition)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise Conflict from None
            raise
        return new_version

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        return packed_log.plain(self.read(request_envelope).attributes)

    def save_attributes(
        self, request_envelope: RequestEnvelope, attributes: dict[str, Any]
    ) -> None:
        """The SDK's plain save: this turn's attributes win whole, still versioned."""
        record = self.read(request_envelope)
        save(self, request_envelope, attributes, record.version, overwrite(attributes))

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self.client.delete_item(TableName=self.table, Key=self._key(request_envelope))

    def __repr__(self) -> str:
        return f"DynamoDbStore({self.table!r})"


def to_storable(value: Any) -> Any:
    """DynamoDB numbers: floats become Decimals (boto3 refuses floats; the memory rules store
    ints, but a float from an older record or a routine state must not fail the write)."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, dict):
        return {key: to_storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_storable(item) for item in value]
    return value
