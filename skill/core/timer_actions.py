"""Acting on the timers this skill set: how much time is left, pause, resume, cancel.

Why apart from setting one (:mod:`skill.core.timer_dialog`): these read and change timers
that exist, through the turn's :class:`~skill.core.timers.TimerService`; the timers' ids live in
the session (:mod:`skill.core.timer_state`), and when none are known the Timers API's own list
of this skill's timers is asked, because a session usually ends once a timer is set. Every
failure becomes a short spoken answer, never an error response.
"""

from __future__ import annotations

import logging

from skill.core import timer_state
from skill.core.reply import Reply
from skill.core.routine_aside import hand_back as _close
from skill.core.speech import Duration, msg
from skill.core.state import TimerRecord
from skill.core.timers import KINDS, Listed, TimerError, TimerService
from skill.core.turn import Turn

log = logging.getLogger(__name__)

NOT_FOUND = TimerError.NOT_FOUND


def _targets(turn: Turn, timers: TimerService) -> list[TimerRecord]:
    """Known timers, newest first; if none are known, the ones Alexa lists for this skill.
    A named kind narrows the list when the skill has a timer of that kind."""
    targets = list(reversed(timer_state.known(turn)))
    if not targets:
        targets = [_record(timer) for timer in timers.listed()]
        for timer in reversed(targets):
            timer_state.remember(turn, timer["id"], timer["kind"])
    # "Cancel the rest timer": that kind first, if the skill has one.
    kind = turn.slot_id("TimerKind")
    matching = [t for t in targets if t["kind"] == kind]
    return matching or targets


def _record(timer: Listed) -> TimerRecord:
    return TimerRecord(id=timer.id, kind=timer.kind)


def timer_status(turn: Turn) -> Reply:
    """ "How much time is left": read the newest running timer."""
    timers = turn.timers
    if timers is None:
        return _close(turn, msg("timer_no_api"))
    gone: set[str] = set()
    try:
        for target in _targets(turn, timers):
            try:
                reading = timers.reading(target["id"])
            except TimerError as error:
                if error.status != NOT_FOUND:
                    raise
                gone.add(target["id"])
                continue
            if reading is None:
                gone.add(target["id"])
                continue
            timer_state.forget(turn, gone)
            key = "timer_paused_left" if reading.paused else "timer_left"
            said = target["kind"] if target["kind"] in KINDS else "hold"
            kind = msg(f"timer_kind_{said}")
            return _close(turn, msg(key, kind=kind, duration=_spoken_left(reading.seconds_left)))
    except TimerError as error:
        log.warning("timer status failed: %s", error)
        timer_state.forget(turn, gone)
        return _close(turn, msg("timer_unreachable"))
    timer_state.forget(turn, gone)
    return _nothing_running(turn, bool(gone))


def _spoken_left(seconds: int) -> Duration:
    # Under a minute the seconds matter; above it, whole seconds are noise to the ear.
    if seconds > 120:
        seconds = round(seconds / 60) * 60
    return Duration(max(1, seconds))


def _nothing_running(turn: Turn, some_finished: bool) -> Reply:
    if some_finished:
        return _close(turn, msg("timer_gone"))
    return _close(turn, msg("timer_none"), msg("timer_none_hint"))


def _act_on_newest(turn: Turn, action: str) -> Reply:
    """Pause or resume the newest timer this skill set."""
    timers = turn.timers
    if timers is None:
        return _close(turn, msg("timer_no_api"))
    newest: str | None = None
    try:
        targets = _targets(turn, timers)
        if not targets:
            return _nothing_running(turn, False)
        newest = targets[0]["id"]
        (timers.pause if action == "pause" else timers.resume)(newest)
    except TimerError as error:
        if error.status == NOT_FOUND and newest is not None:
            timer_state.forget(turn, {newest})
            return _close(turn, msg("timer_gone"))
        log.warning("timer %s failed: %s", action, error)
        return _close(turn, msg("timer_unreachable"))
    return _close(turn, msg("timer_paused" if action == "pause" else "timer_resumed"))


def pause_timer(turn: Turn) -> Reply:
    return _act_on_newest(turn, "pause")


def resume_timer(turn: Turn) -> Reply:
    return _act_on_newest(turn, "resume")


def cancel_timer(turn: Turn) -> Reply:
    """Cancel every timer this skill set (Alexa allows few; usually there is one)."""
    timers = turn.timers
    if timers is None:
        return _close(turn, msg("timer_no_api"))
    cancelled: set[str] = set()
    gone: set[str] = set()
    try:
        for target in _targets(turn, timers):
            try:
                timers.delete(target["id"])
                cancelled.add(target["id"])
            except TimerError as error:
                if error.status != NOT_FOUND:
                    raise
                gone.add(target["id"])
    except TimerError as error:
        log.warning("timer cancel failed: %s", error)
        timer_state.forget(turn, cancelled | gone)
        return _close(turn, msg("timer_unreachable"))
    timer_state.forget(turn, cancelled | gone)
    if cancelled:
        return _close(turn, msg("timer_cancelled"))
    return _nothing_running(turn, bool(gone))
