"""Where a warm ``POST /alexa`` spends its time, in-process, phase by phase.

The HTTP figures say how far the skill is from a bare echo; this says why. Each phase of the
skill's request is timed on its own (same envelope, same signed headers), next to the whole
request through the WSGI app (no HTTP, no test client) for the skill and the bare echo.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope as Envelope
from flask import Flask
from werkzeug.test import EnvironBuilder

from bench.verification import endpoint_apps, per_call_us
from skill.alexa.fast_serializer import FastSerializer
from skill.alexa.verification import SignatureVerifier
from skill.hosts import lambda_handler
from tests import pki

SKILL = "skill + signature + timestamp"
ECHO = "bare Flask JSON echo"


def wsgi_call(app: Flask, body: bytes, headers: dict[str, str]) -> Callable[[], None]:
    """One request straight through the WSGI app; fails loudly on anything but 200."""
    environ = EnvironBuilder(
        method="POST", path="/alexa", data=body, headers=headers, content_type="application/json"
    ).get_environ()

    def call() -> None:
        statuses: list[str] = []
        env = {**environ, "wsgi.input": io.BytesIO(body)}
        b"".join(app(env, lambda status, _headers, _exc=None: statuses.append(status)))
        assert statuses[0].startswith("200"), statuses

    return call


def run(calls: int = 2000) -> list[dict[str, Any]]:
    """Microseconds per call for each phase, median of 5 rounds."""
    logging.disable(logging.WARNING)  # the "verification off" app in endpoint_apps warns
    try:
        apps, sign = endpoint_apps()
        body, headers = sign()
    finally:
        logging.disable(logging.NOTSET)
    text = body.decode()
    good = pki.make_pki()
    signed = good.headers(body)
    verifier = SignatureVerifier(good.root_pem, good.fetch())
    stock, fast = DefaultSerializer(), FastSerializer()
    skill = lambda_handler.SKILL
    envelope = fast.deserialize(text, Envelope)
    answer = skill.invoke(request_envelope=envelope, context=None)
    phases: list[tuple[str, Callable[[], object]]] = [
        ("whole request, bare Flask JSON echo (WSGI)", wsgi_call(apps[ECHO], body, headers)),
        (
            "whole request, skill + signature + timestamp (WSGI)",
            wsgi_call(apps[SKILL], body, headers),
        ),
        ("JSON parse of the body", lambda: json.loads(text)),
        (
            "envelope read, stock DefaultSerializer",
            lambda: stock.deserialize(text, Envelope),
        ),
        ("envelope read, FastSerializer (in use)", lambda: fast.deserialize(text, Envelope)),
        ("signature check, cached chain", lambda: verifier.verify(signed, text, envelope)),
        ("skill.invoke (handlers)", lambda: skill.invoke(request_envelope=envelope, context=None)),
        ("response serialise", lambda: fast.serialize(answer)),
    ]
    return [{"phase": name, "us": per_call_us(fn, calls)} for name, fn in phases]
