"""The DynamoDB store, measured against dynalite on 127.0.0.1 (tests/dynalite_server.py).

1. Cold start of the Lambda handler: a fresh interpreter imports the entry point (which builds
   the skill and, for DynamoDB, the boto3 client) and answers one "I had a cramp" (a read and
   a conditional write), next to the hello skill and to the skill with no store, with
   compiled bytecode and without.
2. Many distinct people through the Flask host: gunicorn (2 sync workers), signature and
   timestamp checks on, each person sending two turns that both write ("I had a cramp", "make
   the holds N seconds") in a shuffled order from 16 client threads, so one person's two
   turns often overlap in the two workers. Against no store, a SQLite file and dynalite, in
   the same run. Afterwards every person's record is read back: a "lost write" is a turn
   whose answer said it was stored (the cramp noted, the hold length kept) but whose change
   is not in the store.

    python -m bench.dynamodb [--quick]

dynalite is a local engine: these figures compare stores on one machine; DynamoDB itself adds
network round trips (and SnapStart changes the cold start: docs/deploy.md).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.coldstart import run_child
from bench.http_app import PKI_DIR_ENV, STORE_ENV, write_pki
from bench.http_load import gunicorn
from bench.stats import summary
from skill.tools.simulator.envelopes import EnvelopeFactory
from tests import pki
from tests.dynalite_server import Dynalite

ROOT = Path(__file__).resolve().parents[1]
CLIENT_THREADS = 16

_CHILD = """
import json, sys, time
start = time.perf_counter()
module = __import__(sys.argv[1], fromlist=["handler"])
imported = time.perf_counter()
reply = module.handler(json.loads(sys.argv[2]))
answered = time.perf_counter()
print(json.dumps({"import_ms": (imported - start) * 1000,
                  "first_ms": (answered - imported) * 1000,
                  "speech": reply["response"]["outputSpeech"].get("ssml", "")}))
"""

COLD_CASES = (
    ("hello skill (baseline)", "bench.hello_skill", "none"),
    ("skill, no store", "skill.hosts.lambda_handler", "none"),
    ("skill, DynamoDB store (dynalite)", "skill.hosts.lambda_handler", "dynamodb"),
)


def _cold_once(module: str, db: str, bytecode: bool, env: dict[str, str]) -> dict[str, Any]:
    envelope = EnvelopeFactory(user_id=f"amzn1.ask.account.COLD{random.getrandbits(64):x}")
    # The yes to keeping a count after "I had a cramp": a read and a write (see _turns).
    envelope.session_attributes = {"question": "log_consent", "log_for": "now"}
    turn = json.dumps(envelope.intent("AMAZON.YesIntent"))
    return run_child(_CHILD, [module, turn], bytecode, {**env, STORE_ENV: db})


def cold_start(server: Dynalite, repeats: int) -> list[dict[str, Any]]:
    """Median import+build and first-answer times per case, interleaved run by run."""
    table = "bench-cold"
    server.create_table(table)
    env = server.env()
    rows = []
    for bytecode in (True, False):
        for _, module, db in COLD_CASES:  # warm the bytecode cache (and dynalite)
            _cold_once(module, _db(db, table), True, env)
        samples: dict[str, list[dict[str, Any]]] = {label: [] for label, _, _ in COLD_CASES}
        for _ in range(repeats):
            for label, module, db in COLD_CASES:
                samples[label].append(_cold_once(module, _db(db, table), bytecode, env))
        base = statistics.median(s["import_ms"] + s["first_ms"] for s in samples[COLD_CASES[0][0]])
        for label, _, db in COLD_CASES:
            runs = samples[label]
            total = statistics.median(s["import_ms"] + s["first_ms"] for s in runs)
            if db == "dynamodb":
                assert all("noted" in s["speech"] for s in runs), runs[0]["speech"]
            rows.append(
                {
                    "case": label,
                    "bytecode": bytecode,
                    "import_ms": statistics.median(s["import_ms"] for s in runs),
                    "first_ms": statistics.median(s["first_ms"] for s in runs),
                    "total_ms": total,
                    "ratio": total / base,
                }
            )
    return rows


def _db(kind: str, table: str) -> str:
    return f"dynamodb:{table}" if kind == "dynamodb" else kind


# --- many distinct people through the Flask host ---------------------------------------------


def _turns(people: int, signer: pki.Pki, prefix: str = "LOAD") -> list[dict[str, Any]]:
    """Two signed turns per person, shuffled: log a cramp, set the hold length.

    The cramp turn is the "yes" to "want me to keep a count of your cramps?" that "I had a
    cramp" asks first (no cramp is logged without it): it stores the consent and the cramp."""
    turns = []
    for n in range(people):
        factory = EnvelopeFactory(user_id=f"amzn1.ask.account.{prefix}{n:06d}")
        hold = 20 + n % 11
        factory.session_attributes = {"question": "log_consent", "log_for": "now"}
        agreed = factory.intent("AMAZON.YesIntent")
        factory.session_attributes = {}
        for kind, envelope in (
            ("cramp", agreed),
            ("hold", factory.intent("HoldLengthIntent", {"Seconds": str(hold)})),
        ):
            body = json.dumps(envelope).encode()
            turns.append(
                {
                    "person": n,
                    "kind": kind,
                    "hold": hold,
                    "body": body,
                    "headers": {"Content-Type": "application/json", **signer.headers(body)},
                }
            )
    random.Random(17).shuffle(turns)
    return turns


