"""What Alexa reports after asking the person for a permission by voice (the timers or the
reminders permission): one value both dialogs read, from the Connections.Response the edge
turns into it (skill/alexa/handlers/timers.py, reminders.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConsentAnswer:
    """What Alexa reports after asking the person for a permission."""

    status: str
    card_thrown: bool = False
    token: str | None = None
    code: str = "200"

    @property
    def accepted(self) -> bool:
        return self.code == "200" and self.status == "ACCEPTED"
