"""A reminder the person asked for, as plain data: what (stretch or a drink), for which
session, when (a clock time, and a date or a repeat), and how to say it back.

Built from the slots of ``SetReminderIntent`` (``ReminderKind``, ``SessionKind``,
``Recurrence``, ``Date``: AMAZON.DATE, ``Time``: AMAZON.TIME). No Alexa types and no
words: :func:`described` returns message keys the catalogue of the request's locale fills
with its own time words (docs/reminders.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, cast

from skill.core.speech import Msg, msg
from skill.core.state import ReminderRecord

KINDS = ("stretch", "fluids")
#: Sessions a reminder can open straight into (skill.core.coaching.SESSION_KINDS ids).
SESSIONS = ("warmup", "cooldown", "stretch")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: ``Recurrence`` slot ids: every day (optionally a part of the day), weekdays, weekends,
#: or one day of the week.
DAILY = "daily"
WEEKDAYS = "weekdays"
WEEKENDS = "weekends"
REPEATS = (DAILY, WEEKDAYS, WEEKENDS, *DAYS)
#: AMAZON.TIME's parts of the day ("this evening" gives ``EV``), as clock hours.
DAY_PARTS = {"MO": 8, "AF": 14, "EV": 19, "NI": 21}
#: "every evening" names a part of the day: an hour said without a.m./p.m. falls in it.
PART_OF = {
    "daily_morning": "MO",
    "daily_afternoon": "AF",
    "daily_evening": "EV",
    "daily_night": "NI",
}
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
#: An offered reminder rings at most this many days ahead.
MAX_IN_DAYS = 14
#: Prefix of the AskFor token, so a Connections.Response can be told from the timers' one.
TOKEN_PREFIX = "cramp-coach-reminder"


@dataclass(frozen=True)
class ReminderPlan:
    """What to remind and when. ``hour``/``minute`` None: the time is still to be asked.
    ``repeat`` None with ``day`` None: the next time that clock time comes round."""

    kind: str = "stretch"
    session: str | None = None
    hour: int | None = None
    minute: int = 0
    #: An ISO date for a one-off reminder ("on Saturday", "tomorrow").
    day: str | None = None
    #: One of :data:`REPEATS` for a recurring reminder.
    repeat: str | None = None
    #: A part of the day said with the repeat ("every evening"), for an hour said bare.
    part: str | None = None
    #: A reminder offered after a session: this many days from now, at this time of day
    #: (a relative trigger, which needs no time zone). ``hour`` is None for it.
    in_days: int | None = None

    @property
    def has_time(self) -> bool:
        return self.hour is not None or self.in_days is not None

    def with_time(self, value: str | None) -> ReminderPlan | None:
        """This plan at an AMAZON.TIME value (None if it is not a time)."""
        clock = parse_time(value, self.part)
        if clock is None:
            return None
        return replace(self, hour=clock[0], minute=clock[1])

    def to_dict(self) -> ReminderRecord:
        return cast(ReminderRecord, {k: v for k, v in self.__dict__.items() if v is not None})

    @classmethod
    def from_dict(cls, raw: Any) -> ReminderPlan | None:
        """A plan kept in the session (or a token), checked field by field."""
        if not isinstance(raw, dict) or raw.get("kind") not in KINDS:
            return None
        hour, minute = raw.get("hour"), raw.get("minute", 0)
        if hour is not None and not (isinstance(hour, int) and 0 <= hour <= 23):
            return None
        if not isinstance(minute, int) or not 0 <= minute <= 59:
            return None
        session = raw.get("session") if raw.get("session") in SESSIONS else None
        repeat = raw.get("repeat") if raw.get("repeat") in REPEATS else None
        part = raw.get("part") if raw.get("part") in DAY_PARTS else None
        day = raw.get("day") if _iso_date(raw.get("day")) else None
        in_days = raw.get("in_days")
        if in_days is not None and not (isinstance(in_days, int) and 1 <= in_days <= MAX_IN_DAYS):
            return None
        return cls(raw["kind"], session, hour, minute, day, repeat, part, in_days)

    def token(self) -> str:
        """A compact form for the AskFor token
        (``kind.session.hour.minute.day.repeat.in_days``)."""
        fields = (
            self.kind,
            self.session,
            self.hour,
            self.minute,
            self.day,
            self.repeat,
            self.in_days,
        )
        return ".".join("" if f is None else str(f) for f in fields)

    @classmethod
    def from_token(cls, token: str) -> ReminderPlan | None:
        parts = token.split(".")
        if len(parts) != 7:
            return None
        kind, session, hour, minute, day, repeat, in_days = parts
        numbers = (hour, in_days)
        if not all(n.isdigit() or n == "" for n in numbers) or not minute.isdigit():
            return None
        return cls.from_dict(
            {
                "kind": kind,
                "session": session or None,
                "hour": int(hour) if hour else None,
                "minute": int(minute),
                "day": day or None,
                "repeat": repeat or None,
                "in_days": int(in_days) if in_days else None,
            }
        )


def _iso_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_time(value: str | None, part: str | None = None) -> tuple[int, int] | None:
    """(hour, minute) of an AMAZON.TIME value: ``"20:00"``, or a part of the day (``"EV"``).

    Alexa fills "at eight" as ``08:00``; people setting a stretch reminder "every evening
    at eight" mean 20:00, so an hour before noon said with an evening or night part moves
    to the afternoon, and one from 1 to 6 said with no part at all is taken as p.m."""
    if not value:
        return None
    value = value.strip().upper()
    if value in DAY_PARTS:
        return DAY_PARTS[value], 0
    found = _TIME.match(value)
    if found is None:
        return None
    hour, minute = int(found.group(1)), int(found.group(2))
    if hour > 23 or minute > 59:
        return None
    if hour < 12 and (part in ("EV", "NI", "AF") or (part is None and 1 <= hour <= 6)):
        hour += 12
    return hour, minute


def plan_of(
    kind: str | None,
    session: str | None,
    repeat: str | None,
    day: str | None,
    time: str | None,
) -> ReminderPlan:
    """The plan the slots describe (slot ids as resolved; unknown ids are ignored)."""
    part = PART_OF.get(repeat or "")
    if repeat in PART_OF:
        repeat = DAILY
    plan = ReminderPlan(
        kind=kind if kind in KINDS else "stretch",
        session=session if session in SESSIONS else None,
        repeat=repeat if repeat in REPEATS else None,
        day=day if _iso_date(day) else None,
        part=part,
    )
    if time is None and part is not None:
        return plan
    return plan.with_time(time) or plan


# --- when it rings ----------------------------------------------------------------------
def first_time(plan: ReminderPlan, now: datetime) -> datetime | None:
    """The local time the reminder first rings (``now`` is local), or None when the plan
    names a time already past (a date before today, or today at an earlier hour)."""
    if plan.hour is None:
        return None
    today = now.date()
    target = _iso_date(plan.day) if plan.day else None
    if target is not None and plan.repeat is None:
        at = datetime(target.year, target.month, target.day, plan.hour, plan.minute)
        return at if at > now.replace(tzinfo=None) else None
    at = datetime(today.year, today.month, today.day, plan.hour, plan.minute)
    naive_now = now.replace(tzinfo=None)
    for _ in range(8):
        if at > naive_now and _repeats_on(plan, at.date()):
            return at
        at += timedelta(days=1)
    return None


def _repeats_on(plan: ReminderPlan, day: date) -> bool:
    weekday = DAYS[day.weekday()]
    if plan.repeat in (None, DAILY):
        return True
    if plan.repeat == WEEKDAYS:
        return weekday not in ("SA", "SU")
    if plan.repeat == WEEKENDS:
        return weekday in ("SA", "SU")
    return weekday == plan.repeat


def by_day(plan: ReminderPlan) -> list[str]:
    """The days of the week a recurring reminder rings on ([] for every day)."""
    if plan.repeat == WEEKDAYS:
        return list(DAYS[:5])
    if plan.repeat == WEEKENDS:
        return ["SA", "SU"]
    if plan.repeat in DAYS:
        return [plan.repeat]
    return []


# --- saying it -------------------------------------------------------------------------
#: The four bands of the day the catalogues name a clock time by ("8 PM", "8 de la noche").
_BANDS = ((0, "night"), (6, "morning"), (12, "afternoon"), (20, "evening"))


def clock(hour: int, minute: int) -> Msg:
    """A clock time in the catalogue's own words (12-hour, with its band of the day)."""
    band = next(name for start, name in reversed(_BANDS) if hour >= start)
    twelve = hour % 12 or 12
    key = "clock_on_the_hour" if minute == 0 else "clock_minutes"
    return msg(key, count=twelve, hour=twelve, minute=f"{minute:02d}", band=msg(f"clock_{band}"))


