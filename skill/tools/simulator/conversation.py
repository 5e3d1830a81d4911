"""Drive the skill turn by turn with real request envelopes, as Alexa does.

Shared by the tests, the terminal simulator and the benchmarks: a :class:`Conversation`
sends envelopes to any handler callable (the Lambda entry point, an HTTP client) and
carries the session attributes from each response into the next request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from skill.core import screens, ssml
from skill.core.holds import HOLD_TAG
from skill.core.ssml import plain_text
from skill.tools.simulator.envelopes import EnvelopeFactory

Handler = Callable[[dict[str, Any]], dict[str, Any]]

APL_RENDER = "Alexa.Presentation.APL.RenderDocument"
APLA_RENDER = "Alexa.Presentation.APLA.RenderDocument"


def apla_as_ssml(datasources: dict[str, Any]) -> str:
    """What the APLA countdown (skill/data/apla/hold.json) plays, as an SSML body: each cue's
    speech and each Silence (as breaks of at most 10 s) inside the hold element, as the
    spoken countdown is, then what follows the hold."""
    parts: list[str] = []
    hold = datasources.get("hold") or {}
    for item in hold.get("items") or []:
        if item.get("kind") == "speech":
            parts.append(ssml.unwrap(item.get("ssml", "")))
        else:
            left = float(item.get("ms", 0)) / 1000
            while left > 0.0005:
                chunk = min(ssml.MAX_BREAK_SECONDS, left)
                parts.append(ssml.pause(round(chunk, 3)))
                left -= chunk
    body = f"<{HOLD_TAG}>{''.join(parts)}</{HOLD_TAG}>" if parts else ""
    if hold.get("after"):
        body += ssml.unwrap(hold["after"])
    return body


@dataclass(frozen=True)
class Heard:
    """One response envelope, read the way a listener experiences it."""

    envelope: dict[str, Any]

    @property
    def response(self) -> dict[str, Any]:
        return self.envelope.get("response") or {}

    @property
    def output_ssml(self) -> str:
        """The response's outputSpeech alone."""
        return str((self.response.get("outputSpeech") or {}).get("ssml", ""))

    @property
    def ssml(self) -> str:
        """Everything the listener hears, in order: the outputSpeech, then any APLA audio."""
        spoken = self.output_ssml
        audio = [apla_as_ssml(d.get("datasources") or {}) for d in self.directives_of(APLA_RENDER)]
        if not audio:
            return spoken
        return ssml.wrap(ssml.unwrap(spoken) + "".join(audio)) if spoken else ""

    def directives_of(self, kind: str) -> list[dict[str, Any]]:
        return [d for d in self.directives if d.get("type") == kind]

    @property
    def screen(self) -> dict[str, Any] | None:
        """The APL data source of the screen shown with this response, if any."""
        shown = self.directives_of(APL_RENDER)
        return shown[-1].get("datasources") if shown else None

    @property
    def screen_summary(self) -> str:
        """One line saying what the screen shows ("" without a screen)."""
        return screens.summary(self.screen) if self.screen else ""

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

    def touch(self, *arguments: Any) -> Heard:
        """Press a screen button: a UserEvent carrying ``arguments``."""
        return self.send(self.factory.user_event(list(arguments)))

    def end_session(self, reason: str = "USER_INITIATED") -> Heard:
        heard = Heard(self.handler(self.factory.session_ended(reason)))
        self.factory.new_session()
        return heard

    def new_session(self) -> None:
        self.factory.new_session()
