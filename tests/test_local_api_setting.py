"""No test doubles in production paths (issue #24 item 11): the skill sends the request's
token over plain HTTP to a loopback ``apiEndpoint`` (the fake Alexa API) only when the
explicit test setting is on. Without it, a forged ``http://127.0.0.1:...`` receives nothing
and the person hears the timer fallback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from skill.alexa.alexa_api import LOCAL_API_SETTING
from skill.hosts import lambda_handler
from skill.tools.simulator.envelopes import EnvelopeFactory
from skill.tools.simulator.fake_alexa_api import TOKEN, FakeAlexaApi
from tests.conftest import CheckedConversation


@pytest.fixture
def fake() -> Iterator[FakeAlexaApi]:
    api = FakeAlexaApi().start()
    yield api
    api.close()


def set_a_timer(fake: FakeAlexaApi) -> str:
    factory = EnvelopeFactory(api_endpoint=fake.url, api_access_token=TOKEN)
    talk = CheckedConversation(lambda_handler.handler, factory)
    return talk.intent("SetTimerIntent", Number="30").speech


def test_without_the_test_setting_no_token_goes_to_a_plain_http_endpoint(
    fake: FakeAlexaApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect 11: on main the token went to the request's http://127.0.0.1 endpoint."""
    monkeypatch.delenv(LOCAL_API_SETTING, raising=False)
    heard = set_a_timer(fake)
    assert fake.requests == []
    assert "couldn't set an Alexa timer" in heard


def test_with_the_test_setting_the_fake_is_called(fake: FakeAlexaApi) -> None:
    heard = set_a_timer(fake)
    assert [r.authorization for r in fake.requests] == [f"Bearer {TOKEN}"]
    assert "couldn't" not in heard
