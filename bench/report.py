"""Format benchmark rows as the Markdown of ``bench/RESULTS.md``, with targets checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

IN_PROCESS_TARGET = 1.5  # skill p99 / hello-skill p99
COLD_START_RATIO_TARGET = 1.5
COLD_START_MS_TARGET = 150.0


def verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


@dataclass
class Report:
    date: str
    machine: str
    sections: list[str] = field(default_factory=list)

    def in_process(self, rows: list[dict[str, Any]]) -> None:
        lines = [
            "## In-process latency (Lambda-style handler, dict in, dict out)",
            "",
            f"Target: skill p99 within {IN_PROCESS_TARGET}x of a minimal ask-sdk-core hello "
            "skill answering the same envelope, interleaved request by request.",
            "",
            "| request | skill p50 (us) | skill p99 (us) | hello p50 (us) | hello p99 (us) "
            "| p99 ratio | |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for r in rows:
            lines.append(
                f"| {r['request']} | {r['skill_p50_us']:.0f} | {r['skill_p99_us']:.0f} "
                f"| {r['base_p50_us']:.0f} | {r['base_p99_us']:.0f} | {r['p99_ratio']:.2f} "
                f"| {verdict(r['p99_ratio'] <= IN_PROCESS_TARGET)} |"
            )
        self.sections.append("\n".join(lines))

    def cold_start(self, rows: list[dict[str, Any]]) -> None:
        lines = [
            "## Cold start (fresh interpreter: import the Lambda handler, answer one launch)",
            "",
            f"Target: at most {COLD_START_RATIO_TARGET}x the hello skill, and under "
            f"{COLD_START_MS_TARGET:.0f} ms with bytecode. Median of the runs; interpreter "
            "start-up itself is not included.",
            "",
            "| bytecode | skill (ms) | hello (ms) | ratio | |",
            "| --- | ---: | ---: | ---: | --- |",
        ]
        for r in rows:
            ok = r["ratio"] <= COLD_START_RATIO_TARGET
            if r["bytecode"]:
                ok = ok and r["skill_ms"] < COLD_START_MS_TARGET
            lines.append(
                f"| {'compiled (.pyc)' if r['bytecode'] else 'from source'} "
                f"| {r['skill_ms']:.1f} | {r['base_ms']:.1f} | {r['ratio']:.2f} | {verdict(ok)} |"
            )
        self.sections.append("\n".join(lines))

    def add(self, markdown: str) -> None:
        self.sections.append(markdown)

    def markdown(self) -> str:
        head = [
            "# Benchmark results",
            "",
            "Written by `python -m bench`; every figure next to its baseline from the same run.",
            "",
            f"- Date: {self.date}",
            f"- Machine: {self.machine}",
        ]
        return "\n".join(head) + "\n\n" + "\n\n".join(self.sections) + "\n"
