"""The web stack imports and serves in a fresh interpreter on this machine's OpenSSL, and the
certvalidator shim behaves in both worlds: real one used untouched, or a stand-in failing closed.

Each case runs in a subprocess: the shim acts at import time, once per interpreter.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # fresh interpreters

ROOT = Path(__file__).resolve().parent.parent


def run(code: str, extra_path: Path | None = None) -> str:
    paths = [str(p) for p in (extra_path, ROOT) if p is not None]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    for name in [n for n in env if n.startswith("CRAMP_COACH_")]:
        del env[name]
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_fresh_interpreter_imports_skill_web_and_serves_a_signed_request() -> None:
    out = run(
        """
        import json, ssl
        from tests import pki
        from skill.settings import Settings
        from skill.alexa.verification import SignatureVerifier, TimestampVerifier
        from skill.tools.simulator.envelopes import EnvelopeFactory
        from skill.hosts.web import create_app

        good = pki.make_pki()
        verifiers = [SignatureVerifier(good.root_pem, good.fetch()), TimestampVerifier()]
        app = create_app(Settings(), verifiers=verifiers)
        body = json.dumps(EnvelopeFactory().launch()).encode()
        response = app.test_client().post("/alexa", data=body, headers=good.headers(body))
        print(response.status_code, "cramp" in json.dumps(response.get_json()).lower())
        forged = body.replace(b"LaunchRequest", b"SessionEndedRequest")
        print(app.test_client().post("/alexa", data=forged, headers=good.headers(body)).status_code)
        print(ssl.OPENSSL_VERSION)
        """
    )
    lines = out.splitlines()
    assert lines[:2] == ["200 True", "400"]
    assert lines[2].startswith("OpenSSL")


def fake_certvalidator(tmp_path: Path, init: str) -> Path:
    package = tmp_path / "certvalidator"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(init))
    (package / "errors.py").write_text(
        "class PathError(Exception): pass\nclass ValidationError(Exception): pass\n"
    )
    return tmp_path


def test_unimportable_certvalidator_gets_a_stand_in_that_fails_closed(tmp_path: Path) -> None:
    """As with oscrypto 1.3.0 on OpenSSL 3.0.10+: importing certvalidator raises (and not an
    ImportError). The SDK then imports, and its stock verifier rejects even a valid chain."""
    broken = fake_certvalidator(
        tmp_path, "raise OSError('Error detecting the version of libcrypto')\n"
    )
    out = run(
        """
        import sys
        from tests import pki
        from skill.alexa import sdk_compat
        from ask_sdk_webservice_support.verifier import RequestVerifier, VerificationException
        from ask_sdk_webservice_support.webservice_handler import WebserviceSkillHandler

        print(getattr(sys.modules["certvalidator"], sdk_compat.STAND_IN_MARKER))
        try:
            RequestVerifier()._validate_cert_chain(pki.make_pki().chain_pem)
        except VerificationException:
            print("stock verifier rejected")
        """,
        extra_path=broken,
    )
    assert out.splitlines() == [
        "OSError: Error detecting the version of libcrypto",
        "stock verifier rejected",
    ]


def test_importable_certvalidator_is_used_untouched(tmp_path: Path) -> None:
    working = fake_certvalidator(
        tmp_path,
        """
        IS_THE_REAL_ONE = True
        class CertificateValidator:
            def __init__(self, end_cert, intermediates):
                pass
            def validate_usage(self, key_usage):
                pass
        """,
    )
    out = run(
        """
        import sys
        from skill.alexa import sdk_compat
        import ask_sdk_webservice_support.verifier as stock

        module = sys.modules["certvalidator"]
        print(module.IS_THE_REAL_ONE, hasattr(module, sdk_compat.STAND_IN_MARKER))
        print(stock.CertificateValidator is module.CertificateValidator)
        print(sdk_compat.ensure_certvalidator())
        """,
        extra_path=working,
    )
    assert out.splitlines() == ["True False", "True", "True"]


@pytest.mark.parametrize("module", ["skill.alexa.verification", "skill.hosts.web"])
def test_our_modules_import_on_this_machine(module: str) -> None:
    """Importing our modules never raises on this machine, whichever certvalidator it has."""
    out = run(f"import {module}; print('ok')")
    assert out.strip() == "ok"
