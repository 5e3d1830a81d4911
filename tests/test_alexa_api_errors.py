"""A failing read of the Alexa API's answer is an ApiError (spoken guidance), never a crash.

The client reads the body from urllib3's raw response, whose errors requests does not wrap:
under load a trickling Timers API once raised urllib3's ReadTimeoutError out of the turn."""

from __future__ import annotations

import pytest
import urllib3

from skill.alexa import alexa_api
from skill.alexa.alexa_api import AlexaApiClient, ApiError
from skill.core.turn import AlexaApi


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (
            urllib3.exceptions.ReadTimeoutError(None, "/v1/alerts/timers", "read timed out"),
            "timed out",
        ),
        (urllib3.exceptions.ProtocolError("connection broken"), "connection failed"),
    ],
)
def test_a_broken_read_is_an_api_error(
    monkeypatch: pytest.MonkeyPatch, error: Exception, said: str
) -> None:
    def broken(*_args: object) -> tuple[int, bytes]:
        raise error

    monkeypatch.setattr(alexa_api, "_exchange", broken)  # no socket is opened
    client = AlexaApiClient(AlexaApi("http://127.0.0.1:9", "token-1"))
    with pytest.raises(ApiError) as raised:
        client.call("GET", "/v1/alerts/timers")
    assert said in str(raised.value)
