"""Helpers shared by the web tests: build an app that trusts the test PKI, sign and post
envelopes, and count skill invocations (to prove a rejected request ran no skill code)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from ask_sdk_core.skill import CustomSkill
from flask import Flask
from werkzeug.test import TestResponse

from skill.alexa.verification import SignatureVerifier, TimestampVerifier
from skill.hosts.web import create_app
from skill.settings import Settings
from skill.tools.simulator.envelopes import DEFAULT_SKILL_ID
from tests import pki

#: Fixed "now" for the timestamp verifier, whole seconds like Alexa's timestamps, so that
#: "151 s old" is exactly that however slow the test runs.
NOW = datetime.now(UTC).replace(microsecond=0)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def signed_app(
    good: pki.Pki, fetch: pki.FakeFetch | None = None, skill_ids: tuple[str, ...] = ()
) -> Flask:
    """The app as production builds it, but trusting the test root and its fake download."""
    verifiers = [
        SignatureVerifier(good.root_pem, fetch or good.fetch()),
        TimestampVerifier(clock=lambda: NOW),
    ]
    settings = Settings(skill_ids=skill_ids or (DEFAULT_SKILL_ID,), verify_signatures=True)
    return create_app(settings, verifiers=verifiers)


def post(app: Flask, body: bytes, headers: dict[str, str] | None = None) -> TestResponse:
    return app.test_client().post(
        "/alexa", data=body, headers=headers or {}, content_type="application/json"
    )


def encode(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope).encode("utf-8")


def speech(response: TestResponse) -> str:
    return response.get_json()["response"]["outputSpeech"]["ssml"]


@dataclass
class InvokeSpy:
    """Counts ``CustomSkill.invoke`` calls; the real method still runs."""

    calls: list[Any] = field(default_factory=list)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> InvokeSpy:
        real: Callable[..., Any] = CustomSkill.invoke
        spy = self

        def invoke(skill: CustomSkill, request_envelope: Any, context: Any = None) -> Any:
            spy.calls.append(request_envelope)
            return real(skill, request_envelope, context)

        monkeypatch.setattr(CustomSkill, "invoke", invoke)
        return self
