"""Assemble the ASK SDK skill from the handler modules.

One function builds the skill for every host (Lambda, Flask, the simulator, benchmarks),
so they all answer identically.
"""

from __future__ import annotations

from typing import Any

from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from skill.alexa.handlers import exception_handlers, request_handlers, request_interceptors
from skill.alexa.handlers.persistence import LoadMemoryInterceptor, SaveMemoryInterceptor
from skill.core.deadline import TURN_BUDGET_SECONDS
from skill.settings import Settings
from skill.store.safe import safe


def build_skill(
    settings: Settings | None = None,
    persistence_adapter: Any = None,
    api_client: Any = None,
    turn_budget: float = TURN_BUDGET_SECONDS,
) -> CustomSkill:
    """Build the Cramp Coach skill.

    ``persistence_adapter`` is an ask-sdk ``AbstractPersistenceAdapter`` (or None: nothing is
    remembered between sessions; hosts get theirs from
    :func:`skill.store.factory.adapter_from_settings`). It is wrapped so a store fault never loses
    the turn. ``api_client`` is an ask-sdk ``ApiClient`` for Alexa service calls (timers).
    ``turn_budget`` is the wall-clock seconds a turn may wait on the store and Alexa APIs.
    """
    settings = settings or Settings.from_env()
    store = safe(persistence_adapter)
    builder = (
        CustomSkillBuilder(api_client=api_client)
        if store is None
        else CustomSkillBuilder(persistence_adapter=store, api_client=api_client)
    )
    for interceptor in request_interceptors(settings, turn_budget):
        builder.add_global_request_interceptor(interceptor)
    if store is not None:
        builder.add_global_request_interceptor(
            LoadMemoryInterceptor(store, cramp_log=settings.cramp_log)
        )
        builder.add_global_response_interceptor(SaveMemoryInterceptor(store))
    for handler in request_handlers():
        builder.add_request_handler(handler)
    for exception_handler in exception_handlers():
        builder.add_exception_handler(exception_handler)
    return builder.create()