def described(plan: ReminderPlan, when: datetime | None, today: date | None) -> Msg:
    """When the reminder rings, said the catalogue's way: "every day at 8 PM", "on
    Saturday at 9 AM", "tomorrow at 6 PM". ``when`` is its first local ring time."""
    if plan.in_days is not None or plan.hour is None:
        return msg("reminder_when_in_days", count=plan.in_days or 1)
    at = clock(plan.hour, plan.minute)
    if plan.repeat == DAILY:
        return msg("reminder_when_daily", time=at)
    if plan.repeat in (WEEKDAYS, WEEKENDS):
        return msg(f"reminder_when_{plan.repeat}", time=at)
    if plan.repeat in DAYS:
        return msg("reminder_when_weekly", day=msg(f"weekday_{plan.repeat}"), time=at)
    if when is not None and today is not None:
        if when.date() == today:
            return msg("reminder_when_today", time=at)
        if when.date() == today + timedelta(days=1):
            return msg("reminder_when_tomorrow", time=at)
        if when.date() - today <= timedelta(days=7):
            day = msg(f"weekday_{DAYS[when.weekday()]}")
            return msg("reminder_when_on_day", day=day, time=at)
        return msg(
            "reminder_when_on_date",
            day=msg(f"weekday_{DAYS[when.weekday()]}"),
            date=when.day,
            month=msg(f"month_{when.month}"),
            time=at,
        )
    return msg("reminder_when_today", time=at)


def what(plan: ReminderPlan) -> Msg:
    """What the reminder is for, as the confirmation says it ("to stretch")."""
    if plan.kind == "fluids":
        return msg("reminder_what_fluids")
    return msg(f"reminder_what_{plan.session or 'stretch'}")


def text_key(plan: ReminderPlan) -> str:
    """The catalogue key of the words Alexa speaks when the reminder rings: what to do, and
    how to open the matching session ("say Alexa, open Cramp Coach and start my warm-up")."""
    return f"reminder_text_{plan.kind}_{plan.session or 'stretch'}"


def consent_token(plan: ReminderPlan) -> str:
    """The AskFor token: carries the pending reminder through the permission round trip."""
    return f"{TOKEN_PREFIX}:{plan.token()}"


def plan_of_token(token: str | None) -> ReminderPlan | None:
    prefix, _, rest = (token or "").partition(":")
    return ReminderPlan.from_token(rest) if prefix == TOKEN_PREFIX else None


def is_reminder_token(token: str | None) -> bool:
    return (token or "").startswith(TOKEN_PREFIX + ":")
