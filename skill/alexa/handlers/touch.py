"""The screen's touch buttons: ``Alexa.Presentation.APL.UserEvent`` to the same dialog
functions as the spoken intents (:mod:`skill.core.touch`)."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.alexa.handlers.base import DialogHandler
from skill.core import touch

USER_EVENT = "Alexa.Presentation.APL.UserEvent"


class TouchHandler(DialogHandler):
    """A button press; its ``arguments`` are untrusted input, checked by touch.parse."""

    def __init__(self) -> None:
        # touch.touched clears a pending question itself for the buttons that may not
        # answer one, as the intents' handlers do.
        unknown = lambda turn: touch.touched(turn, None)  # noqa: E731
        super().__init__(unknown, request_types=(USER_EVENT,), answers_question=True)

    def handle(self, handler_input: HandlerInput) -> Response:
        arguments = getattr(handler_input.request_envelope.request, "arguments", None)
        return self.respond(handler_input, lambda turn: touch.touched(turn, arguments))

    def __repr__(self) -> str:
        return f"TouchHandler({USER_EVENT})"


HANDLERS: list[DialogHandler] = [TouchHandler()]
