"""Turn a :class:`skill.core.reply.Reply` into an ASK SDK response."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from skill.alexa.presentation import directives
from skill.core.reply import Reply
from skill.core.ssml import plain_text, wrap


def render(handler_input: HandlerInput, reply: Reply) -> Response:
    """Build the SDK response for ``reply`` (SSML wrapped once, session flag explicit; the
    screen only on devices with APL)."""
    builder = handler_input.response_builder
    builder.speak(wrap(reply.speech))
    if reply.reprompt is not None and reply.end_session is not True:
        builder.ask(wrap(reply.reprompt))
    elif reply.end_session is not None:
        builder.set_should_end_session(reply.end_session)
    if reply.card is not None:
        builder.set_card(reply.card)
    elif reply.card_title:
        builder.set_card(
            SimpleCard(
                title=reply.card_title, content=reply.card_text or plain_text(wrap(reply.speech))
            )
        )
    for directive in [*reply.directives, *directives(handler_input, reply)]:
        builder.add_directive(directive)
    return builder.response
