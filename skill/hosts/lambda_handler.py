"""AWS Lambda entry point: ``skill.hosts.lambda_handler.handler(event, context)``.

The skill, and with ``CRAMP_COACH_DB=dynamodb:...`` the boto3 client, are built once at
import (the init phase) and reused by warm invocations. Building opens no connection: with
SnapStart (template.yaml) the init is snapshotted when a version is published, and a socket
opened then would be stale in every environment restored from it. Flask and boto3 stay off
this path unless the settings ask for DynamoDB.

Uniqueness after a restore (AWS: "Handling uniqueness with Lambda SnapStart"): every
environment resumed from one snapshot starts with the same memory, so anything random made
at init would repeat across them. The only such state is the store's retry jitter
(:func:`skill.store.versioned.reseed`), re-seeded by an after-restore runtime hook from
``snapshot_restore_py``, which Lambda's Python runtimes include; elsewhere there is no
snapshot and nothing to do. Timer labels draw ``os.urandom`` per call, not at init.
"""

from __future__ import annotations

import json
import logging
from typing import Any, cast

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

from skill.alexa.builder import build_skill
from skill.alexa.envelope_check import looks_like_envelope, unreadable_response
from skill.alexa.fast_serializer import FastSerializer
from skill.core.logsafe import describe
from skill.settings import Settings
from skill.store import versioned
from skill.store.factory import adapter_from_settings

log = logging.getLogger(__name__)
_SERIALIZER = FastSerializer()
SETTINGS = Settings.from_env()
SKILL = build_skill(SETTINGS, persistence_adapter=adapter_from_settings(SETTINGS))


def after_restore() -> None:
    """Run once in each environment resumed from a SnapStart snapshot."""
    versioned.reseed()


def _register_restore_hook() -> bool:
    try:
        from snapshot_restore_py import register_after_restore
    except ImportError:  # not on Lambda's managed runtime: no snapshot, nothing to redo
        return False
    register_after_restore(after_restore)
    return True


RESTORE_HOOK = _register_restore_hook()


def invoke(skill: CustomSkill, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Answer one request envelope (a dict) with ``skill``, as the Lambda runtime would.

    Never raises: an envelope the SDK cannot read (an unknown request type, wrong field
    types, JSON nested thousands deep) or a failure past the skill's own exception handler
    gets :func:`~skill.alexa.envelope_check.unreadable_response`, a valid response envelope,
    and one log line naming the error's type and place (never its message, which may quote
    the request)."""
    stage = "envelope"
    try:
        if not looks_like_envelope(event):
            raise SerializationException("not an Alexa request envelope")
        request_envelope = _SERIALIZER.deserialize(json.dumps(event), RequestEnvelope)
        stage = "skill"
        response_envelope = skill.invoke(request_envelope=request_envelope, context=context)
        # A ResponseEnvelope serializes to a dict; serialize() is typed for any model.
        return cast(dict[str, Any], _SERIALIZER.serialize(response_envelope))
    except Exception as error:  # the Lambda entry must answer whatever it is sent
        if stage == "envelope":
            log.warning("request_rejected reason=undecodable error=%s", type(error).__name__)
        else:
            log.error("unhandled_error %s", describe(error))
        return unreadable_response(event)


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Answer one Alexa request envelope (a dict) with a response envelope (a dict)."""
    return invoke(SKILL, event, context)
