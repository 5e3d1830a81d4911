"""AWS Lambda entry point: ``skill.hosts.lambda_handler.handler(event, context)``.

The skill is built once at import (the cold start) and reused by warm invocations.
Flask and boto3 stay off this path unless the settings ask for DynamoDB.
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
from skill.store import adapter_from_settings

log = logging.getLogger(__name__)
_SERIALIZER = FastSerializer()
SETTINGS = Settings.from_env()
SKILL = build_skill(SETTINGS, persistence_adapter=adapter_from_settings(SETTINGS))


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
