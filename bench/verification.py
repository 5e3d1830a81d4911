"""Request verification on its own, and the Flask endpoint through the test client.

    python -m bench.verification [--requests 3000] [--verifies 20000]

Measures one signature verification with the chain cached (the per-request cost once warm),
the cold chain validation a new certificate URL costs, and requests/s through POST /alexa with
Flask's test client (one thread, no HTTP): a bare Flask JSON echo (the floor), the skill with
verification off, with the timestamp check, and with signature + timestamp. ``python -m bench``
runs these as its section 4; this entry point prints them alone.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from cryptography.x509.verification import Store
from flask import Flask

from bench.http_app import bench_store, create_echo_app
from skill.alexa.verification import (
    SignatureVerifier,
    TimestampVerifier,
    load_roots,
    validate_chain,
)
from skill.hosts.web import create_app
from skill.settings import Settings
from skill.tools.simulator.envelopes import EnvelopeFactory
from tests import pki  # the self-made Alexa-like PKI


def per_call_us(fn: Callable[[], object], calls: int, rounds: int = 5) -> float:
    """Median over ``rounds`` of the mean time per call, in microseconds."""
    fn()
    results = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        results.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(results)


def bench_signature(calls: int = 20_000) -> dict[str, float]:
    """Microseconds per verification: warm (cached chain) and cold (validate a chain)."""
    good = pki.make_pki()
    body = json.dumps(EnvelopeFactory().launch()).encode()
    headers = good.headers(body)
    text = body.decode()
    verifier = SignatureVerifier(good.root_pem, good.fetch())
    warm = per_call_us(lambda: verifier.verify(headers, text, None), calls)
    store = Store(load_roots(good.root_pem))
    cold = per_call_us(
        lambda: validate_chain(good.chain_pem, store, datetime.now(UTC)), max(calls // 20, 100)
    )
    return {"verify, cached chain (us)": warm, "chain validation, cold (us)": cold}


Signed = tuple[bytes, dict[str, str]]


def endpoint_apps() -> tuple[dict[str, Flask], Callable[[], Signed]]:
    """The four set-ups compared, and how to sign a fresh launch request for them (the same
    request and headers for every set-up within a round, so the rows differ only in the work
    the server does)."""
    good = pki.make_pki()
    open_settings = Settings(verify_signatures=False, db=bench_store())
    signed_settings = Settings(verify_signatures=True, db=bench_store())
    verifiers = [SignatureVerifier(good.root_pem, good.fetch()), TimestampVerifier()]
    apps = {
        "bare Flask JSON echo": create_echo_app(),
        "skill, verification off": create_app(open_settings, verifiers=[]),
        "skill + timestamp": create_app(signed_settings, verifiers=[TimestampVerifier()]),
        "skill + signature + timestamp": create_app(signed_settings, verifiers),
    }

    def sign() -> Signed:
        body = json.dumps(EnvelopeFactory().launch()).encode()
        return body, good.headers(body)

    return apps, sign


def bench_endpoint(requests: int = 3_000, rounds: int = 5) -> dict[str, float]:
    """Requests per second through POST /alexa with the Flask test client, one thread.
    Rounds are interleaved across the set-ups so drift in machine load hits all of them, and
    each round signs a new request: on a busy machine the rounds outlast the 150 s a request
    timestamp is accepted for, and one request replayed throughout would start to fail."""
    apps, sign = endpoint_apps()
    samples: dict[str, list[float]] = {name: [] for name in apps}
    for _ in range(rounds):
        body, headers = sign()
        for name, app in apps.items():
            client = app.test_client()

            def call(client=client, name=name, body=body, headers=headers) -> None:
                response = client.post(
                    "/alexa", data=body, headers=headers, content_type="application/json"
                )
                assert response.status_code == 200, (name, response.status_code)

            samples[name].append(per_call_us(call, requests, rounds=1))
    return {name: 1e6 / statistics.median(values) for name, values in samples.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3_000)
    parser.add_argument("--verifies", type=int, default=20_000)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the "verification off" warning is expected here
    print("| measure | value |\n|---|---|")
    for name, value in bench_signature(args.verifies).items():
        print(f"| {name} | {value:,.1f} |")
    for name, value in bench_endpoint(args.requests).items():
        print(f"| {name} (req/s) | {value:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
