"""AWS Lambda entry point: ``skill.lambda_handler.handler(event, context)``.

The skill is built once at import (the cold start) and reused by warm invocations.
Flask and boto3 stay off this path unless the settings ask for DynamoDB.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

from skill.builder import build_skill
from skill.settings import Settings
from skill.store import adapter_from_settings

_SERIALIZER = DefaultSerializer()

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def handler_for(skill: CustomSkill) -> Handler:
    """A Lambda-style handler (event dict in, response dict out) answering with ``skill``."""

    def handle(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        request_envelope = _SERIALIZER.deserialize(json.dumps(event), RequestEnvelope)
        response_envelope = skill.invoke(request_envelope=request_envelope, context=context)
        return _SERIALIZER.serialize(response_envelope)

    return handle


SETTINGS = Settings.from_env()
SKILL = build_skill(SETTINGS, persistence_adapter=adapter_from_settings(SETTINGS))
_HANDLE = handler_for(SKILL)


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Answer one Alexa request envelope (a dict) with a response envelope (a dict)."""
    return _HANDLE(event, context)
