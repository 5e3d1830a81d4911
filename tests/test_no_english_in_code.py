"""No user-facing sentence lives in Python: what the skill says comes from the catalogues.

Every string literal (f-strings included) in the layers that answer Alexa is checked; a
literal reads as a sentence when it has three or more words and ends like a sentence or
starts like one. Docstrings, log and exception messages are for developers and are skipped,
as are the developer tools (``skill/tools``: the simulator and CLI, never on Alexa).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.source import tree

ROOT = Path(__file__).resolve().parents[1]
#: The layers whose strings could reach a listener (docs/architecture.md).
SPEAKING_LAYERS = ("core", "alexa", "hosts", "store", "settings")
#: Calls whose text only developers and operators read: logging, warnings, HTTP error
#: descriptions (``abort``) and module objects' docs.
_DEVELOPER_CALLS = {
    "debug",
    "info",
    "warning",
    "error",
    "exception",
    "critical",
    "warn",
    "abort",
    "ModuleType",
}
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%[sdr]")


def looks_like_a_sentence(value: str) -> bool:
    """Words that end like a sentence (". ? !" after a capitalised word or two words) or
    start like one (a capital, then lower-case words: three words at least). Identifiers,
    paths, keys, SSML tags, SQL and format strings do not."""
    if "<" in value or "/" in value or "_" in value or re.match(r"[A-Z]{2,} ", value):
        return False
    plain = _PLACEHOLDER.sub("", value).strip()
    words = _WORD.findall(plain)
    if not words or len("".join(words)) < 0.6 * len(plain.replace(" ", "")):
        return False
    ends = plain.rstrip("\"'").endswith((".", "?", "!"))
    capital = plain[0].isupper()
    if ends and (capital or len(words) >= 2):
        return True
    return len(words) >= 3 and bool(re.match(r"[A-Z][a-z']*\s+[a-z]", plain))


def _developer_strings(tree: ast.AST) -> set[int]:
    """ids of string nodes that only developers read: docstrings, log and exception text."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skipped.add(id(body[0].value))
        targets: list[ast.AST] = []
        if isinstance(node, ast.Raise) and node.exc is not None:
            targets.append(node.exc)
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in _DEVELOPER_CALLS:
                targets.append(node)
        for target in targets:
            skipped.update(id(inner) for inner in ast.walk(target))
    return skipped


def literal_text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{x}" for v in node.values)
    return None


def sentences_in(source: str, filename: str = "<source>") -> list[str]:
    """The user-facing sentences written as literals in ``source``."""
    tree = ast.parse(source, filename)
    skipped = _developer_strings(tree)
    fstring_parts = _fstring_parts(tree)  # once per file: walking the tree per node is slow
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Constant) and id(node) in fstring_parts:
            continue
        value = literal_text(node)
        if value is not None and looks_like_a_sentence(value):
            found.append(f"{filename}:{node.lineno}: {value!r}")
    return found


def _fstring_parts(tree: ast.AST) -> set[int]:
    return {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }


def test_the_detector_catches_spoken_sentences_and_not_developer_text() -> None:
    spoken = """
def forget_no(turn):
    return tell(text("Okay, I've kept everything as it was."))
NO_MEMORY = "I can't reach my records right now, sorry."
def cramps(count):
    return f"You've logged {count} cramps in the last seven days."
QUESTION = "Do you want me to delete everything I remember about you"
"""
    assert len(sentences_in(spoken)) == 4
    developer = '''
"""A module docstring. It is several sentences long."""
import logging
log = logging.getLogger(__name__)
def f(x):
    """Why this exists. Also long."""
    log.warning("timer not created: %s", x)
    raise KeyError(f"routine step refers to unknown knowledge {x}")
KEY = "timer_announce_hold"
INTENT = "AMAZON.HelpIntent"
SQL = "SELECT attributes FROM attributes WHERE id = ?"
def g():
    abort(400, "Body is not UTF-8 JSON")
TAG = '<break time="1s"/>'
VERSION = "1.0"
FILE = "hold_20s.mp3"
URL = "https://example.com/a.mp3"
PATH = "skill/locales/en/prompts.json"
SCOPE = "alexa::alerts:timers:skill:readwrite"
'''
    assert sentences_in(developer) == []


def test_no_user_facing_sentence_in_the_speaking_layers() -> None:
    found = []
    for layer in SPEAKING_LAYERS:
        base = ROOT / "skill" / layer
        paths = sorted(base.rglob("*.py")) if base.is_dir() else [base.with_suffix(".py")]
        for path in paths:
            found += sentences_in(path.read_text(), str(path.relative_to(ROOT)))
    assert not found, "move these to the catalogues (skill/data):\n" + "\n".join(found)


def test_the_speaking_layers_read_words_only_through_the_request_catalogue() -> None:
    """``content.prompt``/``knowledge`` are the English base: dialog code that used them
    would answer every locale in American English."""
    english_only = {"prompt", "prompts", "knowledge"}
    found = []
    for layer in SPEAKING_LAYERS:
        base = ROOT / "skill" / layer
        for path in sorted(base.rglob("*.py")) if base.is_dir() else []:
            for node in ast.walk(tree(path)):
                if isinstance(node, ast.ImportFrom) and node.module == "skill.core.content":
                    found += [
                        f"{path.name}: {a.name}" for a in node.names if a.name in english_only
                    ]
    allowed = {"routine.py: knowledge"}  # the routines' structure, not their words
    assert set(found) <= allowed, found
