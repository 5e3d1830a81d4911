"""What the reminder conversation asks of Alexa, as a service the turn carries.

:class:`ReminderService` is the shape of the calls (the Reminders API and the device's time
zone, at the edge: :class:`skill.alexa.reminders.AlexaReminders`), so the dialog
(:mod:`skill.core.reminder_dialog`) stays plain Python like the timers' (skill.core.timers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, Protocol

from skill.core.reminder_plan import ReminderPlan


class ReminderError(Exception):
    """A reminder call failed; ``status`` is the API's HTTP status when it answered."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Listed:
    """One of this skill's reminders as the API holds it: its token, its kind (stretch or
    fluids), what it is (None when its time cannot be read back), and its first ring time on
    the person's clock, if known."""

    token: str
    kind: str
    plan: ReminderPlan | None
    first: datetime | None = None


class ReminderService(Protocol):
    """The reminder calls one turn may make; each raises :class:`ReminderError` on failure,
    except :meth:`zone`, which gives None when the time zone cannot be had."""

    def zone(self) -> tzinfo | None:
        """The device's time zone (the settings API)."""

    def create(
        self, plan: ReminderPlan, first: datetime | None, now: datetime, zone: tzinfo | None
    ) -> None:
        """Set the reminder: at ``first`` (local) in ``zone``, or relative to now."""

    def listed(self, zone: tzinfo | None) -> list[Listed]:
        """This skill's reminders for this person that will still ring."""

    def delete(self, token: str) -> None: ...

    def consent_request(self, plan: ReminderPlan) -> Any:
        """The directive that has Alexa ask for the reminders permission."""

    def consent_card(self) -> Any:
        """The app card that links to the reminders permission."""
