"""The screen's touch buttons: ``Alexa.Presentation.APL.UserEvent`` to the same dialog
functions as the spoken intents (:mod:`skill.core.touch`); and the devices' reports that a
screen or an APLA countdown could not be rendered (``RuntimeError`` requests)."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill.alexa.handlers.base import DialogHandler
from skill.core import touch
from skill.core.logsafe import clean
from skill.core.state import session_state

log = logging.getLogger(__name__)

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


HANDLERS: list[AbstractRequestHandler] = [TouchHandler()]


APL_ERROR = "Alexa.Presentation.APL.RuntimeError"
APLA_ERROR = "Alexa.Presentation.APLA.RuntimeError"


class PresentationErrorHandler(AbstractRequestHandler):
    """A device reports that it could not render a screen or play an APLA countdown. Nothing
    is said (the person heard the speech already); the error is logged, and after an APLA
    error the rest of the session counts holds in the speech (the SSML fallback)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type(APL_ERROR)(handler_input) or is_request_type(APLA_ERROR)(
            handler_input
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        errors = getattr(request, "errors", None)
        kinds = [
            clean(getattr(e, "object_type", None) or getattr(e, "type", None) or type(e).__name__)
            for e in (errors if isinstance(errors, list) else [])[:5]
        ]
        kind = getattr(request, "object_type", "")
        log.warning("presentation_error request=%s errors=%s", clean(kind), ",".join(kinds))
        if kind == APLA_ERROR:
            # Holds go back into the speech for the rest of the session (skill.alexa.render).
            state = session_state(handler_input.attributes_manager.session_attributes)
            state["apla_failed"] = True
        return handler_input.response_builder.response


HANDLERS.append(PresentationErrorHandler())
