"""Measure what each fault costs a person: what they hear, and the worst answer time.

Usage: ``python -m bench.faults [--rounds N]``. Prints the table in docs/reliability.md.
Every fault is real and local: a SQLite file opened read-only or whose directory is removed,
a store that never answers, a Timers API on 127.0.0.1 that trickles one byte every 0.5 s or
answers a JSON array, a DynamoDB endpoint on 127.0.0.1 that accepts connections and never
answers (through the real boto3 client, under gunicorn with the repository's config, 8
callers at once), forged envelopes and session attributes. Nothing leaves the machine.

Times are wall-clock on a shared machine: the worst of ``rounds`` runs is reported, as that
is what Alexa's 8 s limit is about.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from skill.alexa.builder import build_skill
from skill.core.ssml import plain_text
from skill.hosts.lambda_handler import handler, invoke
from skill.settings import Settings
from skill.store.sqlite import SQLiteAdapter
from skill.tools.simulator.envelopes import EnvelopeFactory
from skill.tools.simulator.fake_alexa_api import allow_local_api
from tests.slow_servers import fixed_server, trickling_server
from tests.test_store_faults import ReadOnlyWhileBroken
from tests.test_turn_deadline import HungStore, SlowSaves

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "fake-alexa-token"


def heard(answer: dict[str, Any]) -> str:
    ssml = ((answer.get("response") or {}).get("outputSpeech") or {}).get("ssml")
    return plain_text(ssml) if ssml else "(no speech)"


def worst(rounds: int, turn: Callable[[], dict[str, Any]]) -> tuple[float, str]:
    slowest, said = 0.0, ""
    for _ in range(rounds):
        started = time.monotonic()
        answer = turn()
        slowest = max(slowest, time.monotonic() - started)
        said = heard(answer)
    return slowest, said


def skill_turn(store: Any, intent: str, endpoint: str = "", **slots: Any) -> Callable[[], Any]:
    skill = build_skill(Settings(), persistence_adapter=store)
    factory = EnvelopeFactory(api_endpoint=endpoint, api_access_token=TOKEN)
    return lambda: invoke(skill, factory.intent(intent, slots))


def in_process(rounds: int) -> list[tuple[str, float, str]]:
    rows: list[tuple[str, float, str]] = []
    tmp = Path(tempfile.mkdtemp(prefix="cramp-faults-"))
    try:
        read_only = ReadOnlyWhileBroken(tmp / "ro" / "coach.sqlite3")
        invoke(
            build_skill(Settings(), persistence_adapter=read_only),
            EnvelopeFactory().intent("HoldLengthIntent", {"Seconds": "25"}),
        )
        read_only.broken = True
        rows.append(
            (
                "SQLite file read-only: 'I had a cramp'",
                *worst(rounds, skill_turn(read_only, "LogCrampIntent")),
            )
        )

        home = tmp / "gone"
        store = SQLiteAdapter(home / "coach.sqlite3")
        log = skill_turn(store, "LogCrampIntent")
        log()

        def removed_and_back() -> Any:
            shutil.rmtree(home)
            home.mkdir()
            return log()

        rows.append(
            ("store directory removed and re-created (next turn)", *worst(rounds, removed_and_back))
        )

        slow_saves = SlowSaves()
        try:
            rows.append(
                (
                    "store reads, but its writes hang: 'I had a cramp'",
                    *worst(rounds, skill_turn(slow_saves, "LogCrampIntent")),
                )
            )
        finally:
            slow_saves.released.set()
        hung = HungStore()
        try:
            rows.append(
                (
                    "store hangs: 'my hamstring is cramping'",
                    *worst(rounds, skill_turn(hung, "CrampReliefIntent")),
                )
            )
            rows.append(
                ("store hangs: 'I had a cramp'", *worst(rounds, skill_turn(hung, "LogCrampIntent")))
            )
            trickle = trickling_server()
            try:
                rows.append(
                    (
                        "Timers API trickles 1 byte / 0.5 s: 'set a stretch timer'",
                        *worst(
                            rounds, skill_turn(None, "SetTimerIntent", trickle.url, Number="30")
                        ),
                    )
                )
                rows.append(
                    (
                        "Timers API trickles and the store hangs, together",
                        *worst(
                            rounds, skill_turn(hung, "SetTimerIntent", trickle.url, Number="30")
                        ),
                    )
                )
            finally:
                trickle.close()
        finally:
            hung.released.set()
        array = fixed_server(200, b"[]")
        try:
            rows.append(
                (
                    "Timers API answers 200 with a JSON array",
                    *worst(rounds, skill_turn(None, "SetTimerIntent", array.url, Number="30")),
                )
            )
        finally:
            array.close()
        rows.append(
            (
                "apiEndpoint 'http://[::1' (unparsable)",
                *worst(rounds, skill_turn(None, "SetTimerIntent", "http://[::1", Number="30")),
            )
        )
        forged = EnvelopeFactory()
        forged.new = False
        forged.session_attributes = {
            "said": {"speech": ['<audio src="https://evil.example/x.mp3"/>', 60]},
            "tip": float("inf"),
            "routine": {"routine": "relief", "index": 1e309},
            "question": ["x"],
        }
        rows.append(
            (
                "forged session attributes + 'repeat'",
                *worst(rounds, lambda: handler(forged.intent("AMAZON.RepeatIntent"))),
            )
        )
        bad = EnvelopeFactory().launch()
        bad["request"]["type"] = "Made.Up.Request"
        unreadable = EnvelopeFactory().intent("CrampReliefIntent")
        unreadable["request"]["intent"] = ["not", "an", "object"]
        rows.append(
            (
                "Lambda: an IntentRequest the SDK cannot read",
                *worst(rounds, lambda: handler(json.loads(json.dumps(unreadable)))),
            )
        )
        rows.append(
            (
                "Lambda: an unknown request type",
                *worst(rounds, lambda: handler(json.loads(json.dumps(bad)))),
            )
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def black_hole() -> tuple[socket.socket, threading.Event]:
    """A TCP server on 127.0.0.1 that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    stop = threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue
        for sock in held:
            sock.close()

    threading.Thread(target=accept, daemon=True).start()
    return listener, stop


