"""Drive the skill turn by turn with real request envelopes, as Alexa does.

Shared by the tests, the terminal simulator and the benchmarks: a :class:`Conversation`
sends envelopes to any handler callable (the Lambda entry point, an HTTP client) and
carries the session attributes from each response into the next request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from skill.core.ssml import plain_text
from skill.tools.envelopes import EnvelopeFactory

Handler = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Heard:
    """One response envelope, read the way a listener experiences it."""

    envelope: dict[str, Any]

    @property
    def response(self) -> dict[str, Any]:
        return self.envelope.get("response") or {}

    @property
    def ssml(self) -> str:
        return str((self.response.get("outputSpeech") or {}).get("ssml", ""))

    @property
    def speech(self) -> str:
        """The words spoken, without markup."""
        return plain_text(self.ssml) if self.ssml else ""

    @property
    def reprompt_ssml(self) -> str:
        reprompt = self.response.get("reprompt") or {}
        return str((reprompt.get("outputSpeech") or {}).get("ssml", ""))

    @property
    def reprompt(self) -> str:
        return plain_text(self.reprompt_ssml) if self.reprompt_ssml else ""

    @property
    def ended(self) -> bool:
        return self.response.get("shouldEndSession") is True

    @property
    def session_attributes(self) -> dict[str, Any]:
        return self.envelope.get("sessionAttributes") or {}

    @property
    def directives(self) -> list[dict[str, Any]]:
        return self.response.get("directives") or []

    @property
    def card(self) -> dict[str, Any] | None:
        return self.response.get("card")


class Conversation:
    """A simulated user talking to the skill across turns and sessions."""

    def __init__(self, handler: Handler, factory: EnvelopeFactory | None = None) -> None:
        self.handler = handler
        self.factory = factory or EnvelopeFactory()

    def send(self, envelope: dict[str, Any]) -> Heard:
        heard = Heard(self.handler(envelope))
        self.factory.carry(heard.envelope)
        return heard

    def launch(self) -> Heard:
        return self.send(self.factory.launch())

    def intent(self, name: str, **slots: Any) -> Heard:
        return self.send(self.factory.intent(name, slots))

    def end_session(self, reason: str = "USER_INITIATED") -> Heard:
        heard = Heard(self.handler(self.factory.session_ended(reason)))
        self.factory.new_session()
        return heard

    def new_session(self) -> None:
        self.factory.new_session()
