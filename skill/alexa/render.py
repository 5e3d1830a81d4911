"""Turn a :class:`skill.core.reply.Reply` into an ASK SDK response, in the request's words."""

from __future__ import annotations

from dataclasses import dataclass

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from skill.core import speech
from skill.core.catalogue import Catalogue, catalogue_for
from skill.core.reply import Reply
from skill.core.ssml import plain_text, wrap
from skill.settings import Settings

#: Request attributes set by the request interceptors (skill/alexa/handlers/core.py).
SETTINGS_KEY = "settings"
CATALOGUE_KEY = "catalogue"


def settings_of(handler_input: HandlerInput) -> Settings:
    settings = handler_input.attributes_manager.request_attributes.get(SETTINGS_KEY)
    return settings if isinstance(settings, Settings) else Settings()


def catalogue_of(handler_input: HandlerInput) -> Catalogue:
    """This request's catalogue (chosen by the locale interceptor; from the request's
    locale if it has not run, e.g. when an interceptor before it failed)."""
    chosen = handler_input.attributes_manager.request_attributes.get(CATALOGUE_KEY)
    if isinstance(chosen, Catalogue):
        return chosen
    request = handler_input.request_envelope.request
    return catalogue_for(getattr(request, "locale", None))


@dataclass(frozen=True)
class Spoken:
    """A reply's speech and reprompt as SSML bodies (no ``<speak>``)."""

    speech: str
    reprompt: str | None


def spoken(reply: Reply, catalogue: Catalogue, settings: Settings) -> Spoken:
    """Render the reply's message keys through ``catalogue`` (the one place words are chosen)."""
    url = settings.audio_base_url
    return Spoken(
        speech=speech.render(reply.speech, catalogue, url),
        reprompt=None if reply.reprompt is None else speech.render(reply.reprompt, catalogue, url),
    )


def render(handler_input: HandlerInput, reply: Reply, said: Spoken | None = None) -> Response:
    """Build the SDK response for ``reply`` (SSML wrapped once, session flag explicit);
    ``said`` is the reply already rendered, if the caller needed it first."""
    catalogue = catalogue_of(handler_input)
    said = said or spoken(reply, catalogue, settings_of(handler_input))
    builder = handler_input.response_builder
    builder.speak(wrap(said.speech))
    if said.reprompt is not None and reply.end_session is not True:
        builder.ask(wrap(said.reprompt))
    elif reply.end_session is not None:
        builder.set_should_end_session(reply.end_session)
    if reply.card is not None:
        builder.set_card(reply.card)
    elif reply.card_title:
        content = (
            speech.plain(reply.card_text, catalogue)
            if reply.card_text
            else plain_text(wrap(said.speech))
        )
        builder.set_card(
            SimpleCard(title=speech.text_of(reply.card_title, catalogue), content=content)
        )
    for directive in reply.directives:
        builder.add_directive(directive)
    return builder.response
