"""Handlers for real Alexa timers: the timer intents and the permission answer."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill.alexa.handlers.base import DialogHandler
from skill.core import reminder_dialog, reminder_plan, timer_actions, timer_dialog
from skill.core.consent import ConsentAnswer
from skill.core.reply import Reply
from skill.core.turn import Turn


def consent_answer_of(handler_input: HandlerInput) -> ConsentAnswer:
    """The plain facts of an AskFor ``Connections.Response``."""
    request = handler_input.request_envelope.request
    payload = getattr(request, "payload", None) or {}
    status = getattr(request, "status", None)
    return ConsentAnswer(
        status=str(payload.get("status") or "NOT_ANSWERED"),
        card_thrown=payload.get("isCardThrown") is True,
        token=getattr(request, "token", None),
        code=str(getattr(status, "code", None) or "200"),
    )


def _unknown_answer(turn: Turn) -> Reply:
    return timer_dialog.consent_answered(turn, ConsentAnswer(status="NOT_ANSWERED"))


class ConsentAnswerHandler(DialogHandler):
    """Alexa's answer to the skill's AskFor request (the timers or reminders permission)."""

    def __init__(self) -> None:
        super().__init__(_unknown_answer, request_types=("Connections.Response",))

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return (
            is_request_type("Connections.Response")(handler_input)
            and getattr(request, "name", None) == "AskFor"
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        answer = consent_answer_of(handler_input)
        # The token says which permission was asked for: reminders, else timers.
        if reminder_plan.is_reminder_token(answer.token):
            return self.respond(
                handler_input, lambda turn: reminder_dialog.consent_answered(turn, answer)
            )
        return self.respond(handler_input, lambda turn: timer_dialog.consent_answered(turn, answer))

    def __repr__(self) -> str:
        return "ConsentAnswerHandler(Connections.Response AskFor)"


HANDLERS: list[DialogHandler] = [
    DialogHandler(timer_dialog.set_timer, intents=("SetTimerIntent",)),
    DialogHandler(timer_actions.timer_status, intents=("TimerStatusIntent",)),
    DialogHandler(timer_actions.pause_timer, intents=("PauseTimerIntent",)),
    DialogHandler(timer_actions.resume_timer, intents=("ResumeTimerIntent",)),
    DialogHandler(timer_actions.cancel_timer, intents=("CancelTimerIntent",)),
    ConsentAnswerHandler(),
]
