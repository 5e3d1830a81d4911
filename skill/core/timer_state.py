"""The timers this skill set in this session, and one waiting for permission: kept in the
session attributes under ``timers`` (:class:`skill.core.state.Timers`) for the timer dialog
(:mod:`skill.core.timer_dialog`)."""

from __future__ import annotations

from skill.core.state import PendingTimer, TimerRecord, Timers
from skill.core.timers import TimerSpec
from skill.core.turn import Turn

#: Alexa allows ten timers per person; remembering more ids than that is pointless.
_MAX_KNOWN = 10


def _state(turn: Turn) -> Timers:
    state = turn.state.get("timers")
    if not isinstance(state, dict):
        state = turn.state["timers"] = Timers()
    return state


def known(turn: Turn) -> list[TimerRecord]:
    """Timers this skill set in this session, oldest first."""
    found: list[TimerRecord] = []
    for entry in _state(turn).get("ids") or []:
        if isinstance(entry, dict) and entry.get("id"):
            found.append(TimerRecord(id=str(entry["id"]), kind=str(entry.get("kind", "hold"))))
    return found


def save_known(turn: Turn, timers: list[TimerRecord]) -> None:
    _state(turn)["ids"] = timers[-_MAX_KNOWN:]


def remember(turn: Turn, timer_id: str, kind: str) -> None:
    save_known(turn, [*known(turn), TimerRecord(id=timer_id, kind=kind)])


def forget(turn: Turn, timer_ids: set[str]) -> None:
    save_known(turn, [t for t in known(turn) if t["id"] not in timer_ids])


def set_pending(turn: Turn, spec: TimerSpec | None) -> None:
    if spec is None:
        _state(turn).pop("pending", None)
    else:
        _state(turn)["pending"] = PendingTimer(kind=spec.kind, seconds=spec.seconds)


def pending(turn: Turn) -> TimerSpec | None:
    return TimerSpec.from_dict(_state(turn).get("pending"))
