"""Format benchmark rows as the Markdown of ``bench/RESULTS.md``, with targets checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

COLD_START_RATIO_TARGET = 1.5
COLD_START_MS_TARGET = 150.0
HTTP_RATIO_TARGET = 0.6  # skill req/s / bare echo req/s, signature + timestamp on
SIGNATURE_US_TARGET = 100.0


#: Closes the report: where the history lives. It holds no figure, since every figure in
#: RESULTS.md is from the run that wrote it.
NOTES = """## What was done for the targets, and what is left

What each optimisation changed, with the figures measured at the time (earlier runs, not this
one), is in `bench/NOTES.md`."""


def verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


@dataclass
class Report:
    date: str
    machine: str
    sections: list[str] = field(default_factory=list)
    #: The commit measured (with "+ uncommitted changes" when the tree differs from it).
    commit: str = ""
    #: The load average when the run started and when it ended (filled in by the caller).
    load: str = ""

    def in_process(self, rows: list[dict[str, Any]]) -> None:
        lines = [
            "## In-process latency (Lambda-style handler, dict in, dict out)",
            "",
            "Wall time beside a minimal ask-sdk-core hello skill (stock serializer) answering the "
            "same envelope, interleaved request by request. No target: on a shared machine a "
            "p99 measures the scheduler more than the skill; the targets are the instruction "
            "counts above.",
            "",
            "| request | skill p50 (us) | skill p99 (us) | hello p50 (us) | hello p99 (us) "
            "| p99 ratio |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in rows:
            lines.append(
                f"| {r['request']} | {r['skill_p50_us']:.0f} | {r['skill_p99_us']:.0f} "
                f"| {r['base_p50_us']:.0f} | {r['base_p99_us']:.0f} | {r['p99_ratio']:.2f} |"
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

    def http(self, result: dict[str, Any]) -> None:
        lines = [
            "## Through HTTP (gunicorn, loopback, wrk)",
            "",
            f"Target: the skill's requests/s at least {HTTP_RATIO_TARGET} of a bare Flask JSON "
            "echo (for the stock ask-sdk stack, measured earlier on this machine, see "
            "docs/stack-notes.md section 2). `POST /alexa`, "
            "signature + timestamp + skill-ID checks on, self-made PKI, chain cached, no store "
            "(as the stock figure); the SQLite-store row shows what persistence adds.",
            "",
        ]
        if "skipped" in result:
            lines.append(f"**Skipped**: {result['skipped']}. No fallback load generator is used.")
            self.sections.append("\n".join(lines))
            return
        lines += [
            f"Setup: {result['setup']}; {result['rounds']} rounds of {result['seconds']:g} s "
            "per server, interleaved ABC CBA, a freshly signed launch request before every run. "
            f"Load average before / after: {result['load_before']:.2f} / "
            f"{result['load_after']:.2f}.",
            "",
            "| server | req/s | p50 (ms) | p99 (ms) | server CPU per request (us) | requests "
            "| non-2xx | socket errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in result["rows"]:
            cpu = "n/a" if r["cpu_us"] is None else f"{r['cpu_us']:.0f}"
            lines.append(
                f"| {r['server']} | {r['rps']:,.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} "
                f"| {cpu} | {r['requests']:,} | {r['non_2xx']} | {r['socket_errors']} |"
            )
        errors = sum(r["non_2xx"] + r["socket_errors"] for r in result["rows"])
        ratios = result["round_ratios"]
        ok = result["ratio"] >= HTTP_RATIO_TARGET and errors == 0
        lines += [
            "",
            f"- **req/s ratio, skill / echo: {result['ratio']:.2f}** (median of the paired "
            f"rounds; rounds ranged {min(ratios):.2f} to {max(ratios):.2f}): "
            f"{verdict(ok)}{'' if errors == 0 else ' (runs had errors: figures invalid)'}.",
        ]
        if min(ratios) < HTTP_RATIO_TARGET <= max(ratios):
            lines.append(
                "- Single rounds fall on both sides of the target: the verdict is within this "
                "machine's noise, so read it with the CPU figure below."
            )
        for name, ratio in result.get("ratios", {}).items():
            if "SQLite" in name:
                lines.append(
                    f"- {name}: {ratio:.2f} of the echo (median of the paired rounds; no "
                    "target: what persistence costs on top)."
                )
        if result.get("cpu_ratio") is not None:
            lines.append(
                f"- Server CPU per request, echo / skill: {result['cpu_ratio']:.2f} (the ratio "
                "if the servers' own CPU were all that limited throughput; less moved by other "
                "tenants of the machine than req/s)."
            )
        self.sections.append("\n".join(lines))

    def signature(self, figures: dict[str, float], endpoint: dict[str, float]) -> None:
        warm = figures["verify, cached chain (us)"]
        cold = figures["chain validation, cold (us)"]
        echo = endpoint["bare Flask JSON echo"]
        lines = [
            "## Signature verification alone (cached chain)",
            "",
            f"Target: under {SIGNATURE_US_TARGET:.0f} us per verification once the chain is "
            "cached. Self-made PKI (RSA-2048 leaf), `SignatureVerifier.verify` called directly.",
            "",
            "| measure | us | |",
            "| --- | ---: | --- |",
            f"| verify, cached chain | {warm:.1f} | {verdict(warm < SIGNATURE_US_TARGET)} |",
            f"| chain validation, cold (a new certificate URL, download excluded) | {cold:.0f} "
            "| once per URL, no target |",
            "",
            "Through Flask's test client (one thread, no HTTP), for context; no target:",
            "",
            "| set-up | req/s | ratio to echo |",
            "| --- | ---: | ---: |",
        ]
        for name, rps in endpoint.items():
            lines.append(f"| {name} | {rps:,.0f} | {rps / echo:.2f} |")
        self.sections.append("\n".join(lines))

    def breakdown(self, rows: list[dict[str, Any]]) -> None:
        lines = [
            "## Where a warm request's time goes (in-process)",
            "",
            "Each phase timed alone, median of 5 rounds; the first two rows are whole requests "
            "through the WSGI app (no HTTP).",
            "",
            "| phase | us |",
            "| --- | ---: |",
        ]
        lines += [f"| {r['phase']} | {r['us']:.1f} |" for r in rows]
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
        if self.commit:
            head.append(f"- Commit: {self.commit}")
        if self.load:
            head.append(f"- Load average (1 min) at the start / end of the run: {self.load}")
        return "\n".join(head) + "\n\n" + "\n\n".join(self.sections) + "\n"
