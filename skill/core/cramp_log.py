"""The cramp log, and the person's consent to it, as plain functions over the record.

Kept only where the operator leaves the log on and the person says yes: cramp times (90 days,
at most :data:`CRAMP_LOG_MAX`) and when the frequent-cramp advice was last given. The stores
hand the log over packed and undecoded (:class:`skill.store.values.PackedTimes`), so the
readers here search it as an array and make numbers only of what a turn needs: a turn's cost
must not grow with the log (bench/RESULTS.md).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right, insort
from collections.abc import Sequence
from typing import Any

from skill.core.record import DAY, INT_LIMIT, MINUTE, Memory, read_int, touch
from skill.store.values import PACKED_LOG_KEY, PACKED_LOG_MAX, PackedTimes

#: Cramp times older than this are dropped.
CRAMP_LOG_DAYS = 90
#: Hard cap on the log, to bound the stored record (DynamoDB items stop at 400 KB); the
#: stores read no more than this many of a longer one (skill/store/packed_log.py).
CRAMP_LOG_MAX = PACKED_LOG_MAX
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

CRAMPS = PACKED_LOG_KEY  # the stores keep it packed, apart (skill/store/packed_log.py)
ADVISED = "frequent_advised_at"
#: The person's answer to "want me to keep a count of your cramps?" (absent: not asked).
CONSENT = "log_consent"
#: What a record keeps about cramps: dropped together (a no to the log, the log turned off).
HEALTH_KEYS = (CONSENT, CRAMPS, ADVISED)


def cramp_times(memory: Memory, now: float) -> list[int]:
    """Logged cramp times within the last 90 days, oldest first (a new list).

    Later times are kept: request clocks of different devices may disagree a little."""
    times = _sorted_log(memory)
    return _as_list(times[bisect_left(times, int(now) - CRAMP_LOG_DAYS * DAY) :])


def _sorted_log(memory: Memory) -> Sequence[int]:
    """Every logged time, oldest first: the store's packed log as it is (an array, sorted by
    :meth:`~skill.store.values.PackedTimes.pack`: no number is made per entry), or a list.
    A turn's cost must not grow much with the log (bench/RESULTS.md)."""
    raw = memory.get(CRAMPS)
    if isinstance(raw, PackedTimes):
        packed = raw.times()
        if not packed or (packed[0] >= -INT_LIMIT and packed[-1] <= INT_LIMIT):
            return packed
        raw = packed.tolist()  # times out of bounds: read one by one, as below
    if not isinstance(raw, list):
        return []
    times = _sorted_ints(raw)
    if times is None:  # something else was stored: each entry read on its own
        times = sorted(t for t in (read_int(value) for value in raw) if t is not None)
    return times


def _as_list(times: Sequence[int]) -> list[int]:
    return times.tolist() if isinstance(times, array) else list(times)


def _sorted_ints(raw: list[Any]) -> list[int] | None:
    """``raw`` sorted, when it holds only plain ints within the limits (what the skill writes),
    else None. Checked in whole-list passes, not entry by entry in Python."""
    if not raw:
        return []
    if set(map(type, raw)) != {int}:
        return None
    times = sorted(raw)
    return times if times[0] >= -INT_LIMIT and times[-1] <= INT_LIMIT else None


def log_cramp(memory: Memory, now: float) -> bool:
    """Log a cramp at ``now``; False if it is one already logged minutes before or after.

    Also prunes the log to 90 days (and :data:`CRAMP_LOG_MAX` entries). The store's packed
    log stays packed: it costs copies of its bytes, not a number per entry, however long it
    is (an older version's, or another writer's)."""
    times = _sorted_log(memory)
    window = times[bisect_left(times, int(now) - CRAMP_LOG_DAYS * DAY) :]
    moment = int(now)
    at = bisect_left(window, moment)
    nearest = window[max(0, at - 1) : at + 1]  # the times just before and after ``now``
    logged = all(abs(moment - t) >= SAME_CRAMP_SECONDS for t in nearest)
    # A time older than the newest CRAMP_LOG_MAX would be cut below anyway.
    kept = window[-CRAMP_LOG_MAX:]
    if not isinstance(kept, array):
        kept = list(kept)
    if logged:
        insort(kept, moment)
    kept = kept[-CRAMP_LOG_MAX:]
    memory[CRAMPS] = PackedTimes.of(kept) if isinstance(kept, array) else kept
    touch(memory)
    return logged


def cramps_in_last(memory: Memory, days: int, now: float) -> int:
    """How many cramps were logged in the last ``days`` days (up to 90)."""
    times = _sorted_log(memory)
    since = max(int(now) - days * DAY, int(now) - CRAMP_LOG_DAYS * DAY - 1)
    return max(0, bisect_right(times, int(now)) - bisect_right(times, since))


def cramps_are_frequent(memory: Memory, now: float) -> bool:
    """Three or more cramps in the last seven days."""
    return cramps_in_last(memory, FREQUENT_WINDOW_DAYS, now) >= FREQUENT_CRAMPS


def frequent_advice_due(memory: Memory, now: float) -> bool:
    """Cramps are frequent and the advice was not given in the last day."""
    if not cramps_are_frequent(memory, now):
        return False
    last = read_int(memory.get(ADVISED))
    return last is None or not 0 <= int(now) - last < ADVICE_INTERVAL_SECONDS


def mark_frequent_advice(memory: Memory, now: float) -> None:
    memory[ADVISED] = int(now)
    touch(memory)


# --- consent to the cramp log ------------------------------------------------------------


def log_consent(memory: Memory) -> bool | None:
    """True if the person agreed to a cramp log, False if they declined, None if not asked.

    A cramp time is information about the person's health: it is kept only after a yes."""
    value = memory.get(CONSENT)
    return value if isinstance(value, bool) else None


def set_log_consent(memory: Memory, agreed: bool) -> None:
    """Record the answer; a no also drops any cramp times and the advice mark."""
    memory[CONSENT] = bool(agreed)
    if not agreed:
        memory.pop(CRAMPS, None)
        memory.pop(ADVISED, None)
    touch(memory)


def drop_cramp_log(memory: Memory) -> None:
    """With the cramp log turned off (``CRAMP_COACH_CRAMP_LOG=off``): drop whatever a
    record kept about cramps under an earlier setting, so the store holds none of it."""
    for key in HEALTH_KEYS:
        memory.pop(key, None)


def all_times(memory: Memory) -> list[int]:
    return _as_list(_sorted_log(memory))
