"""docs/voice-design.md's table of answer lengths is true: it is regenerated from the real
responses (``python -m skill.tools.generators.voice_table``) and must match, and the answers with a
limit keep to it."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from skill.tools.generators.voice_table import DOC, END, ROWS, START, Measure, measure, table


@pytest.fixture(scope="module")
def measures() -> list[Measure]:
    return [measure(row) for row in ROWS]


@pytest.mark.slow
def test_the_table_in_docs_voice_design_is_the_measured_one(measures: list[Measure]) -> None:
    text = DOC.read_text(encoding="utf-8")
    written = text[text.index(START) + len(START) : text.index(END)].strip()
    assert written == table(measures), (
        "re-run: python -m skill.tools.generators.voice_table --write"
    )


@pytest.mark.slow
def test_every_answer_with_a_limit_keeps_to_it(measures: list[Measure]) -> None:
    over = [(m.row.answer, m.checked_words, m.row.limit) for m in measures if not m.within_limit]
    assert over == []


@pytest.mark.slow
def test_the_table_covers_the_answers_the_issue_names(measures: list[Measure]) -> None:
    by_name = {m.row.answer: m for m in measures}
    assert by_name["launch"].words <= 15
    for name in ("one-shot relief, first step", "stretch session, first step"):
        assert by_name[name].hold == 30 and by_name[name].before_count is not None
    endings = [m for m in measures if m.row.answer.endswith("ending")]
    assert len(endings) == 4 and all(m.checked_words <= 30 for m in endings)


def test_stretch_set_ups_repeat_no_word_as_filler() -> None:
    """'gentle' five times in one step was the complaint: no word of five letters or more
    comes twice in the words before a count, and 'gentle'/'gently' at most once."""
    from skill.tools.generators.voice_table import _simulator
    from skill.tools.simulator.countdown import find_hold
    from skill.tools.simulator.device import Exchange
    from skill.tools.simulator.transcript import segments

    scripts = [row.script for row in ROWS if row.setup]
    for script in scripts:
        with _simulator() as simulator:
            exchange: Exchange | None = None
            for said in script:
                exchange = simulator.hear(said)
        assert exchange is not None and exchange.heard is not None
        parts = segments(exchange.heard.ssml)
        span = find_hold(parts)
        setup = parts[: span.start] if span is not None else parts
        words = [
            w for p in setup if p.kind == "speech" for w in re.findall(r"[a-z']+", p.text.lower())
        ]
        legs = {"right", "left"}  # the leg named twice is an instruction, not filler
        repeated = [w for w, n in Counter(words).items() if n > 1 and len(w) >= 5 and w not in legs]
        assert repeated == [], (script, repeated)
        assert sum(w.startswith("gentl") for w in words) <= 1, script
