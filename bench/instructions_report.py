"""The Markdown of the instruction-count sections of ``bench/RESULTS.md``, targets checked.

Targets (#26), in CPU instructions per call against the stock hello skill with the stock
serializer answering the same request: launch at most 1.2x; the relief routine's first turn at
most 1.5x; the SQLite store adding at most 0.3x of hello's turn.
"""

from __future__ import annotations

from itertools import product
from typing import Any

LAUNCH_TARGET = 1.2
RELIEF_TARGET = 1.5
STORE_TARGET = 0.3

HELLO = "hello, stock serializer: {}"
HELLO_OURS = "hello, skill's serializer: {}"
SKILL = "skill: {}"
SKILL_STOCK = "skill, stock serializer: {}"
FLOOR = "floor, json.dumps of the answer: {}"
NAMES = {"launch": "launch", "relief": "relief, first turn"}
#: The cramp-log rows' two moments (bench/cases.py ``_log_cases``): the first turn after the
#: record was stored, and a turn after a launch has read it.
LOG_TURNS = (("", ""), (", a later turn", "; after a launch read the record"))


def _verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def _n(value: float) -> str:
    return f"{value:,.0f}"


def _ratio(rows: dict[str, dict[str, float]], top: str, bottom: str) -> float | None:
    if top not in rows or bottom not in rows:
        return None
    return rows[top]["instructions"] / rows[bottom]["instructions"]


