"""How people address the skill: "open cramp coach", "ask cramp coach to ...", "exit".

Alexa handles these phrasings itself before any intent is matched: an invocation with
nothing after it launches the skill, one with a request after it ("one-shot") opens a new
session straight into that request, and "exit" ends the session without an intent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

INVOCATION_NAME = "cramp coach"
_WAKE = r"(?:(?:hey|ok|okay)\s+)?alexa\b[\s,]*"
_LAUNCH_VERBS = r"open|launch|start|begin|run|load|use|resume|talk to|ask|tell"
#: "<verb> cramp coach <joiner> <request>", Alexa's documented one-shot forms.
_BEFORE = (
    r"(?:ask|tell|use|open|launch|start|begin|run|load)\s+{name}"
    r"(?:\s+(?:to|that|about|for|if|whether|and))?"
)
_EXIT = re.compile(rf"^(?:{_WAKE})?(?:exit|quit the skill|exit the skill|leave cramp coach)$")

Kind = Literal["launch", "intent", "exit"]


@dataclass(frozen=True)
class Addressed:
    """What the person did: launch the skill, say something to it, or exit.

    ``new_session`` is true when they named the skill, so Alexa starts a new session.
    """

    kind: Kind
    utterance: str = ""
    new_session: bool = False


def _patterns(name: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    spaced = r"\s+".join(re.escape(w) for w in name.split())
    launch = re.compile(rf"^(?:{_WAKE})?(?:{_LAUNCH_VERBS})\s+{spaced}(?:\s+(?:please|now))?$")
    before = re.compile(rf"^(?:{_WAKE})?{_BEFORE.format(name=spaced)}\s+(?P<rest>.+)$")
    after = re.compile(rf"^(?:{_WAKE})?(?P<rest>.+?)\s+(?:with|using|from|on)\s+{spaced}$")
    return launch, before, after


def address(utterance: str, name: str = INVOCATION_NAME) -> Addressed:
    """Classify a typed line: launch, exit, or an utterance for the skill (with or without
    the invocation name; the wake word "alexa" is dropped either way)."""
    text = " ".join(re.sub(r"[^a-z0-9' -]+", " ", utterance.lower().replace("’", "'")).split())
    launch, before, after = _patterns(name)
    if launch.match(text):
        return Addressed("launch", new_session=True)
    if _EXIT.match(text):
        return Addressed("exit")
    for pattern in (before, after):
        match = pattern.match(text)
        if match:
            return Addressed("intent", match.group("rest"), new_session=True)
    bare = re.sub(rf"^{_WAKE}", "", text)
    return Addressed("intent", bare)
