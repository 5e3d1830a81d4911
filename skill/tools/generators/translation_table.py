"""The side-by-side translation table: ``python -m skill.tools.generators.translation_table``.

Every item of the English base (``skill/locales/en/{prompts,knowledge,routines}.json``) next to
the Spanish base's (``skill/locales/es``) and a back-translation into English, written by hand
from the Spanish next to each Spanish item (``{"text": ..., "back": ...}``), so a reviewer who
reads no Spanish can check, line by line, that no fact was added or dropped. The English and
Spanish columns are read from the catalogues, never copied: ``docs/translation.md`` is this
command's output, and tests/test_translation.py fails when it is stale, when an item has no
counterpart in the other language, or when a back-translation is missing or left over.

``--check`` exits 1 when the committed table differs from what this command writes.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skill.core.content import NOTES, language_path, load_language, words

DOC = Path(__file__).resolve().parents[3] / "docs" / "translation.md"
PARTS = ("prompts", "knowledge", "routines")
#: The string fields of knowledge and routines that are words someone hears or reads; the
#: other strings (ids, seed sections, sources, provenance) are structure, the same in both.
KNOWLEDGE_FIELDS = ("title", "short", "more", "caution")
ROUTINE_FIELDS = ("title", "say", "safety", "intro", "recap")


def walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(slash path under ``path``, value) of every leaf of ``value``; list entries by their
    ``id``, else their position."""
    named: Iterable[tuple[Any, Any]]
    if isinstance(value, dict):
        named = value.items()
    elif isinstance(value, list):
        named = ((c.get("id", i) if isinstance(c, dict) else i, c) for i, c in enumerate(value))
    else:
        yield path, value
        return
    for name, child in named:
        yield from walk(child, f"{path}/{name}" if path else str(name))


def is_item(path: str) -> bool:
    """Whether the leaf at ``path`` (``part/...``) is words (an item to translate)."""
    part, *rest = path.split("/")
    if part == "prompts":
        return True
    if part == "knowledge":
        return rest in (["disclaimer"], ["emergency"]) or (
            rest[0] not in ("sections", "provenance") and rest[-1] in KNOWLEDGE_FIELDS
        )
    return rest[-1] in ROUTINE_FIELDS


def leaves(language: str = "en") -> dict[str, Any]:
    """Every leaf of a language base (``skill/locales/<language>``), by path ``part/...``
    (list entries by their ``id``)."""
    out: dict[str, Any] = {}
    for part in PARTS:
        out.update(walk(words(load_language(language, f"{part}.json")), part))
    return out


def notes(value: Any, note: str, path: str = "") -> Iterator[tuple[str, Any]]:
    """(slash path, note) of every leaf of the ``note`` (``"back"``, ``"source"``) written
    next to an item of ``value``: the paths are the items' (a plural form's note is at
    ``prompts/<key>/<form>``)."""
    if isinstance(value, dict) and "text" in value and value.keys() <= {"text", *NOTES}:
        if note in value:
            yield from walk(value[note], path)
        return
    named: Iterable[tuple[Any, Any]] = ()
    if isinstance(value, dict):
        named = value.items()
    elif isinstance(value, list):
        named = ((c.get("id", i) if isinstance(c, dict) else i, c) for i, c in enumerate(value))
    for name, child in named:
        yield from notes(child, note, f"{path}/{name}" if path else str(name))


def items(language: str = "en") -> dict[str, str]:
    """The items of a language base: its non-empty words, by path."""
    return {
        path: value
        for path, value in leaves(language).items()
        if isinstance(value, str) and value and is_item(path)
    }


def fields(text: str) -> list[str]:
    """The ``{parameters}`` of a phrase, sorted."""
    return sorted(set(re.findall(r"\{(\w+)\}", text)))


def counterpart_problems(english: dict[str, str], spanish: dict[str, str]) -> list[str]:
    """What keeps two bases' items from being counterparts: an item (or plural form) on
    one side only, or an item whose parameters differ."""
    problems = [f"{path}: no Spanish counterpart" for path in english if path not in spanish]
    problems += [f"{path}: no English counterpart" for path in spanish if path not in english]
    for path, text in english.items():
        if path in spanish and fields(text) != fields(spanish[path]):
            problems.append(
                f"{path}: parameters {fields(text)} in English, {fields(spanish[path])} in Spanish"
            )
    return problems


def override_items(language: str = "es") -> dict[str, str]:
    """The words of every ``<language>-*`` locale's overrides, by path
    ``<locale>/<part>/...``; the base item each replaces is at ``<part>/...``."""
    folder = Path(language_path(language, "locales"))
    out: dict[str, str] = {}
    for file in sorted(folder.glob(f"{language}-*.json")):
        overrides = words(load_language(language, "locales", file.name))
        for part in PARTS:
            for path, value in overrides.get(part, {}).items():
                for leaf, text in walk(value, f"{file.stem}/{part}/{path}"):
                    out[leaf] = str(text)
    return out


def base_path(path: str) -> str:
    """The base item an override path (``es-MX/prompts/emergency_now``) replaces."""
    return path.split("/", 1)[1]


