"""What the skill remembers about a person, as plain functions over the persistent dict.

Kept: the preferred hold length, the last routine position (to resume within 15 minutes),
and, only where the operator leaves the cramp log on and the person says yes, a log of cramp
times (90 days only) and when the frequent-cramp advice was last given (:data:`RECORD_KEYS`);
the times of completed stretch sessions (90 days) and when a reminder was last offered.
Nothing else: no names, no free text, no device ids.

Times are whole epoch seconds passed in by the caller (``now``), so the logic is testable
without a clock (the shared basics: :mod:`skill.core.record`). The cramp log and its consent
have a module of their own, :mod:`skill.core.cramp_log`, which their callers import.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from skill.core.cramp_log import ADVISED as _ADVISED
from skill.core.cramp_log import CONSENT as _CONSENT
from skill.core.cramp_log import CRAMPS as _CRAMPS
from skill.core.cramp_log import all_times as _all_times
from skill.core.cramp_log import log_consent, log_cramp
from skill.core.hold_range import HoldSeconds, as_hold
from skill.core.record import DAY as DAY
from skill.core.record import MINUTE as MINUTE
from skill.core.record import SCHEMA_VERSION as SCHEMA_VERSION
from skill.core.record import Memory as Memory
from skill.core.record import read_int as _int
from skill.core.record import touch as _touch
from skill.store.values import is_decimal
from skill.store.versioned import Dropped

#: A routine left less than this long ago can be resumed.
RESUME_WINDOW_SECONDS = 15 * MINUTE
#: The preferred hold length: one outside the range (skill.core.hold_range) is ignored.
_HOLD = "hold_seconds"
_POSITION = "position"
#: The person has heard the first-use disclaimer (skill.core.disclaimer).
_DISCLAIMED = "disclaimed"
#: When the person last heard an injury or warning-sign answer (epoch seconds): for a day,
#: a new session's stretch is preceded by one sentence (skill.core.injury_memory).
_POSSIBLE_INJURY = "possible_injury_at"
#: How long a possible injury is remembered.
POSSIBLE_INJURY_SECONDS = DAY
#: When the skill last offered to set a reminder (offered at most once a week).
_OFFERED = "reminder_offered_at"
#: Times of completed stretch sessions (a habit count, not a health record).
_SESSIONS = "stretch_sessions"
#: A reminder is offered at most once in this long.
REMINDER_OFFER_INTERVAL_SECONDS = 7 * DAY
#: Completed stretch sessions are kept this long, and at most this many.
SESSION_LOG_DAYS = 90
SESSION_LOG_MAX = 500

#: Every key a record may hold, by what it is: ``preference`` and ``resume`` are what the
#: Alexa deployment keeps (template.yaml turns the cramp log off); ``health`` keys exist only
#: with the cramp log on and the person's yes. The manifest's privacy answers, docs/privacy.md
#: and docs/persistence.md are checked against this (tests/test_privacy_answers.py).
RECORD_KEYS = {
    _HOLD: "preference",
    _DISCLAIMED: "preference",
    _POSSIBLE_INJURY: "preference",  # a safety preference: one sentence before a stretch
    "v": "preference",
    _POSITION: "resume",
    # A stretching habit and the once-a-week offer (docs/reminders.md): not health records.
    _SESSIONS: "habit",
    _OFFERED: "preference",
    _CONSENT: "health",
    _CRAMPS: "health",
    _ADVISED: "health",
}


# --- preferred hold length -------------------------------------------------------------


def hold_seconds(memory: Memory) -> HoldSeconds | None:
    """The person's preferred hold length, if they set one (read at the edge: a stored
    value that is not a hold is as if none were set)."""
    return as_hold(memory.get(_HOLD))


def set_hold_seconds(memory: Memory, seconds: HoldSeconds) -> None:
    """Remember the person's hold length (already a checked :data:`HoldSeconds`)."""
    memory[_HOLD] = int(seconds)
    _touch(memory)


# --- routine position --------------------------------------------------------------------


def save_position(memory: Memory, routine_state: Mapping[str, Any], now: float) -> None:
    """Keep where a routine is (the routine engine's own state dict) and when."""
    memory[_POSITION] = {"state": dict(routine_state), "saved_at": int(now)}
    _touch(memory)


def clear_position(memory: Memory) -> None:
    memory.pop(_POSITION, None)


def resumable_position(memory: Memory, now: float) -> dict[str, Any] | None:
    """The saved routine state if it is under 15 minutes old (and not from the future).

    The routine engine validates the dict itself (it may come from an older version)."""
    saved = memory.get(_POSITION)
    if not isinstance(saved, dict) or not isinstance(saved.get("state"), dict):
        return None
    saved_at = _int(saved.get("saved_at"))
    if saved_at is None or not 0 <= int(now) - saved_at <= RESUME_WINDOW_SECONDS:
        return None
    return {key: _plain(value) for key, value in saved["state"].items()}


