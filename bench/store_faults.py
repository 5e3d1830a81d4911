"""The SQLite store under load and under file faults, as several gunicorn workers see it.

Usage: ``python -m bench.store_faults [--people 1000] [--workers 3] [--threads 4]
[--rounds 3]``. Prints the rows of docs/reliability.md ("The SQLite store under load").

- **People run**: ``--people`` people split over ``--workers`` processes of ``--threads``
  threads (gunicorn's gthread shape), each person talking six turns through the Lambda entry
  on one shared SQLite file: set a hold length, ask for a count and agree to it, log a cramp,
  change the hold again, ask the count. Counted: answers that say a save failed or the
  records were unreachable, and each turn's time.
- **Heal time**: workers keep saving (each thread changes one person's hold length in a
  loop) while the file is hit: the main file deleted with its ``-wal``/``-shm`` left, the
  file replaced by another store file, the directory removed. Heal time is, per worker, the
  time from the fault to its first stored save after it; the worst worker is reported, or
  "never" if a worker stored nothing in the ``--after`` seconds that follow. Workers that died
  (a signal, e.g. SIGBUS) are counted.

Everything is local: files in a temporary directory, no network (the envelopes carry no API
endpoint). Wall-clock times on a shared machine; write down ``uptime`` beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path.cwd()
FAILED = ("couldn't save", "can't reach my records")


def _talk(db: str) -> Any:
    """A conversation factory on one shared store for this process (imported late: the
    child picks up whichever checkout it runs in)."""
    from skill.alexa.builder import build_skill
    from skill.hosts.lambda_handler import invoke
    from skill.settings import Settings
    from skill.store import SQLiteAdapter
    from skill.tools.simulator.conversation import Conversation
    from skill.tools.simulator.envelopes import EnvelopeFactory

    skill = build_skill(Settings(), persistence_adapter=SQLiteAdapter(db))

    def conversation(user: str) -> Conversation:
        factory = EnvelopeFactory(user_id=f"amzn1.ask.account.{user}", api_endpoint="")
        return Conversation(lambda envelope: invoke(skill, envelope), factory)

    return conversation


def child_people(db: str, first: int, count: int, threads: int) -> None:
    """One worker process: ``count`` people from ``first``, over ``threads`` threads."""
    conversation = _talk(db)
    times: list[float] = []
    failures = 0
    lock = threading.Lock()

    def person(n: int) -> None:
        nonlocal failures
        talk = conversation(f"P{n}")
        turns = [
            ("HoldLengthIntent", {"Seconds": "22"}),
            ("CrampCountIntent", {}),
            ("AMAZON.YesIntent", {}),
            ("LogCrampIntent", {}),
            ("HoldLengthIntent", {"Seconds": "27"}),
            ("CrampCountIntent", {}),
        ]
        for name, slots in turns:
            started = time.perf_counter()
            speech = talk.intent(name, **slots).speech
            took = time.perf_counter() - started
            with lock:
                times.append(took)
                failures += any(words in speech for words in FAILED)

    def run(slice_: list[int]) -> None:
        for n in slice_:
            person(n)

    people = list(range(first, first + count))
    pool = [threading.Thread(target=run, args=(people[t::threads],)) for t in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    print(json.dumps({"times": times, "failures": failures}))


def child_saver(db: str, name: str, threads: int, seconds: float) -> None:
    """One worker process saving in a loop; prints (time, stored) per save, wall clock."""
    conversation = _talk(db)
    log: list[tuple[float, bool]] = []
    lock = threading.Lock()
    ends = [time.time() + seconds + 60]  # until the first save; then ``seconds`` from it

    last: dict[str, int] = {}
    ready = threading.Event()

    def run(t: int) -> None:
        from ask_sdk_core.serialize import DefaultSerializer

        from skill.store.keys import user_key

        talk = conversation(f"{name}-{t}")
        envelope = DefaultSerializer().deserialize(
            json.dumps(talk.factory.launch()), "ask_sdk_model.RequestEnvelope"
        )
        key = user_key(envelope)
        n = 0
        while time.time() < ends[0]:
            n += 1
            hold = 20 + n % 11
            speech = talk.intent("HoldLengthIntent", Seconds=str(hold)).speech
            talk.factory.new_session()
            stored = "next stretch" in speech
            with lock:
                log.append((time.time(), stored))
                if stored:
                    last[key] = hold
                    ready.set()
            time.sleep(0.01)

    pool = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
    for thread in pool:
        thread.start()
    ready.wait(60)
    ends[0] = time.time() + seconds
    print("ready", flush=True)
    for thread in pool:
        thread.join()
    print(json.dumps({"log": log, "last": last}))


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bench.store_faults", "--child", *args],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def people_run(people: int, workers: int, threads: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as home:
        db = os.path.join(home, "coach.sqlite3")
        share = -(-people // workers)
        procs = [
            _spawn("people", db, str(w * share), str(min(share, people - w * share)), str(threads))
            for w in range(workers)
        ]
        outputs = [p.communicate(timeout=600)[0] for p in procs]
        times: list[float] = []
        failures = 0
        for output in outputs:
            result = json.loads(output.strip().splitlines()[-1])
            times += result["times"]
            failures += result["failures"]
        with sqlite3.connect(db) as connection:
            stored = connection.execute("SELECT COUNT(*) FROM attributes").fetchone()[0]
    times.sort()
    return {
        "turns": len(times),
        "failures": failures,
        "p50": statistics.median(times),
        "p99": times[int(len(times) * 0.99) - 1],
        "max": times[-1],
        "records": stored,
    }


def _replace(db: Path) -> None:
    spare = db.with_name("spare.sqlite3")
    with sqlite3.connect(spare) as connection:
        connection.execute(
            "CREATE TABLE attributes (id TEXT PRIMARY KEY, attributes TEXT NOT NULL,"
            " updated_at INTEGER NOT NULL, version INTEGER NOT NULL DEFAULT 0)"
        )
    connection.close()
    os.chmod(spare, 0o600)
    os.replace(spare, db)


FAULTS = {
    "main file deleted, -wal/-shm left": lambda db: db.unlink(),
    "file replaced by another store file": _replace,
    "directory removed": lambda db: shutil.rmtree(db.parent),
}


def heal_run(fault: str, workers: int, threads: int, before: float, after: float) -> dict:
    with tempfile.TemporaryDirectory() as base:
        db = Path(base) / "data" / "coach.sqlite3"
        procs = [
            _spawn("saver", str(db), f"w{w}", str(threads), str(before + after))
            for w in range(workers)
        ]
        for proc in procs:
            assert proc.stdout is not None
            proc.stdout.readline()  # "ready": it has stored a save
        time.sleep(before)
        hit = time.time()
        FAULTS[fault](db)
        outputs = [p.communicate(timeout=120)[0] for p in procs]
        died = sum(1 for p in procs if p.returncode != 0)
        heal: list[float | None] = []
        failed_after = 0
        promised: dict[str, int] = {}
        for output in outputs:
            try:
                result = json.loads(output.strip().splitlines()[-1])
            except (IndexError, json.JSONDecodeError):
                heal.append(None)
                continue
            promised.update(result["last"])
            after_hit = [(t, ok) for t, ok in result["log"] if t >= hit]
            failed_after += sum(1 for _, ok in after_hit if not ok)
            # Healed once a save is stored after the worker's last failed one.
            last_fail = max((t for t, ok in after_hit if not ok), default=hit)
            stored_later = any(ok for t, ok in after_hit if t > last_fail)
            heal.append(last_fail - hit if stored_later else None)
        intact = None
        lost = len(promised)
        rows: dict[str, str] = {}
        if db.exists():
            try:
                with sqlite3.connect(db) as connection:
                    intact = connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                    rows = dict(connection.execute("SELECT id, attributes FROM attributes"))
            except sqlite3.Error:  # no table, or not a database: every save since is lost
                intact = False
            lost = sum(
                1
                for key, seconds in promised.items()
                if json.loads(rows.get(key, "{}")).get("hold_seconds") != seconds
            )
    return {
        "heal": heal,
        "failed_after": failed_after,
        "died": died,
        "intact": intact,
        "lost": lost,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", type=float, default=1.0)
    parser.add_argument("--after", type=float, default=3.0)
    parser.add_argument("--skip-people", action="store_true")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "people":
            child_people(rest[0], int(rest[1]), int(rest[2]), int(rest[3]))
        else:
            child_saver(rest[0], rest[1], int(rest[2]), float(rest[3]))
        return
    print(f"load: {os.getloadavg()[0]:.1f}")
    if not args.skip_people:
        result = people_run(args.people, args.workers, args.threads)
        print(
            f"| {args.people} people, {args.workers} processes x {args.threads} threads "
            f"| {result['turns']} | {result['failures']} | {result['p50'] * 1000:.0f} ms "
            f"| {result['p99'] * 1000:.0f} ms | {result['max'] * 1000:.0f} ms |"
        )
    for fault in FAULTS:
        worst: list[str] = []
        failed = died = broken = lost = 0
        for _ in range(args.rounds):
            result = heal_run(fault, args.workers, args.threads, args.before, args.after)
            times = result["heal"]
            worst.append(
                "never" if None in times else f"{max(t for t in times if t is not None):.2f} s"
            )
            failed += result["failed_after"]
            died += result["died"]
            broken += result["intact"] is False
            lost += result["lost"]
        print(
            f"| {fault} | {', '.join(worst)} | {failed} | {lost} | {died} | {broken} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
