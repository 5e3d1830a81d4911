"""Turn a :class:`skill.core.reply.Reply` into an ASK SDK response, in the request's words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from skill.alexa.presentation import directives
from skill.alexa.scope import scope_of
from skill.core import speech
from skill.core.catalogue import Catalogue
from skill.core.holds import apla_hold, render_hold
from skill.core.reply import Reply
from skill.core.ssml import plain_text, wrap
from skill.settings import Settings


@dataclass(frozen=True)
class Spoken:
    """A reply's speech and reprompt as SSML bodies (no ``<speak>``), and the data source of
    the APLA countdown that plays after the speech (None when the hold, if any, is in the
    speech)."""

    speech: str
    reprompt: str | None
    audio: dict[str, Any] | None = None


def apla_holds(settings: Settings, catalogue: Catalogue) -> bool:
    """Whether holds are counted by APL for audio: the operator's choice
    (``CRAMP_COACH_HOLD_AUDIO``); by default yes, unless hosted clips in the request's
    language are configured."""
    if settings.hold_audio != "auto":
        return settings.hold_audio == "apla"
    return not (settings.audio_base_url and catalogue.uses_clips)


def hold_renderer(catalogue: Catalogue, settings: Settings) -> speech.HoldRenderer:
    """How a hold in the speech sounds: the hosted countdown clip where the operator hosts
    clips and the language has them, else the catalogue's spoken countdown."""
    # The manifest is looked at only where clips are hosted at all.
    url = settings.audio_base_url if settings.audio_base_url and catalogue.uses_clips else None
    return lambda seconds: render_hold(seconds, catalogue.countdown, url).ssml


def spoken(reply: Reply, catalogue: Catalogue, settings: Settings, apla_ok: bool = True) -> Spoken:
    """Render the reply's message keys through ``catalogue`` (the one place words are chosen).

    With APLA holds, a hold and what follows it leave the speech for the APLA countdown:
    Alexa says the speech, then plays the countdown with exact silences. ``apla_ok`` False
    (the device reported an APLA error this session) keeps the hold in the speech."""
    holds = hold_renderer(catalogue, settings)
    reprompt = None if reply.reprompt is None else speech.render(reply.reprompt, catalogue, holds)
    before, hold, after = speech.split_hold(reply.speech)
    if hold is None or not before or not apla_ok or not apla_holds(settings, catalogue):
        return Spoken(speech.render(reply.speech, catalogue, holds), reprompt)
    # Only the APLA form: a spoken countdown rendered here would never be sent.
    countdown = apla_hold(hold.seconds, catalogue.countdown, settings.hold_tick)
    then = speech.render(after, catalogue, holds)
    audio = {"hold": {**countdown, "after": wrap(then) if then else ""}}
    return Spoken(speech.render(before, catalogue, holds), reprompt, audio)


def render(handler_input: HandlerInput, reply: Reply, said: Spoken | None = None) -> Response:
    """Build the SDK response for ``reply`` (SSML wrapped once, session flag explicit);
    ``said`` is the reply already rendered, if the caller needed it first."""
    scope = scope_of(handler_input)
    catalogue = scope.catalogue
    said = said or spoken(reply, catalogue, scope.settings)
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
    for directive in [*reply.directives, *directives(handler_input, reply, said.audio)]:
        builder.add_directive(directive)
    return builder.response