def _plain(value: Any) -> Any:
    # Numbers come back from DynamoDB as Decimal; the routine engine wants ints.
    return _int(value) if is_decimal(value) else value


# --- the first-use disclaimer -------------------------------------------------------------


def disclaimed(memory: Memory) -> bool:
    return memory.get(_DISCLAIMED) is True


def mark_disclaimed(memory: Memory) -> None:
    memory[_DISCLAIMED] = True
    _touch(memory)


# --- a possible injury, remembered for a day -----------------------------------------------


def mark_possible_injury(memory: Memory, now: float) -> None:
    memory[_POSSIBLE_INJURY] = int(now)
    _touch(memory)


def possible_injury_recent(memory: Memory, now: float) -> bool:
    """An injury or warning-sign answer was given less than a day ago."""
    at = _int(memory.get(_POSSIBLE_INJURY))
    return at is not None and 0 <= now - at < POSSIBLE_INJURY_SECONDS


def forget_stale_injury(memory: Memory, now: float) -> None:
    """Drop a remembered possible injury once its day is over (on the person's next turn),
    so the record keeps it no longer than it is used."""
    if _POSSIBLE_INJURY in memory and not possible_injury_recent(memory, now):
        memory.pop(_POSSIBLE_INJURY, None)


def clear_possible_injury(memory: Memory) -> None:
    if memory.pop(_POSSIBLE_INJURY, None) is not None:
        _touch(memory)


# --- reminders offered, stretch sessions done ------------------------------------------


def reminder_offer_due(memory: Memory, now: float) -> bool:
    """No reminder was offered in the last week (a time from the future counts as recent)."""
    last = _int(memory.get(_OFFERED))
    return last is None or int(now) - last >= REMINDER_OFFER_INTERVAL_SECONDS


def mark_reminder_offered(memory: Memory, now: float) -> None:
    memory[_OFFERED] = int(now)
    _touch(memory)


def session_times(memory: Memory, now: float) -> list[int]:
    """Completed stretch sessions within the last 90 days, oldest first."""
    raw = memory.get(_SESSIONS)
    if not isinstance(raw, list):
        return []
    oldest = int(now) - SESSION_LOG_DAYS * DAY
    times = (_int(value) for value in raw)
    return sorted(t for t in times if t is not None and t >= oldest)


def note_session(memory: Memory, now: float) -> None:
    """Count one completed stretch session at ``now`` (pruned to 90 days)."""
    memory[_SESSIONS] = [*session_times(memory, now), int(now)][-SESSION_LOG_MAX:]
    _touch(memory)


def sessions_in_last(memory: Memory, days: int, now: float) -> int:
    since = int(now) - days * DAY
    return sum(1 for t in session_times(memory, now) if since < t <= int(now))


# --- forgetting --------------------------------------------------------------------------


def forget(memory: Memory) -> None:
    """Drop everything kept for this person (an empty record is deleted from the store)."""
    memory.clear()


def is_empty(memory: Memory | None) -> bool:
    """Nothing worth keeping (a bare schema version counts as nothing)."""
    return not memory or set(memory) <= {"v"}


# --- concurrent turns --------------------------------------------------------------------


def rebase(base: Memory, mine: Memory, fresh: Memory) -> Memory:
    """This turn's change (``base`` as read -> ``mine``) applied to ``fresh``, the record
    another turn of the same person wrote meanwhile (see :mod:`skill.store.versioned`).

    - "Forget my data" wins: if the record held the person's data when this turn read it
      and is empty now, it was forgotten meanwhile, and this turn's change is dropped
      (:class:`~skill.store.versioned.Dropped`: the turn says it couldn't save).
    - Consent is part of the rule: this turn's new cramps are logged again only if the fresh
      record still has the consent this turn read (or this turn gave it).
    - The cramp log is merged: this turn's new cramps are logged again on the fresh record
      (same-cramp and 90-day rules as :func:`log_cramp`), cramps this turn dropped (pruned
      as too old) are dropped, and the other turn's cramps stay.
    - Any other key this turn set or removed (hold length, routine position, when advice
      was given, keys of later versions) takes this turn's value; keys it left alone keep
      the fresh record's."""
    if is_empty(fresh) and set(base) - {"v", _POSITION}:
        raise Dropped("the record was forgotten after this turn read it")
    result = dict(fresh)
    for key in (set(base) | set(mine)) - {_CRAMPS}:
        if key not in mine:
            result.pop(key, None)
        elif key not in base or mine[key] != base[key]:
            result[key] = mine[key]
    before, after = set(_all_times(base)), set(_all_times(mine))
    if before == after:
        return result
    kept = [t for t in _all_times(fresh) if t not in before - after]
    if kept or _CRAMPS in fresh:
        result[_CRAMPS] = kept
    consent = log_consent(result)
    if consent is True or consent == log_consent(base):
        for moment in sorted(after - before):
            log_cramp(result, moment)
    if not result.get(_CRAMPS):
        result.pop(_CRAMPS, None)
    return result
