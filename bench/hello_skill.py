"""The baseline: a minimal ask-sdk-core skill that says hello to any request.

Built the same way as the real skill (CustomSkillBuilder, one handler, Lambda-style
serialise/deserialise), so a ratio against it shows what Cramp Coach itself costs.
"""

from __future__ import annotations

import json
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope


class HelloHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: Any) -> bool:
        return True

    def handle(self, handler_input: Any) -> Any:
        return handler_input.response_builder.speak("Hello world.").ask("Say hello.").response


_builder = CustomSkillBuilder()
_builder.add_request_handler(HelloHandler())
SKILL = _builder.create()
_SERIALIZER = DefaultSerializer()


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    envelope = _SERIALIZER.deserialize(json.dumps(event), RequestEnvelope)
    return _SERIALIZER.serialize(SKILL.invoke(request_envelope=envelope, context=context))
