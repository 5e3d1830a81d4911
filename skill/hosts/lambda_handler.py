"""AWS Lambda entry point: ``skill.hosts.lambda_handler.handler(event, context)``.

The skill is built once at import (the cold start) and reused by warm invocations.
Flask and boto3 stay off this path unless the settings ask for DynamoDB.
"""

from __future__ import annotations

import json
from typing import Any, cast

from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

from skill.alexa.builder import build_skill
from skill.alexa.fast_serializer import FastSerializer
from skill.settings import Settings
from skill.store import adapter_from_settings

_SERIALIZER = FastSerializer()
SETTINGS = Settings.from_env()
SKILL = build_skill(SETTINGS, persistence_adapter=adapter_from_settings(SETTINGS))


def invoke(skill: CustomSkill, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Answer one request envelope (a dict) with ``skill``, as the Lambda runtime would."""
    request_envelope = _SERIALIZER.deserialize(json.dumps(event), RequestEnvelope)
    response_envelope = skill.invoke(request_envelope=request_envelope, context=context)
    # A ResponseEnvelope serializes to a dict; serialize() is typed for any model.
    return cast(dict[str, Any], _SERIALIZER.serialize(response_envelope))


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Answer one Alexa request envelope (a dict) with a response envelope (a dict)."""
    return invoke(SKILL, event, context)
