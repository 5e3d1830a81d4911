"""What one request carries from the interceptors to the handlers and the renderer.

Why one object: the interceptors used to pass eight loose request-attribute keys (settings,
catalogue, deadline, and five for the memory), each read back with its own ``isinstance``
check. One typed :class:`RequestScope`, set up by :class:`ScopeInterceptor` with the settings
the skill was built with, says in one place what a turn has; a handler reached without it (an
exception raised before the interceptors ran) gets a default one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput

from skill.core.catalogue import Catalogue, catalogue_for
from skill.core.deadline import TURN_BUDGET_SECONDS, Deadline
from skill.settings import Settings
from skill.store.safe import SafeAdapter

#: The one request attribute this skill sets.
SCOPE_KEY = "cramp_coach"


@dataclass
class Memory:
    """This turn's persistent record, as the memory interceptor read it."""

    store: SafeAdapter
    #: The person's attributes (the turn mutates them), or None: the read failed this turn.
    attributes: dict[str, Any] | None = None
    #: A shallow copy of the attributes as read: the base of the turn's change, for telling
    #: whether the turn changed them and for a rebase (skill/alexa/handlers/persistence.py).
    base: dict[str, Any] = field(default_factory=dict)
    #: The record's version as read (a conditional write lands only on it).
    version: int | None = None
    #: Whether the record's expiry is due to be renewed (a write even when nothing changed).
    refresh_due: bool = False
    #: Set once the turn's changes were written (or found unchanged): one write per turn.
    committed: bool = False


@dataclass
class RequestScope:
    """The operator's settings, the request's words, the turn's deadline and its memory."""

    settings: Settings
    catalogue: Catalogue
    deadline: Deadline
    #: None when the skill keeps no memory (no store configured).
    memory: Memory | None = None


def scope_of(handler_input: HandlerInput) -> RequestScope:
    """This request's scope; a default one (default settings, the request's locale, a fresh
    deadline) when no interceptor set it up."""
    attributes = handler_input.attributes_manager.request_attributes
    scope = attributes.get(SCOPE_KEY)
    if not isinstance(scope, RequestScope):
        locale = getattr(handler_input.request_envelope.request, "locale", None)
        scope = attributes[SCOPE_KEY] = RequestScope(Settings(), catalogue_for(locale), Deadline())
    return scope


class ScopeInterceptor(AbstractRequestInterceptor):
    """Starts the turn: its deadline first (before anything waits on I/O), the settings given
    at build time, and the catalogue of the request's locale, chosen once for every handler,
    the renderer and the memory."""

    def __init__(self, settings: Settings, budget: float = TURN_BUDGET_SECONDS) -> None:
        self.settings = settings
        self.budget = budget

    def process(self, handler_input: HandlerInput) -> None:
        locale = getattr(handler_input.request_envelope.request, "locale", None)
        handler_input.attributes_manager.request_attributes[SCOPE_KEY] = RequestScope(
            self.settings, catalogue_for(locale), Deadline(self.budget)
        )
