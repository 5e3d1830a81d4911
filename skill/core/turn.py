"""One conversational turn as plain data: what dialog logic needs, without Alexa types."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from skill.core.catalogue import DEFAULT_LOCALE, Catalogue, catalogue_for
from skill.core.deadline import Deadline
from skill.core.reminders import ReminderService
from skill.core.state import SessionState
from skill.core.timers import TimerService
from skill.settings import Settings


@dataclass(frozen=True)
class AlexaApi:
    """Where and as whom to call Alexa for this request: ``context.System.apiEndpoint``
    and ``apiAccessToken`` (and the request's id, which a progressive response names)."""

    endpoint: str
    token: str
    request_id: str = ""
    #: ``context.System.device.deviceId``: the settings API (time zone) is per device.
    device_id: str | None = None


@dataclass(frozen=True)
class SlotValue:
    """A filled slot: what was heard (``value``) and the entity-resolution id, if any."""

    value: str
    id: str | None = None


@dataclass
class Turn:
    """The input of one turn. ``state`` is the session attributes dict; logic mutates it
    and the SDK sends it back to Alexa, so the server keeps no conversation state."""

    state: SessionState = field(default_factory=lambda: SessionState())
    slots: dict[str, SlotValue] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    locale: str = DEFAULT_LOCALE
    #: The words of this request's locale, chosen once per request (see
    #: :mod:`skill.core.catalogue`); dialog code reads knowledge and routines from it.
    catalogue: Catalogue = field(default_factory=lambda: catalogue_for(DEFAULT_LOCALE))
    new_session: bool = False
    #: Persistent attributes (preferences, cramp log; see :mod:`skill.core.memory`), or None when
    #: no store is configured or it could not be read this turn. Mutate it in place: it is
    #: saved after the turn if it changed (and deleted from the store if it became empty).
    persistent: dict[str, Any] | None = None
    #: When the request was made (epoch seconds, from the request's timestamp).
    now: float = field(default_factory=time.time)
    #: Endpoint and token for Alexa service calls (timers); None when the request has none.
    alexa_api: AlexaApi | None = None
    #: The timer calls this turn may make (skill.alexa.timers.AlexaTimers, set up at the
    #: edge when the request has an API endpoint); None: no timers, a spoken fallback.
    timers: TimerService | None = None
    #: The reminder calls (skill.alexa.reminders.AlexaReminders, set up at the edge like
    #: ``timers``); None: no reminders, said plainly.
    reminders: ReminderService | None = None
    #: The turn's one wall-clock budget for store and Alexa API calls (skill.core.deadline).
    deadline: Deadline = field(default_factory=Deadline)
    #: Whether this skill keeps memory at all (a store is configured). With it on,
    #: ``persistent`` None means the store failed this turn, which a retry may mend; with
    #: it off, nothing is kept, and no answer may suggest trying again.
    memory_on: bool = True
    #: Whether the device draws APL screens: without, no screen data is built (none is sent).
    shows_screen: bool = True

    def slot(self, name: str) -> SlotValue | None:
        return self.slots.get(name)

    def slot_id(self, name: str) -> str | None:
        """The resolved id of a custom slot, falling back to the lower-cased raw value."""
        slot = self.slots.get(name)
        if slot is None:
            return None
        return slot.id or slot.value.strip().lower()
