"""When a logged cramp happened: "last night", "this morning", "yesterday", on the person's
own clock.

The request's timestamp is UTC; the person's day is not. With their time zone (from the
Alexa settings API) each phrase is a local clock time on the day it names, never later
than now. Without one (no API, no permission, a failed call) the documented fallback is a
fixed number of hours before the request, which keeps the cramp in the right week and
month counts and apart from a cramp logged now.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

#: The ``When`` slot ids that name a time in the past (``earlier`` means about now).
PAST = ("last_night", "this_morning", "yesterday")
#: (days back, local hour) for each.
LOCAL_TIME = {"last_night": (1, 23), "this_morning": (0, 7), "yesterday": (1, 12)}
#: Without a time zone: how many hours before the request each is taken to be.
FALLBACK_HOURS_AGO = {"last_night": 12, "this_morning": 4, "yesterday": 24}


def cramp_time(now: float, when: str | None, zone: tzinfo | None) -> float:
    """Epoch seconds of a cramp said to have happened ``when`` (a ``When`` slot id), for a
    request made at ``now``; ``now`` itself for no or an unknown ``when``."""
    if when not in PAST:
        return now
    if zone is None:
        return now - FALLBACK_HOURS_AGO[when] * 3600
    days_back, hour = LOCAL_TIME[when]
    day = datetime.fromtimestamp(now, zone).date() - timedelta(days=days_back)
    local = datetime(day.year, day.month, day.day, hour, tzinfo=zone)
    return min(local.timestamp(), now)
