"""The skill's answer as plain data, independent of the ASK SDK.

Dialog logic returns a :class:`Reply` of message keys (:class:`skill.core.speech.Speech`); only
:func:`skill.alexa.render.render` turns it into words, through the request's catalogue, and
into an SDK response. That keeps the logic testable without Alexa types or a language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from skill.core.speech import Msg, Speech


@dataclass
class Reply:
    """What the skill says and does in one turn.

    ``speech`` and ``reprompt`` are what to say, as message keys (rendered and escaped by
    :func:`skill.core.speech.render`). A reply that keeps the session open must carry a
    reprompt; one without a reprompt ends the session unless ``end_session`` is ``None``
    and nothing else was asked (e.g. a pause).
    """

    speech: Speech
    reprompt: Speech | None = None
    end_session: bool | None = None
    card_title: Msg | None = None
    card_text: Speech | None = None
    directives: list[Any] = field(default_factory=list)
    #: Extra response payload for specialised handlers (e.g. a consent card object).
    card: Any = None
    #: The APL data source of this turn's screen (skill.core.screens), or None. Sent only to
    #: devices that declare APL (skill.alexa.presentation).
    screen: dict[str, Any] | None = None
    #: What to say instead when this turn's change to the persistent memory could not be
    #: stored (a reply that says "noted" or "deleted" must set it; see
    #: skill.alexa.handlers.persistence.commit). None: the reply holds either way.
    unsaved: Reply | None = None

    @property
    def keeps_session_open(self) -> bool:
        return self.reprompt is not None and self.end_session is not True


def ask(speech: Speech, reprompt: Speech, **kwargs: Any) -> Reply:
    """A reply that asks something and keeps the microphone open."""
    return Reply(speech=speech, reprompt=reprompt, end_session=False, **kwargs)


def tell(speech: Speech, **kwargs: Any) -> Reply:
    """A reply that says something and ends the session."""
    return Reply(speech=speech, reprompt=None, end_session=True, **kwargs)