def _claimed(turn: dict[str, Any], speech: str) -> bool:
    """The answer said the change was stored."""
    if turn["kind"] == "cramp":
        return "noted" in speech
    return f"{turn['hold']} second holds" in speech


def _drive(port: int, turns: list[dict[str, Any]]) -> dict[str, Any]:
    work: queue.Queue[dict[str, Any]] = queue.Queue()
    for turn in turns:
        work.put(turn)
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client() -> None:
        nonlocal errors
        while True:
            try:
                turn = work.get_nowait()
            except queue.Empty:
                return
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("POST", "/alexa", turn["body"], turn["headers"])
                response = connection.getresponse()
                payload = response.read()
                connection.close()
                ok = response.status == 200
                speech = json.loads(payload)["response"]["outputSpeech"]["ssml"] if ok else ""
            except (OSError, ValueError, KeyError):
                ok, speech = False, ""
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors += 1
            turn["claimed"] = ok and _claimed(turn, speech)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.perf_counter() - started
    stats = summary(latencies)
    return {
        "requests": len(turns),
        "rps": len(turns) / duration,
        "p50_ms": stats["p50"] * 1000,
        "p99_ms": stats["p99"] * 1000,
        "errors": errors,
    }


def _lost_writes(turns: list[dict[str, Any]], store: Any) -> tuple[int, int]:
    """(claimed turns whose change is missing from the store, claimed turns)."""
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    serializer = DefaultSerializer()
    claimed = [turn for turn in turns if turn.get("claimed")]
    lost = 0
    records: dict[int, dict[str, Any]] = {}
    for turn in claimed:
        person = turn["person"]
        if person not in records:
            envelope = serializer.deserialize(turn["body"].decode(), RequestEnvelope)
            records[person] = store.get_attributes(envelope)
        record = records[person]
        if turn["kind"] == "cramp":
            lost += not record.get("cramps")
        else:
            lost += int(record.get("hold_seconds", 0)) != turn["hold"]
    return lost, len(claimed)


