"""What the skill remembers about a person, as plain functions over the persistent dict.

Kept: the preferred hold length, the last routine position (to resume within 15 minutes),
and, only where the operator leaves the cramp log on and the person says yes, a log of cramp
times (90 days only) and when the frequent-cramp advice was last given (:data:`RECORD_KEYS`);
the times of completed stretch sessions (90 days) and when a reminder was last offered.
Nothing else: no names, no free text, no device ids.

Times are whole epoch seconds passed in by the caller (``now``), so the logic is testable
without a clock, and ints because DynamoDB stores no floats (it hands numbers back as
``Decimal``; every reader here goes through :func:`_int`). Readers treat anything malformed
as absent, so a record written by an older version never breaks a turn.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Mapping
from typing import Any

from skill.core.hold_range import HoldSeconds, as_hold
from skill.core.numbers import finite_float
from skill.store.values import is_decimal
from skill.store.versioned import Dropped

Memory = dict[str, Any]

SCHEMA_VERSION = 1
MINUTE = 60
DAY = 24 * 60 * MINUTE

#: A routine left less than this long ago can be resumed.
RESUME_WINDOW_SECONDS = 15 * MINUTE
#: Cramp times older than this are dropped.
CRAMP_LOG_DAYS = 90
#: Hard cap on the log, to bound the stored record (DynamoDB items stop at 400 KB).
CRAMP_LOG_MAX = 500
#: A second report this soon after the last one is the same cramp (e.g. "I had a cramp"
#: followed by starting the relief routine, or restarting the routine), not a new one.
SAME_CRAMP_SECONDS = 10 * MINUTE
#: "Frequent" cramps, per the seed's advice to see a doctor: this many ...
FREQUENT_CRAMPS = 3
#: ... within this many days.
FREQUENT_WINDOW_DAYS = 7
#: The frequent-cramp advice is given at most once in this long (a rolling day, so it holds
#: in every time zone without knowing the person's).
ADVICE_INTERVAL_SECONDS = DAY

#: The preferred hold length: one outside the range (skill.core.hold_range) is ignored.
_HOLD = "hold_seconds"
_POSITION = "position"
_CRAMPS = "cramps"
_ADVISED = "frequent_advised_at"
#: The person's answer to "want me to keep a count of your cramps?" (absent: not asked).
_CONSENT = "log_consent"
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


#: Epoch seconds and counts well past any real value; a stored Infinity or 1e309 is refused.
_INT_LIMIT = 10**12


def _int(value: Any) -> int | None:
    number = finite_float(value, -_INT_LIMIT, _INT_LIMIT)
    return None if number is None else int(number)


def _touch(memory: Memory) -> None:
    memory["v"] = SCHEMA_VERSION


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


# --- cramp log ---------------------------------------------------------------------------


def cramp_times(memory: Memory, now: float) -> list[int]:
    """Logged cramp times within the last 90 days, oldest first (a new list).

    Later times are kept: request clocks of different devices may disagree a little."""
    raw = memory.get(_CRAMPS)
    if not isinstance(raw, list):
        return []
    oldest = int(now) - CRAMP_LOG_DAYS * DAY
    times = _sorted_ints(raw)
    if times is None:  # something else was stored: each entry read on its own
        times = sorted(t for t in (_int(value) for value in raw) if t is not None)
    return times[bisect_left(times, oldest) :]


def _sorted_ints(raw: list[Any]) -> list[int] | None:
    """``raw`` sorted, when it holds only plain ints within the limits (what the skill writes),
    else None. Checked in whole-list passes, not entry by entry in Python: a turn's cost must
    not grow much with the log (bench/RESULTS.md)."""
    if not raw:
        return []
    if set(map(type, raw)) != {int}:
        return None
    times = sorted(raw)
    return times if times[0] >= -_INT_LIMIT and times[-1] <= _INT_LIMIT else None


def log_cramp(memory: Memory, now: float) -> bool:
    """Log a cramp at ``now``; False if it is one already logged minutes before or after.

    Also prunes the log to 90 days (and :data:`CRAMP_LOG_MAX` entries)."""
    times = cramp_times(memory, now)
    moment = int(now)
    at = bisect_left(times, moment)
    nearest = times[max(0, at - 1) : at + 1]  # the times just before and after ``now``
    logged = all(abs(moment - t) >= SAME_CRAMP_SECONDS for t in nearest)
    if logged:
        insort(times, moment)
    memory[_CRAMPS] = times[-CRAMP_LOG_MAX:]
    _touch(memory)
    return logged


def cramps_in_last(memory: Memory, days: int, now: float) -> int:
    """How many cramps were logged in the last ``days`` days (up to 90)."""
    since = int(now) - days * DAY
    times = cramp_times(memory, now)
    return bisect_right(times, int(now)) - bisect_right(times, since)


def cramps_are_frequent(memory: Memory, now: float) -> bool:
    """Three or more cramps in the last seven days."""
    return cramps_in_last(memory, FREQUENT_WINDOW_DAYS, now) >= FREQUENT_CRAMPS


def frequent_advice_due(memory: Memory, now: float) -> bool:
    """Cramps are frequent and the advice was not given in the last day."""
    if not cramps_are_frequent(memory, now):
        return False
    last = _int(memory.get(_ADVISED))
    return last is None or not 0 <= int(now) - last < ADVICE_INTERVAL_SECONDS


def mark_frequent_advice(memory: Memory, now: float) -> None:
    memory[_ADVISED] = int(now)
    _touch(memory)


# --- consent to the cramp log ------------------------------------------------------------


def log_consent(memory: Memory) -> bool | None:
    """True if the person agreed to a cramp log, False if they declined, None if not asked.

    A cramp time is information about the person's health: it is kept only after a yes."""
    value = memory.get(_CONSENT)
    return value if isinstance(value, bool) else None


def set_log_consent(memory: Memory, agreed: bool) -> None:
    """Record the answer; a no also drops any cramp times and the advice mark."""
    memory[_CONSENT] = bool(agreed)
    if not agreed:
        memory.pop(_CRAMPS, None)
        memory.pop(_ADVISED, None)
    _touch(memory)


def drop_cramp_log(memory: Memory) -> None:
    """With the cramp log turned off (``CRAMP_COACH_CRAMP_LOG=off``): drop whatever a
    record kept about cramps under an earlier setting, so the store holds none of it."""
    for key, kind in RECORD_KEYS.items():
        if kind == "health":
            memory.pop(key, None)


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


def _all_times(memory: Memory) -> list[int]:
    raw = memory.get(_CRAMPS)
    if not isinstance(raw, list):
        return []
    times = (_int(value) for value in raw)
    return sorted(t for t in times if t is not None)
