"""The person's time zone, from the Alexa settings API, for "I had a cramp last night".

``GET /v2/devices/{deviceId}/settings/System.timeZone`` needs no permission, only the
request's API token; it answers with a zone name such as ``"America/Chicago"``. Any
failure (no endpoint or device, an error, a timeout within the turn's API budget, a name
this Python has no zone data for) gives None, and :mod:`skill.core.when` falls back.
"""

from __future__ import annotations

import logging
from datetime import tzinfo
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from skill.alexa.alexa_api import AlexaApiClient, ApiError
from skill.core import memory_dialog
from skill.core.reply import Reply
from skill.core.turn import Turn
from skill.core.when import PAST

log = logging.getLogger(__name__)


def settings_path(device_id: str) -> str:
    return f"/v2/devices/{quote(device_id, safe='')}/settings/System.timeZone"


def local_zone(turn: Turn, budget: float | None = None) -> tzinfo | None:
    """The device's time zone, or None when it cannot be had this turn (within ``budget``
    seconds, if given, else the turn's API budget)."""
    api = turn.alexa_api
    if api is None or not api.device_id:
        return None
    client = (
        AlexaApiClient(api, deadline=turn.deadline)
        if budget is None
        else AlexaApiClient(api, budget=budget, deadline=turn.deadline)
    )
    try:
        name = client.call("GET", settings_path(api.device_id))
    except ApiError as error:
        log.warning("time zone unavailable: %s", error)
        return None
    if not isinstance(name, str) or not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone %r", name)
        return None


def log_cramp(turn: Turn) -> Reply:
    """ "I had a cramp last night": ask Alexa for the time zone only when the time is
    in the past and there is somewhere to log it."""
    past = turn.slot_id("When") in PAST and turn.persistent is not None
    return memory_dialog.log_cramp(turn, local_zone(turn) if past else None)
