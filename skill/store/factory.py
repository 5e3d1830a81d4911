"""Pick the store from one setting, ``CRAMP_COACH_DB``.

- unset: a SQLite file under the user's data directory (the Flask host's default); on AWS
  Lambda (``AWS_LAMBDA_FUNCTION_NAME`` set) nothing is remembered instead, because only
  ``/tmp`` is writable there and it is private to one short-lived instance: a SQLite file in
  it would forget at random and disagree between concurrent instances.
- ``none``: nothing is remembered.
- ``dynamodb:TABLE``: :class:`skill.store.dynamodb.DynamoDbStore` on a boto3 client (built
  here, at the Lambda's init, so it lands in a SnapStart snapshot; building it opens no
  connection). boto3 is imported only here, so neither it nor its ~0.3 s import sits on the
  cold-start path of a skill that doesn't use it. ``AWS_ENDPOINT_URL_DYNAMODB`` (read by
  botocore) points it at another endpoint, e.g. dynalite in the tests.
- anything else (optionally prefixed ``sqlite:``): a SQLite file path.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from skill.settings import Settings
from skill.store.sqlite import SQLiteAdapter

logger = logging.getLogger(__name__)

DYNAMODB_PREFIX = "dynamodb:"
SQLITE_PREFIX = "sqlite:"
NO_STORE = "none"
DB_FILE_NAME = "cramp-coach.sqlite3"
#: DynamoDB calls must fit well inside Alexa's 8 s answer budget (botocore waits 60 s).
DYNAMODB_TIMEOUT_SECONDS = 1.0
#: Attempts in all, the first included (botocore's "max_attempts" would count retries only).
DYNAMODB_MAX_ATTEMPTS = 2


def default_sqlite_path(env: Mapping[str, str] | None = None) -> str:
    """``$XDG_DATA_HOME/cramp-coach/cramp-coach.sqlite3`` (``~/.local/share`` by default)."""
    env = os.environ if env is None else env
    base = env.get("XDG_DATA_HOME", "").strip()
    if not (base and os.path.isabs(base)):  # the XDG spec says to ignore relative paths
        base = os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "cramp-coach", DB_FILE_NAME)


def on_lambda(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return bool(env.get("AWS_LAMBDA_FUNCTION_NAME"))


def adapter_from_settings(
    settings: Settings, env: Mapping[str, str] | None = None
) -> AbstractPersistenceAdapter | None:
    """The persistence adapter ``settings.db`` asks for, or None when nothing is remembered."""
    db = (settings.db or "").strip()
    if not db:
        if on_lambda(env):
            logger.warning("CRAMP_COACH_DB is not set on Lambda: nothing will be remembered")
            return None
        return SQLiteAdapter(default_sqlite_path(env))
    if db.lower() == NO_STORE:
        return None
    if db.startswith(DYNAMODB_PREFIX):
        table = db[len(DYNAMODB_PREFIX) :].strip()
        if not table:
            raise ValueError("CRAMP_COACH_DB=dynamodb:TABLE needs a table name")
        return dynamodb_adapter(table)
    if db.startswith(SQLITE_PREFIX):
        db = db[len(SQLITE_PREFIX) :]
    return SQLiteAdapter(db)


def dynamodb_adapter(table: str, client: object | None = None) -> AbstractPersistenceAdapter:
    """The versioned DynamoDB store on ``table`` (partition key ``id``, a string, as in
    template.yaml), keyed like the SQLite store. Imports boto3 lazily."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import NoRegionError

    from skill.store.dynamodb import DynamoDbStore

    if client is None:
        config = Config(
            connect_timeout=DYNAMODB_TIMEOUT_SECONDS,
            read_timeout=DYNAMODB_TIMEOUT_SECONDS,
            retries={"total_max_attempts": DYNAMODB_MAX_ATTEMPTS, "mode": "standard"},
        )
        try:
            client = boto3.session.Session().client("dynamodb", config=config)
        except NoRegionError as error:
            raise ValueError(
                "CRAMP_COACH_DB=dynamodb:... needs an AWS region (AWS_REGION or AWS_DEFAULT_REGION)"
            ) from error
    return DynamoDbStore(table, client)
