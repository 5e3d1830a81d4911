"""The knowledge base covers the whole seed document and says nothing medical beyond it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skill.core.content import TOPICS, knowledge, prompt

SEED_PATH = Path(__file__).resolve().parents[1] / "docs" / "source" / "hamstring-cramps.txt"
HEADINGS = {
    "Common Causes of Hamstring Cramps": "causes",
    "Preventing Hamstring Cramps": "prevention",
    "How to Relieve an Active Hamstring Cramp": "relief",
    "When to Seek Medical Advice": "doctor",
}


def seed_paragraphs() -> dict[str, list[str]]:
    """The seed split into its sections' paragraphs (the first is the introduction)."""
    sections: dict[str, list[str]] = {"overview": []}
    current = "overview"
    for line in SEED_PATH.read_text(encoding="utf-8").splitlines():
        if line.strip() in HEADINGS:
            current = HEADINGS[line.strip()]
            sections[current] = []
        elif line.strip():
            sections[current].append(line.strip())
    return sections


#: Facts of the seed that must be spoken somewhere in each topic, in the seed's words.
SEED_FACTS = {
    "overview": ["biceps femoris", "semitendinosus", "semimembranosus", "back of your thigh"],
    "causes": [
        "sodium",
        "potassium",
        "calcium",
        "magnesium",
        "endurance",
        "warm-up",
        "lumbar stenosis",
        "sciatic nerve",
        "Diuretics",
        "Statins",
        "Hypothyroidism",
        "kidney disease",
        "peripheral artery disease",
    ],
    "prevention": [
        "before, during and after",
        "warm weather",
        "fruit, vegetables and whole grains",
        "dynamic stretches before",
        "static stretches afterwards",
        "gradually",
        "Warm up",
        "cool down",
        "shoes",
        "posture",
    ],
    "relief": [
        "Straighten your leg",
        "toes toward you",
        "twenty to thirty seconds",
        "massage",
        "heating pad",
        "ice pack",
        "raise it",
        "electrolyte drink",
    ],
    "doctor": [
        "frequent or severe",
        "sleep",
        "at rest",
        "weakness",
        "numbness",
        "tingling",
        "swelling",
        "skin colour",
        "pain that stays",
        "stretching, drinking enough and massage",
        "medicine",
    ],
}

#: Words of six letters or more that the spoken content may use although the seed does not.
#: Plain English only; a new medical term here needs a source in the seed instead.
PLAIN_WORDS = set(
    [
        "behind",
        "better",
        "brings",
        "causing",
        "checked",
        "colour",
        "coming",
        "disturbing",
        "drinking",
        "easily",
        "effort",
        "emergency",
        "enough",
        "example",
        "fibres",
        "happen",
        "harmless",
        "however",
        "matters",
        "misfire",
        "missing",
        "unless",  # a caution: "unless your doctor limits your fluids"
        "limits",
        "moving",
        "number",
        "overworked",
        "people",
        "played",
        "raises",
        "raising",
        "reason",
        "repeat",
        "skipping",
        "squeeze",
        "squeezed",
        "steady",
        "substitute",
        "thirty",
        "travels",
        "twenty",
        "warmth",
    ]
)


def spoken_text(topic: str) -> str:
    return " ".join(f"{item.short} {item.more}" for item in knowledge().topic(topic))


@pytest.mark.parametrize("topic", TOPICS)
def test_every_fact_of_the_seed_is_spoken(topic: str) -> None:
    text = spoken_text(topic)
    missing = [fact for fact in SEED_FACTS[topic] if fact not in text]
    assert missing == []


def test_topic_sizes_match_the_seed() -> None:
    kb = knowledge()
    assert len(kb.topic("causes")) == 6
    assert len(kb.topic("prevention")) == 6
    assert len(kb.topic("relief")) == 5
    assert {i.id for i in kb.topic("doctor")} == {
        "frequent",
        "at_rest",
        "symptoms",
        "self_care",
        "medication",
        "condition",
    }


def test_every_item_points_at_a_real_seed_paragraph() -> None:
    paragraphs = seed_paragraphs()
    for topic in TOPICS:
        for item in knowledge().topic(topic):
            # The seed's causes paragraph on medical conditions also says to see a doctor.
            assert item.section == topic or (topic, item.id) == ("doctor", "condition")
            assert 1 <= item.paragraph <= len(paragraphs[item.section]), item.id


def test_each_seed_paragraph_is_used() -> None:
    paragraphs = seed_paragraphs()
    used = {(i.section, i.paragraph) for t in TOPICS for i in knowledge().topic(t)}
    for topic, texts in paragraphs.items():
        for number in range(1, len(texts) + 1):
            assert (topic, number) in used, f"{topic} paragraph {number} is never spoken"


def test_no_medical_vocabulary_beyond_the_seed() -> None:
    seed_stems = {w[:5] for w in re.findall(r"[a-z]+", SEED_PATH.read_text().lower())}
    kb = knowledge()
    texts = [spoken_text(t) for t in TOPICS] + [kb.disclaimer, kb.emergency]
    texts += [prompt(k) for k in ("red_flag_reminder", "safety_first", "doctor_intro")]
    unknown = {
        word
        for word in re.findall(r"[a-z]+", " ".join(texts).lower())
        if len(word) >= 6 and word[:5] not in seed_stems and word not in PLAIN_WORDS
    }
    assert unknown == set()


@pytest.mark.parametrize("topic", TOPICS)
def test_short_forms_are_written_for_the_ear(topic: str) -> None:
    for item in knowledge().topic(topic):
        seed_short = item.short.removesuffix(item.caution).strip()
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", seed_short) if s]
        assert len(sentences) <= 3, item.id
        # A caution (a safety line the seed lacks) is one short sentence more.
        assert len([s for s in re.split(r"(?<=[.!?])\s+", item.caution) if s]) <= 1, item.id
        sentences += [item.caution] if item.caution else []
        assert all(len(s.split()) <= 25 for s in sentences), item.id


def test_every_symptom_maps_to_a_doctor_situation() -> None:
    kb = knowledge()
    for symptom, situation in kb.symptoms.items():
        assert kb.find("doctor", situation) is not None, symptom
