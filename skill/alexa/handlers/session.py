"""Session attributes are checked against the skill's schema before any handler runs."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput

from skill.core.session_state import clean

log = logging.getLogger(__name__)


class SessionStateInterceptor(AbstractRequestInterceptor):
    """Replace the request's session attributes by their checked form (see
    :mod:`skill.core.session_state`); log how many were dropped, never what they held."""

    def process(self, handler_input: HandlerInput) -> None:
        session = handler_input.request_envelope.session
        if session is None:
            return
        kept, dropped = clean(session.attributes)
        if dropped:
            log.warning("dropped %d session attribute(s) that did not fit the schema", dropped)
        handler_input.attributes_manager.session_attributes = kept