def back_translations(language: str = "es") -> dict[str, str]:
    """Every back-translation written next to an item of ``language``'s base or of its
    locales' overrides (``<locale>/<part>/...``), by the item's path."""
    found = {
        path: str(back)
        for part in PARTS
        for path, back in notes(load_language(language, f"{part}.json"), "back", part)
    }
    for file in sorted(Path(language_path(language, "locales")).glob(f"{language}-*.json")):
        overrides = load_language(language, "locales", file.name)
        for part in PARTS:
            for path, value in overrides.get(part, {}).items():
                for leaf, back in notes(value, "back", f"{file.stem}/{part}/{path}"):
                    found[leaf] = str(back)
    return found


def sources(language: str = "en") -> dict[str, str]:
    """Where each prompt of ``language``'s base comes from, written next to it."""
    raw = load_language(language, "prompts.json")
    return {key: str(value.get("source", "")) for key, value in raw.items()}


def source(path: str, english: dict[str, Any], prompt_sources: dict[str, str]) -> str:
    """Where the English item comes from (the same for its Spanish counterpart): a seed
    section, general stretch guidance, a safety line, or interface wording."""
    part, *rest = path.split("/")
    if part == "prompts":
        return prompt_sources[rest[0]]
    if part == "knowledge":
        if len(rest) == 1:
            return str(english[f"knowledge/provenance/{rest[0]}"])
        return f"seed:{english['/'.join(['knowledge', *rest[:-1], 'seed', 'section'])]}"
    return str(english["/".join(["routines", *rest[:-1], "source"])])


@dataclass(frozen=True)
class Row:
    path: str
    source: str
    english: str
    spanish: str
    back: str


def rows() -> list[Row]:
    """One row per English item, in the English base's order, then one per override of a
    Spanish locale, next to the English base item it replaces (KeyError if an item has no
    Spanish counterpart or no back-translation: the tests say which)."""
    english, base, spanish, back = leaves(), items(), items("es"), back_translations()
    prompt_sources = sources()
    found = [
        Row(path, source(path, english, prompt_sources), text, spanish[path], back[path])
        for path, text in base.items()
    ]
    for path, text in override_items().items():
        original = base_path(path)
        english_text = base[original]
        row = Row(path, source(original, english, prompt_sources), english_text, text, back[path])
        found.append(row)
    return found


def cell(text: str) -> str:
    """``text`` safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def uncell(text: str) -> str:
    return text.replace("\\|", "|").replace("\\\\", "\\")


HEADER = """# Translation: English and Spanish, item by item

Generated by `python -m skill.tools.generators.translation_table` from the English base
(`skill/locales/en/*.json`) and the Spanish base (`skill/locales/es/*.json`), whose items
carry their back-translations (`"back"`, next to each `"text"`: written by hand from the
Spanish, literally, not copied from the English). Do not edit this file: edit those and
re-run the command (`tests/test_translation.py` fails while this file is stale).

The Spanish base is neutral Latin-American Spanish, spoken to one person as *tú*. The
per-country overrides (`skill/locales/es/locales/es-*.json`: emergency numbers, Spain's
few words) are listed in [docs/locales.md](locales.md#spanish). Source: where the English item comes
from (`seed:<section>` of docs/source/hamstring-cramps.txt, general stretch guidance, a
safety line, or interface wording); the Spanish item has the same source.
"""


OVERRIDES = """## Per-country overrides

What es-MX and es-ES say instead of the Spanish base (es-US says the base). English: the
English base item the override replaces (the English locales' own overrides are in
docs/locales.md)."""


def table() -> str:
    """The whole of docs/translation.md."""
    found = rows()
    overrides = [row for row in found if row.path.split("/")[0] not in PARTS]
    out = [
        HEADER,
        f"{len(found) - len(overrides)} items in each base, and {len(overrides)} overrides.\n",
    ]
    sections = [(part, f"## {part}") for part in PARTS]
    sections.append(("", OVERRIDES))
    for part, heading in sections:
        out.append(f"\n{heading}\n")
        out.append("| item | source | English | Spanish | back-translation |")
        out.append("| --- | --- | --- | --- | --- |")
        for row in found:
            if (row.path.split("/")[0] == part) or (not part and row in overrides):
                fields = (row.path, row.source, row.english, row.spanish, row.back)
                out.append("| " + " | ".join(cell(f) for f in fields) + " |")
    return "\n".join(out) + "\n"


def read_table(text: str) -> dict[str, tuple[str, str, str]]:
    """The rows of a committed table: path -> (English, Spanish, back-translation)."""
    found: dict[str, tuple[str, str, str]] = {}
    for line in text.splitlines():
        if not line.startswith("| ") or line.startswith(("| item ", "| ---")):
            continue
        cells = [uncell(c.strip()) for c in _split_cells(line.strip()[1:-1])]
        path, _, english, spanish, back = cells
        found[path] = (english, spanish, back)
    return found


def _split_cells(row: str) -> list[str]:
    """Split a table row on the pipes that are not escaped."""
    cells, current, escaped = [], "", False
    for char in row:
        if escaped:
            current += "\\" + char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            cells.append(current)
            current = ""
        else:
            current += char
    cells.append(current)
    return cells


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = table()
    if "--check" in args:
        if DOC.read_text(encoding="utf-8") != text:
            print(
                f"{DOC} is stale: run python -m skill.tools.generators.translation_table",
                file=sys.stderr,
            )
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC} ({text.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