def load(server: Dynalite, people: int, only: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The three stores (or the ``only`` ones), in one run; fresh people (and a fresh table or
    file) for each."""
    from skill.store.dynamodb import DynamoDbStore
    from skill.store.sqlite import SQLiteAdapter

    signer = pki.make_pki()
    rows = []
    with tempfile.TemporaryDirectory(prefix="cramp-bench-ddb-") as tmp:
        directory = Path(tmp)
        write_pki(directory, signer.root_pem, signer.chain_pem)
        log = directory / "gunicorn.log"
        server.create_table("bench-load")
        sqlite_path = directory / "load.sqlite3"
        cases = (
            ("no store", "none", None),
            ("SQLite store", str(sqlite_path), lambda: SQLiteAdapter(sqlite_path)),
            (
                "DynamoDB store (dynalite)",
                "dynamodb:bench-load",
                lambda: DynamoDbStore("bench-load", server.client()),
            ),
        )
        app = "bench.http_app:create_bench_app()"
        for label, db, store in cases:
            if only and label not in only:
                continue
            env = {**server.env(), PKI_DIR_ENV: tmp, STORE_ENV: db}
            try:
                with gunicorn(app, env, log) as running:
                    _drive(running.port, _turns(8, signer, "WARM"))  # boot and warm both workers
                    turns = _turns(people, signer)  # signed now: well within 150 s
                    figures = _drive(running.port, turns)
            except Exception as exc:
                raise RuntimeError(
                    f"{exc}\n--- gunicorn log ---\n{log.read_text()[-2000:]}"
                ) from exc
            lost, claimed = _lost_writes(turns, store()) if store else (None, None)
            rows.append(
                {"store": label, "people": people, "lost": lost, "claimed": claimed, **figures}
            )
    base = rows[0]["rps"]
    for row in rows:
        row["ratio"] = row["rps"] / base
    return rows


def run(quick: bool = False) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    with Dynalite() as server:
        result = {
            "cold": cold_start(server, 3 if quick else 7),
            "load": load(server, 150 if quick else 1000),
        }
    result["load_average"] = (load_before, os.getloadavg()[0])
    return result


def markdown(result: dict[str, Any]) -> str:
    lines = [
        "## DynamoDB store against dynalite",
        "",
        "dynalite (npm) is a DynamoDB engine on 127.0.0.1: these rows compare the stores on this",
        "machine, DynamoDB's network round trips excluded. What SnapStart does to the cold start",
        "cannot be measured off AWS: see docs/deploy.md.",
        "",
        "Cold start: a fresh interpreter imports the Lambda handler (building the skill and, with",
        'DynamoDB, the boto3 client) and answers one "I had a cramp" for a new person (a read and',
        "a conditional write). Median of the runs, cases interleaved; ratio to the hello skill.",
    ]
    if "load_average" in result:
        before, after = result["load_average"]
        lines.append(f"Load average before / after: {before:.2f} / {after:.2f} (2 shared cores).")
    lines += [
        "",
        "| case | bytecode | import + build (ms) | first answer (ms) | total (ms) "
        "| ratio to hello |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for row in result["cold"]:
        lines.append(
            f"| {row['case']} | {'compiled (.pyc)' if row['bytecode'] else 'from source'} "
            f"| {row['import_ms']:.1f} | {row['first_ms']:.1f} | {row['total_ms']:.1f} "
            f"| {row['ratio']:.2f} |"
        )
    people = result["load"][0]["people"]
    lines += [
        "",
        f"Many people: {people:,} distinct people, two writing turns each ({2 * people:,} "
        f"requests), shuffled, {CLIENT_THREADS} client threads",
        "(Python, on the same cores), one server after the other with fresh people each,",
        "gunicorn 2 sync workers, signature + timestamp checks on. Lost writes: turns whose",
        "answer said the change was stored but whose change is not in the store afterwards.",
        "",
        "| store | req/s | ratio to no store | p50 (ms) | p99 (ms) | errors | lost writes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["load"]:
        lost = "n/a" if row["lost"] is None else f"{row['lost']} of {row['claimed']:,} claimed"
        lines.append(
            f"| {row['store']} | {row['rps']:,.0f} | {row['ratio']:.2f} | {row['p50_ms']:.1f} "
            f"| {row['p99_ms']:.1f} | {row['errors']} | {lost} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dynamodb", description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    print(markdown(run(args.quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
