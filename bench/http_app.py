"""The two apps the HTTP benchmark serves under gunicorn, importable by its workers.

    gunicorn -w 2 'bench.http_app:create_bench_app()'   # the skill, signature + timestamp on
    gunicorn -w 2 'bench.http_app:create_echo_app()'    # the floor: a bare Flask JSON echo

Workers are separate processes, so the skill app cannot be handed a PKI object: the bench writes
the self-made test PKI's root and chain to a directory named by ``CRAMP_BENCH_PKI_DIR`` and each
worker builds its verifiers from those files, exactly as production would from Amazon's, with the
chain "download" answered from the file (the cached-chain case, which is every warm request).
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, jsonify, request

from skill.alexa.verification import SignatureVerifier, TimestampVerifier
from skill.hosts.web import create_app
from skill.settings import Settings
from skill.tools.simulator.envelopes import DEFAULT_SKILL_ID

PKI_DIR_ENV = "CRAMP_BENCH_PKI_DIR"
STORE_ENV = "CRAMP_COACH_DB"
ROOT_FILE = "root.pem"
CHAIN_FILE = "chain.pem"


def bench_store() -> str:
    """The skill's store for benchmarks: ``CRAMP_COACH_DB`` if set, else none at all.

    Never the skill's own default (a SQLite file in the user's data directory): a benchmark
    must not write into a real store. ``python -m bench`` sets a throw-away SQLite file."""
    return os.environ.get(STORE_ENV, "").strip() or "none"


def create_echo_app() -> Flask:
    """The floor: Flask parsing the JSON body and returning it, no skill."""
    app = Flask("echo")

    @app.post("/alexa")
    def echo():  # type: ignore[no-untyped-def]
        return jsonify(request.get_json())

    return app


def write_pki(directory: Path, root_pem: bytes, chain_pem: bytes) -> None:
    """Leave the trusted root and the served chain where the workers will look."""
    (directory / ROOT_FILE).write_bytes(root_pem)
    (directory / CHAIN_FILE).write_bytes(chain_pem)


def create_bench_app(pki_dir: str | None = None) -> Flask:
    """The production app with the skill-ID allow list and signature + timestamp checks, trusting
    the test root; every certificate URL is answered with the test chain."""
    directory = Path(pki_dir or os.environ[PKI_DIR_ENV])
    root_pem = (directory / ROOT_FILE).read_bytes()
    chain_pem = (directory / CHAIN_FILE).read_bytes()

    def fetch(url: str) -> bytes:
        return chain_pem

    settings = Settings(skill_ids=(DEFAULT_SKILL_ID,), verify_signatures=True, db=bench_store())
    return create_app(settings, verifiers=[SignatureVerifier(root_pem, fetch), TimestampVerifier()])