def _store_share(rows: dict[str, dict[str, float]], kind: str, case: str) -> float | None:
    """What the SQLite store adds to the skill's turn, as a share of hello's turn."""
    stored = f"skill + SQLite, {case}: {kind}"
    if stored not in rows or SKILL.format(kind) not in rows or HELLO.format(kind) not in rows:
        return None
    added = rows[stored]["instructions"] - rows[SKILL.format(kind)]["instructions"]
    return added / rows[HELLO.format(kind)]["instructions"]


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def markdown(figures: dict[str, Any], load: tuple[float, float]) -> str:
    trees = figures["trees"]
    after: dict[str, dict[str, float]] = trees["after"]
    before: dict[str, dict[str, float]] = trees.get("before", {})
    rev = figures.get("before") or ""
    head = f"before ({rev})" if before else "before"
    lines = [
        "## CPU instructions per call (callgrind)",
        "",
        "Counted by callgrind (Debian's valgrind), which the machine's load does not change: a "
        "whole request through the Lambda-style entry point (dict in, dict out), every thread "
        f"included, mean of {figures['calls']} calls (4 for the DynamoDB store's, whose calls "
        "are slow under callgrind) after 2 warm-up calls, the harness's own "
        "cost subtracted (bench/instructions.py). Wall times beside them are native, median of "
        "batches, and move with the load. "
        f"Load average before / after these counts: {load[0]:.2f} / {load[1]:.2f}. "
        + (
            f"The before column is the skill of commit {rev}, measured in this same run "
            "(its `skill/` extracted with git archive, the same cases and hello skill)."
            if before
            else ""
        ),
        "",
        "### Targets (instructions per call, against the stock hello skill, stock serializer)",
        "",
        f"| target | {head} | after | target | |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    checks = [
        ("launch", SKILL.format("launch"), HELLO.format("launch"), LAUNCH_TARGET),
        ("relief, first turn", SKILL.format("relief"), HELLO.format("relief"), RELIEF_TARGET),
    ]
    for label, top, bottom, target in checks:
        now = _ratio(after, top, bottom)
        then = _ratio(before, top, bottom)
        lines.append(
            f"| {label} / hello | {_fmt(then)} | {_fmt(now)} | {target} "
            f"| {_verdict(now is not None and now <= target)} |"
        )
    for case in ("new person", "log of 10"):
        for kind in ("launch", "relief"):
            now = _store_share(after, kind, case)
            then = _store_share(before, kind, case)
            lines.append(
                f"| SQLite store adds ({case}, {NAMES[kind]}) / hello | {_fmt(then)} "
                f"| {_fmt(now)} | {STORE_TARGET} "
                f"| {_verdict(now is not None and now <= STORE_TARGET)} |"
            )
    lines += [
        "",
        "### Like for like",
        "",
        "The skill reads and writes envelopes with its own serializer (skill/alexa/"
        "fast_serializer.py). Beside the targets' baseline, each side with the same serializer:",
        "",
        "| request | skill | hello, stock serializer | hello, skill's serializer "
        "| skill, stock serializer | skill / hello, both the skill's serializer "
        "| skill / hello, both stock | floor: json.dumps of the answer |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, label in NAMES.items():
        rows = [after.get(name.format(kind)) for name in (SKILL, HELLO, HELLO_OURS, SKILL_STOCK)]
        floor = after.get(FLOOR.format(kind))
        lines.append(
            f"| {label} | "
            + " | ".join("n/a" if r is None else _n(r["instructions"]) for r in rows)
            + f" | {_fmt(_ratio(after, SKILL.format(kind), HELLO_OURS.format(kind)))}"
            f" | {_fmt(_ratio(after, SKILL_STOCK.format(kind), HELLO.format(kind)))}"
            f" | {'n/a' if floor is None else _n(floor['instructions'])} |"
        )
    lines += [
        "",
        "### Every case",
        "",
        f"| case | instructions, {head} | instructions, after | after / before "
        "| wall, after (us) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, row in after.items():
        old = before.get(name)
        change = "n/a" if old is None else f"{row['instructions'] / old['instructions']:.2f}"
        lines.append(
            f"| {name} | {'n/a' if old is None else _n(old['instructions'])} "
            f"| {_n(row['instructions'])} | {change} | {row['wall_us']:,.0f} |"
        )
    log_before: dict[str, dict[str, float]] = trees.get("log_before", {})
    log_rev = figures.get("log_before") or ""
    lines += _log_rows(after, before, head, log_before, f"before ({log_rev})")
    lines += _web_rows(after)
    skipped: dict[str, str] = figures.get("skipped", {})
    if skipped:
        lines += ["", "Not measured in this run (their rows say n/a):", ""]
        lines += [f"- {group}: {reason}" for group, reason in skipped.items()]
    return "\n".join(lines)


def _log_rows(
    after: dict[str, dict[str, float]],
    before: dict[str, dict[str, float]],
    head: str,
    log_before: dict[str, dict[str, float]] | None = None,
    log_head: str = "",
) -> list[str]:
    lines = [
        "",
        "### A turn against the length of the cramp log",
        "",
        "The same person's record holding 10, 500 or 10,000 logged cramps (the log keeps at most "
        "500; more is what an older version or another writer may leave), in the SQLite store "
        "and in the DynamoDB store on dynalite (127.0.0.1: the store's client is counted, the "
        "engine, another process, is not). The person agreed to the log, so the relief turn "
        "logs its cramp (it reads and rewrites the log); the launch leaves the log alone. "
        "Instructions per call, and the ratio to the same turn at 10 entries. Each turn is "
        "the first after the record was stored, or it comes after a launch has read the "
        "record: the skill rewrites a log longer than it keeps with the turn that first reads "
        "it, so those rows show what every turn after that one costs.",
        "",
    ]
    columns = [(before, head)] + ([(log_before, log_head)] if log_before else [])
    columns.append((after, "after"))
    lines += [
        "| store | turn | entries | " + " | ".join(f"{h} | ratio" for _, h in columns) + " |",
        "| --- | --- | ---: |" + " ---: | ---: |" * len(columns),
    ]
    for store in ("SQLite", "DynamoDB"):
        for (kind, label), (turn, turn_label) in product(NAMES.items(), LOG_TURNS):
            for size in ("10", "500", "10,000"):
                name = f"skill + {store}, log of {size}{turn}: {kind}"
                cells = []
                for rows, _ in columns:
                    row = rows.get(name)
                    base = rows.get(f"skill + {store}, log of 10{turn}: {kind}")
                    if row is None or base is None:
                        cells += ["n/a", "n/a"]
                    else:
                        cells += [
                            _n(row["instructions"]),
                            f"{row['instructions'] / base['instructions']:.2f}",
                        ]
                lines.append(
                    f"| {store} | {label}{turn_label} | {size} | " + " | ".join(cells) + " |"
                )
    return lines


def _web_rows(after: dict[str, dict[str, float]]) -> list[str]:
    web = {name: row for name, row in after.items() if name.startswith("web: ")}
    if not web:
        return []
    stock = web.get("web: stock stack + hello skill, signature + timestamp")
    lines = [
        "",
        "### Verified HTTP requests: the stock stack in the same run",
        "",
        "Whole `POST /alexa` requests through each WSGI app (no HTTP server), a launch request "
        "signed afresh before each batch, signature and timestamp checked. The stock stack is "
        "Flask with ask-sdk-webservice-support's `WebserviceSkillHandler`, `RequestVerifier` and "
        "`TimestampVerifier`, wired as flask-ask-sdk's `SkillAdapter` does, answering with the "
        "stock hello skill. It imports only with **one line of oscrypto mended**: oscrypto "
        "1.3.0 reads the OpenSSL version with the regex `\\d\\.\\d\\.\\d`, which cannot match "
        "3.0.19; the bench applies oscrypto master's `\\d+\\.\\d+\\.\\d+` in memory "
        "(bench/cases.py, `OSCRYPTO_FIX`; docs/stack-notes.md section 1), and trusts the "
        "self-made test root beside the system's roots.",
        "",
        "| app | instructions per request | ratio to the stock stack | wall (us) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, row in web.items():
        ratio = "n/a" if stock is None else f"{row['instructions'] / stock['instructions']:.2f}"
        lines.append(
            f"| {name[5:]} | {_n(row['instructions'])} | {ratio} | {row['wall_us']:,.0f} |"
        )
    return lines


def package_markdown(rows: list[dict[str, Any]]) -> str:
    """The Lambda package section (bench/lambda_package.py)."""
    lines = [
        "## The Lambda package: size and cold start",
        "",
        "Built as the Makefile builds it (bench/lambda_package.py): zipped size for Lambda's "
        "platform (arm64, CPython 3.12, byte-compiled here by this Python); cold start in a "
        "fresh isolated interpreter that sees only the package and, behind it, boto3 and "
        "botocore as Lambda's Python runtime provides them: import the handler (the skill and "
        'its store built), then answer one "I had a cramp". Median of the runs. With '
        "DynamoDB no table answers (127.0.0.1:9): the first answer includes a failed read.",
        "",
        "Runs interleaved package by package; wall and CPU time of the child (CPU moves less "
        "with the load of the machine).",
        "",
        "| package | boto3 packaged | zipped (MB) | store | import (ms) | import + answer (ms) "
        "| import + answer, CPU (ms) | boto3 imported from |",
        "| --- | --- | ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        for store, label in (("none", "none"), ("dynamodb:bench-table", "DynamoDB")):
            cold = row[store]
            lines.append(
                f"| {row['package']} | {'yes' if row['boto3_packaged'] else 'no'} "
                f"| {row['zipped_mb']:.2f} | {label} | {cold['import_ms']:.1f} "
                f"| {cold['total_ms']:.1f} | {cold['total_cpu_ms']:.1f} | {cold['boto3_from']} |"
            )
    return "\n".join(lines)
