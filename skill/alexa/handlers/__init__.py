"""All request handlers, interceptors and exception handlers, in dispatch order."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestHandler,
    AbstractRequestInterceptor,
)

from skill.alexa.handlers import core, memory, reminders, session, timers, touch
from skill.settings import Settings


def request_interceptors(settings: Settings) -> list[AbstractRequestInterceptor]:
    # The session's attributes are checked first: nothing else sees them unchecked.
    return [
        session.SessionStateInterceptor(),
        core.SettingsInterceptor(settings),
        core.LocaleInterceptor(),
    ]


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
