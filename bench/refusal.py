"""What a refused request costs, and how long a trickled certificate chain holds one.

Usage: ``python -m bench.refusal [--rounds N]``. Prints the rows of docs/reliability.md
("Refusing cheaply").

- **CPU per request** (``time.process_time``, this process only, median of ``rounds``):
  ``POST /alexa`` through the Flask app as production builds it (skill ID allow list,
  signature and timestamp checks, trusting the test PKI of tests/pki.py), for a normal signed
  launch and for 256 KiB requests (an intent with thousands of slots) refused for each
  reason.
- **Trickled chain**: the chain download against a TLS server on 127.0.0.1 that sends the
  chain a byte every 0.5 s (tests/tls_servers.py); how long the download holds, cut off at
  ``--cap`` seconds if it has not given up by then.

Runs against whichever checkout it is started in (the "before" figures come from the same
script run in main's tree). No network.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import ssl
import statistics
import threading
import time
from datetime import timedelta
from typing import Any

from skill.alexa import verification
from skill.tools.simulator.envelopes import EnvelopeFactory
from tests import pki
from tests.tls_servers import S3Stand
from tests.web_support import NOW, encode, iso, post, signed_app

PADDING = 250 * 1024


def envelope(padded: bool, **changes: Any) -> dict[str, Any]:
    """A signed launch; padded, an intent with ~2,800 slots (256 KiB), each of which the SDK
    would build into a model: the expensive kind of junk."""
    factory = EnvelopeFactory(api_endpoint="")
    launch = factory.intent("CrampReliefIntent") if padded else factory.launch()
    launch["request"]["timestamp"] = iso(NOW)
    if padded:
        slots = {f"s{n}": {"name": f"s{n}", "value": "x" * 40} for n in range(PADDING // 90)}
        launch["request"]["intent"]["slots"] = slots
    if "skill_id" in changes:
        launch["context"]["System"]["application"]["applicationId"] = changes["skill_id"]
    if "age" in changes:
        launch["request"]["timestamp"] = iso(NOW - timedelta(seconds=changes["age"]))
    return launch


def cases(good: pki.Pki) -> dict[str, tuple[bytes, dict[str, str], int]]:
    """name -> (body, headers, expected status)."""
    normal = encode(envelope(False))
    big = encode(envelope(True))
    wrong_skill = encode(envelope(True, skill_id="amzn1.ask.skill.other"))
    stale = encode(envelope(True, age=600))
    unknown_url = dict(good.headers(big), SignatureCertChainUrl=pki.CERT_URL + ".new")
    return {
        "normal signed launch (~1 KiB)": (normal, good.headers(normal), 200),
        "256 KiB, wrong skill ID": (wrong_skill, good.headers(wrong_skill), 400),
        "256 KiB, timestamp 10 min old": (stale, good.headers(stale), 400),
        "256 KiB, bad signature": (big, good.headers(big + b" "), 400),
        "256 KiB, certificate URL not Amazon's": (
            big,
            dict(good.headers(big), SignatureCertChainUrl="https://evil.example/echo.api/x.pem"),
            400,
        ),
        "256 KiB, unknown certificate URL (download fails)": (big, unknown_url, 400),
    }


def cpu_per_request(rounds: int) -> list[tuple[str, float, int]]:
    good = pki.make_pki()
    app = signed_app(good)
    rows = []
    for name, (body, headers, expected) in cases(good).items():
        post(app, body, headers)  # warm: caches, first-use imports
        spent = []
        for _ in range(rounds):
            started = time.process_time()
            response = post(app, body, headers)
            spent.append(time.process_time() - started)
            assert response.status_code == expected, (name, response.status_code)
        rows.append((name, statistics.median(spent) * 1000, len(body)))
    return rows


def trickled_chain(cap: float) -> float | None:
    """Seconds the download of a trickled chain held, or None if still held at ``cap``."""
    good = pki.make_pki()
    stand = S3Stand("trickle", body=good.chain_pem)
    finished: list[float] = []

    def fetch() -> None:
        started = time.monotonic()
        try:
            if "address" in inspect.signature(verification.download).parameters:
                verification.download(
                    pki.CERT_URL, address=stand.address, context=stand.client_context
                )
            else:  # main's download: urllib to the URL, certifi's roots; point both here
                context = stand.client_context
                context.check_hostname = False
                original = ssl.create_default_context
                ssl.create_default_context = lambda *a, **k: context  # type: ignore[assignment]
                try:
                    host, port = stand.address
                    verification.download(f"https://{host}:{port}/echo.api/x.pem")
                finally:
                    ssl.create_default_context = original
        except Exception:
            pass
        finished.append(time.monotonic() - started)

    worker = threading.Thread(target=fetch, daemon=True)
    worker.start()
    worker.join(cap)
    stand.close()
    return finished[0] if finished else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--cap", type=float, default=30.0)
    args = parser.parse_args()
    print(f"load: {os.getloadavg()[0]:.1f}")
    rows = cpu_per_request(args.rounds)
    normal = rows[0][1]
    for name, ms, size in rows:
        print(f"| {name} | {size:,} | {ms:.2f} ms | {ms / normal:.1f}x |")
    held = trickled_chain(args.cap)
    shown = f"still held at {args.cap:.0f} s" if held is None else f"{held:.2f} s"
    print(json.dumps({"trickled_chain_hold": shown}))
    print(f"| trickled chain (1 byte / 0.5 s) | {shown} |")


if __name__ == "__main__":
    main()
