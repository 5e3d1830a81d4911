"""A progressive response ("Okay, setting your stretch timer.") before a slow Alexa API call.

Alexa speaks it while the skill is still working, so a person mid-stretch hears something at
once instead of waiting on the Timers API. It goes through the SDK's own directive service
client (``DirectiveServiceClient.enqueue``, ``POST /v1/directives``), given an ``ApiClient``
that spends the same per-turn API budget as every other Alexa call
(:class:`skill.alexa.alexa_api.AlexaApiClient`) and is cut off by the turn's wall-clock
deadline (:mod:`skill.core.deadline`). It is a courtesy: any failure is logged and the turn
goes on. Rules from the platform (docs/alexa-platform.md section 2, docs/audio.md): only
while handling a LaunchRequest or IntentRequest, speech only, and no sound-library audio.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.services import ApiClient, ApiClientRequest, ApiClientResponse
from ask_sdk_model.services.api_configuration import ApiConfiguration
from ask_sdk_model.services.directive import (
    DirectiveServiceClient,
    Header,
    SendDirectiveRequest,
    SpeakDirective,
)

from skill.alexa.alexa_api import AlexaApiClient

# The same pooled session and loopback rule as every other Alexa call this turn.
from skill.alexa.alexa_api import _allowed as allowed_url
from skill.alexa.alexa_api import _session as session
from skill.core.deadline import SAVE_RESERVE_SECONDS, TimedOut, run_within
from skill.core.turn import Turn

log = logging.getLogger(__name__)

#: A progressive response may use at most this much of the turn's API budget: it must leave
#: time for the call it announces.
PROGRESSIVE_SECONDS = 0.8


class BudgetedApiClient(ApiClient):
    """The SDK's ``ApiClient`` contract over the skill's pooled ``requests`` session, with
    the remaining budget of ``client`` as the timeout (ask-sdk-core's DefaultApiClient has
    none, docs/alexa-platform.md section 10)."""

    def __init__(self, client: AlexaApiClient, cap: float = PROGRESSIVE_SECONDS) -> None:
        self.client = client
        self.cap = cap

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        url = str(request.url)
        if not allowed_url(url):
            raise ValueError("refusing to send the token over plain HTTP")
        left = min(self.cap, self.client.remaining())
        if left <= 0:
            raise TimeoutError("no Alexa API time left this turn")
        headers = dict(request.headers or [])
        body = request.body
        if body is not None and "json" in headers.get("Content-type", ""):
            body = json.dumps(body)  # the SDK hands over the serialised dict, as DefaultApiClient
        response = session().request(
            request.method,
            url,
            headers=headers,
            data=body,
            timeout=(left, left),
            allow_redirects=False,
        )
        return ApiClientResponse(
            headers=list(response.headers.items()),
            body=response.text,
            status_code=response.status_code,
        )


def send(turn: Turn, client: AlexaApiClient, ssml: str) -> bool:
    """Speak ``ssml`` (a full ``<speak>`` document) now, before the turn's answer. Returns
    whether Alexa accepted it; never raises."""
    if turn.alexa_api is None or not turn.alexa_api.request_id:
        return False
    if "<audio" in ssml:
        # Alexa refuses audio in progressive responses (the sound library included).
        raise ValueError("a progressive response may not contain <audio>")
    configuration = ApiConfiguration(
        serializer=DefaultSerializer(),
        api_client=BudgetedApiClient(client),
        authorization_value=turn.alexa_api.token,
        api_endpoint=turn.alexa_api.endpoint.rstrip("/"),
    )
    request = SendDirectiveRequest(
        header=Header(request_id=turn.alexa_api.request_id),
        directive=SpeakDirective(speech=ssml),
    )
    seconds = min(PROGRESSIVE_SECONDS, turn.deadline.remaining(SAVE_RESERVE_SECONDS))

    def enqueue() -> Any:
        return DirectiveServiceClient(configuration).enqueue(request)

    try:
        run_within(enqueue, seconds)
    except (TimedOut, Exception) as error:  # a courtesy: the turn carries on regardless
        log.warning("progressive response not sent: %s", type(error).__name__)
        return False
    return True
