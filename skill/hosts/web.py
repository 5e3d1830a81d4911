"""The Flask web service: ``POST /alexa``, ``GET /healthz`` and the audio clips under ``/audio/``.

Production: ``gunicorn 'skill.hosts.web:create_app()'`` behind an HTTPS proxy (docs/hosting.md).

Requests go through ask-sdk-webservice-support's ``WebserviceSkillHandler``. Refusing is cheap
and comes first: the size, then the headers (the certificate URL's shape, a recent refusal of
it, the signature's shape), then the signature on the raw bytes when the chain is already
validated, then on one plain JSON parse the skill ID, the timestamp and (for a new chain) the
signature (``skill.alexa.verification``'s early checks). Only a request that
passed them all is built into the SDK's models, which costs ~100 ms of CPU for a 256 KiB body.
We map failures to client errors ourselves, because the SDK adapter answers 500 for anything
but a failed signature: Alexa (and certification probes) must get 400 for every bad request.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, cast

from ask_sdk_core.exceptions import SerializationException
from flask import Flask, Response, abort, current_app, jsonify, request, send_from_directory
from werkzeug.exceptions import HTTPException, InternalServerError

from skill.alexa.builder import build_skill
from skill.alexa.envelope_check import looks_like_envelope
from skill.alexa.fast_serializer import FastSerializer
from skill.alexa.sdk_compat import AbstractVerifier, VerificationException, WebserviceSkillHandler
from skill.alexa.verification import (
    EarlyVerifier,
    SignatureVerifier,
    SkillIdVerifier,
    TimestampVerifier,
)
from skill.core.logsafe import clean, describe
from skill.core.resources import resource_path
from skill.settings import Settings
from skill.store.factory import adapter_from_settings

_log = logging.getLogger(__name__)

#: Alexa's requests are a few KiB; anything this big is not from Alexa.
MAX_BODY_BYTES = 256 * 1024
#: The clips served under /audio/ (a wheel carries them too: skill.core.resources).
AUDIO_DIR = Path(resource_path("audio"))
#: Clips are immutable by name (a changed clip gets a new name), so caches may keep them long.
AUDIO_MAX_AGE_S = 365 * 24 * 3600
EXTENSION = "cramp_coach"
#: The checks run before the SDK sees the request, cheapest first.
EARLY_CHECKS = "cramp_coach_early_checks"


def persistence_adapter(settings: Settings) -> Any:
    """The one place the web host chooses its ask-sdk persistence adapter: the store named
    by ``CRAMP_COACH_DB`` (a SQLite file by default), as on Lambda."""
    return adapter_from_settings(settings)


def default_verifiers(settings: Settings) -> list[AbstractVerifier]:
    """Signature and timestamp checks, or none when the operator turned verification off."""
    if not settings.verify_signatures:
        return []
    roots = Path(settings.trusted_roots_path).read_bytes() if settings.trusted_roots_path else None
    return [SignatureVerifier(trusted_roots=roots), TimestampVerifier()]


def create_app(
    settings: Settings | None = None, verifiers: list[AbstractVerifier] | None = None
) -> Flask:
    """Build the app. ``verifiers`` replaces the default signature and timestamp verifiers
    (tests, or an operator's own trust setup); the skill-ID allow list applies either way."""
    settings = settings or Settings.from_env()
    skill = build_skill(settings, persistence_adapter=persistence_adapter(settings))
    skill.serializer = FastSerializer()  # reading the envelope is most of a request's cost
    checks = default_verifiers(settings) if verifiers is None else list(verifiers)
    _warn_if_open(settings, checks)
    if settings.skill_ids:
        checks.insert(0, SkillIdVerifier(settings.skill_ids))
    early = sorted((c for c in checks if isinstance(c, EarlyVerifier)), key=lambda c: c.cost)
    # Any other verifier (an operator's own) runs where the SDK runs them, on its models.
    later = [c for c in checks if not isinstance(c, EarlyVerifier)]
    handler = WebserviceSkillHandler(
        skill=skill, verify_signature=False, verify_timestamp=False, verifiers=later
    )

    app = Flask(__name__)
    # One byte over, so a chunked body (read only up to the limit, silently) that is too big
    # can still be told apart from one that fits exactly: see _alexa.
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES + 1
    app.config["AUDIO_DIR"] = AUDIO_DIR
    app.extensions[EXTENSION] = handler
    app.extensions[EARLY_CHECKS] = early
    app.add_url_rule("/alexa", "alexa", _alexa, methods=["POST"])
    app.add_url_rule("/healthz", "healthz", _healthz, methods=["GET"])
    app.add_url_rule("/audio/<path:name>", "audio", _audio, methods=["GET"])
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


def _warn_if_open(settings: Settings, checks: list[AbstractVerifier]) -> None:
    if not checks:
        _log.warning(
            "!!! ALEXA REQUEST VERIFICATION IS OFF (CRAMP_COACH_VERIFY_SIGNATURES=0): anyone "
            "can send this skill forged or replayed requests. Local development only. !!!"
        )
    if not settings.skill_ids:
        _log.warning(
            "CRAMP_COACH_SKILL_ID is not set: requests for any skill ID are accepted. "
            "Set it to your skill's ID in production."
        )


def _alexa() -> Response:
    body = request.get_data(cache=False)  # 413 from Werkzeug if Content-Length is too big
    if len(body) > MAX_BODY_BYTES:
        _rejected("too_large")
        abort(413)
    early: list[EarlyVerifier] = current_app.extensions[EARLY_CHECKS]
    # Werkzeug's case-insensitive Headers, which the verifiers read (typed dict in the SDK).
    headers = cast(dict[str, Any], request.headers)
    try:
        for check in early:
            check.check_headers(headers)
        done = [check for check in early if check.check_bytes(headers, body)]
    except VerificationException as exc:
        # Our verifiers' messages hold no request text (only which check failed).
        _rejected("verification", clean(exc, 160))
        abort(400, "Request verification failed")
    try:
        text = body.decode("utf-8")
        envelope = json.loads(text)
    except (ValueError, RecursionError):
        _rejected("not_json")
        abort(400, "Body is not UTF-8 JSON")
    if not looks_like_envelope(envelope):
        _rejected("not_an_envelope")
        abort(400, "Body is not an Alexa request envelope")
    try:
        for check in early:
            if check not in done:
                check.check(headers, body, envelope)
    except VerificationException as exc:
        _rejected("verification", clean(exc, 160))
        abort(400, "Request verification failed")
    handler: WebserviceSkillHandler = current_app.extensions[EXTENSION]
    try:
        answer = handler.verify_request_and_dispatch(headers, text)
    except VerificationException as exc:
        _rejected("verification", clean(exc, 160))
        abort(400, "Request verification failed")
    except SerializationException:
        _rejected("undecodable")
        abort(400, "Body is not an Alexa request envelope")
    return jsonify(answer)


def _rejected(reason: str, check: str = "") -> None:
    """Before a request is verified, the fact of its rejection (and which check refused
    it) is all that is logged: its text, and the SDK's exception messages that quote it,
    could forge log lines or plant user ids in the log."""
    if check:
        _log.warning("request_rejected reason=%s check=%s", reason, check)
    else:
        _log.warning("request_rejected reason=%s", reason)


def _healthz() -> Response:
    return jsonify(status="ok")


def _audio(name: str) -> Response:
    if not name.endswith(".mp3"):
        abort(404)
    return send_from_directory(
        current_app.config["AUDIO_DIR"], name, mimetype="audio/mpeg", max_age=AUDIO_MAX_AGE_S
    )


def _http_error(exc: HTTPException) -> tuple[Response, int]:
    return jsonify(error=exc.name, description=exc.description), exc.code or 500


def _unexpected_error(exc: Exception) -> tuple[Response, int]:
    _log.error("unhandled_error %s", describe(exc))
    return _http_error(InternalServerError())