def hung_dynamodb_under_gunicorn(callers: int = 8) -> tuple[str, float, float, str]:
    """8 callers at once, gunicorn with deploy/gunicorn.conf.py, DynamoDB never answering."""
    listener, stop = black_hole()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "CRAMP_COACH_DB": "dynamodb:cramp-coach",
        "CRAMP_COACH_VERIFY_SIGNATURES": "0",
        "AWS_ENDPOINT_URL_DYNAMODB": f"http://127.0.0.1:{listener.getsockname()[1]}",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "deploy/gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "skill.hosts.web:create_app()",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import requests

        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(url + "/healthz", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)

        def call(n: int) -> tuple[float, str]:
            body = EnvelopeFactory(user_id=f"amzn1.ask.account.C{n}").intent("LogCrampIntent")
            started = time.monotonic()
            answer = requests.post(url + "/alexa", json=body, timeout=20).json()
            return time.monotonic() - started, heard(answer)

        with ThreadPoolExecutor(callers) as pool:
            results = list(pool.map(call, range(callers)))
        times = sorted(seconds for seconds, _ in results)
        return (
            f"DynamoDB hangs, {callers} callers at once, gunicorn gthread 2x8",
            times[len(times) // 2],
            times[-1],
            results[0][1],
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
        stop.set()
        listener.close()


def slow_clients_through_nginx(rounds: int) -> list[tuple[str, float, str]]:
    """/healthz through nginx while 6 slow clients hold connections (gunicorn 1x2 threads),
    and straight to gunicorn with the same clients (the answer never comes: capped at 3 s)."""
    from tests import test_proxy_recipe as recipe

    if recipe.NGINX is None:
        return [("slow clients (nginx not installed: not measured)", 0.0, "")]
    rows = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        recipe.running_stack(Path(tmp)) as (nginx_port, gunicorn_port),
    ):
        for label, port in (("through nginx", nginx_port), ("straight to gunicorn", gunicorn_port)):
            slowest, answered = 0.0, True
            with recipe.slow_clients(port):
                for _ in range(rounds):
                    started = time.monotonic()
                    status = recipe.healthz(port, 3)
                    slowest = max(slowest, time.monotonic() - started)
                    answered = answered and status == 200
            said = "200 every time" if answered else "no answer within 3 s"
            rows.append((f"6 slow clients, GET /healthz {label}", slowest, said))
    return rows


def main() -> None:
    allow_local_api()  # the trickling and wrong-shaped APIs are plain HTTP on 127.0.0.1
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print("| fault | worst answer (s) | what the person hears |")
    print("|---|---|---|")
    for name, seconds, said in in_process(args.rounds):
        print(f"| {name} | {seconds:.2f} | {said[:240]} |")
    for name, seconds, said in slow_clients_through_nginx(args.rounds):
        print(f"| {name} | {seconds:.2f} | {said} |")
    name, median, slowest, said = hung_dynamodb_under_gunicorn()
    print(f"| {name} | {slowest:.2f} (median {median:.2f}) | {said[:240]} |")


if __name__ == "__main__":
    main()
