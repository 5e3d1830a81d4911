"""All request handlers, interceptors and exception handlers, in dispatch order."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestHandler,
    AbstractRequestInterceptor,
)

from skill.alexa.handlers import core, memory, reminders, session, timers, touch
from skill.alexa.scope import ScopeInterceptor
from skill.settings import Settings


def request_interceptors(settings: Settings, budget: float) -> list[AbstractRequestInterceptor]:
    # The scope first (the turn's deadline starts before anything waits); then the session's
    # attributes are checked: nothing else sees them unchecked.
    return [ScopeInterceptor(settings, budget), session.SessionStateInterceptor()]


def request_handlers() -> list[AbstractRequestHandler]:
    # Specific handlers first; core ends with the catch-all fallbacks.
    return [
        *timers.HANDLERS,
        *reminders.HANDLERS,
        *touch.HANDLERS,
        *memory.handlers(),
        *core.HANDLERS,
    ]


def exception_handlers() -> list[AbstractExceptionHandler]:
    return [core.CatchAllExceptionHandler()]
