"""How people address the skill: "open cramp coach", "ask cramp coach to ...", "exit";
in Spanish "abre entrenador de calambres", "pregúntale a entrenador de calambres ...",
"salir".

Alexa handles these phrasings itself before any intent is matched: an invocation with
nothing after it launches the skill, one with a request after it ("one-shot") opens a new
session straight into that request, and "exit" ends the session without an intent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from skill.core.catalogue import language_code
from skill.tools.nlu.overlap import fold

INVOCATION_NAME = "cramp coach"


@dataclass(frozen=True)
class Forms:
    """One language's ways of addressing a skill (regular expressions over accent-folded,
    lower-case words; ``{name}`` is the invocation name)."""

    wake: str
    launch_verbs: str
    #: "<verb> <name> <joiner> <request>": Alexa's documented one-shot forms.
    before: str
    after: str
    exit: str
    #: What a person says to open the skill ("open cramp coach").
    open_line: str
    #: Words that may stand before the name and still name the skill ("el entrenador").
    article: str = ""


ENGLISH = Forms(
    wake=r"(?:(?:hey|ok|okay)\s+)?alexa\b[\s,]*",
    launch_verbs=r"open|launch|start|begin|run|load|use|resume|talk to|ask|tell",
    before=(
        r"(?:ask|tell|use|open|launch|start|begin|run|load)\s+{name}"
        r"(?:\s+(?:to|that|about|for|if|whether|and))?"
    ),
    after=r"(?:with|using|from|on)",
    exit=r"exit|quit the skill|exit the skill|leave {name}",
    open_line="open {name}",
)
#: Spanish: "pídele a / pregúntale a / dile a entrenador de calambres ..." (the article
#: "el"/"al" is tolerated: people say "abre el entrenador de calambres").
SPANISH = Forms(
    wake=r"(?:(?:oye|hey|ok|okey)\s+)?alexa\b[\s,]*",
    launch_verbs=(
        r"abre|abrir|inicia|iniciar|empieza|comienza|lanza|ejecuta|carga|usa|arranca"
        r"|habla con|hablar con|pon|reanuda|pide a|pidele a|preguntale a|pregunta a"
    ),
    # "que" joins only after telling or asking for ("dile ... que tengo un calambre"); after
    # "pregúntale" it is the question word ("pregúntale ... qué hago").
    before=(
        r"(?:(?:dile|di|dice|cuentale|pide|pidele)\s+(?:a|al)\s+{name}"
        r"(?:\s+(?:que|si|sobre|acerca de|para|por|y))?"
        r"|(?:pregunta|preguntale)\s+(?:a|al)\s+{name}(?:\s+(?:si|sobre|acerca de|por))?"
        r"|(?:usa|abre|inicia|empieza|habla con)\s+{name}(?:\s+(?:para|y|que))?)"
    ),
    after=r"(?:con|usando|en|de)",
    exit=r"salir|sal|salte|cierra la skill|sal de la skill|salir de la skill|cierra {name}",
    open_line="abre {name}",
    article=r"(?:el\s+)?",
)
FORMS = {"en": ENGLISH, "es": SPANISH}

Kind = Literal["launch", "intent", "exit"]


@dataclass(frozen=True)
class Addressed:
    """What the person did: launch the skill, say something to it, or exit.

    ``new_session`` is true when they named the skill, so Alexa starts a new session.
    """

    kind: Kind
    utterance: str = ""
    new_session: bool = False


def forms_of(language: str) -> Forms:
    return FORMS.get(language_code(language), ENGLISH)


def _patterns(name: str, forms: Forms) -> tuple[re.Pattern[str], ...]:
    spaced = forms.article + r"\s+".join(re.escape(w) for w in fold(name).split())
    wake = forms.wake
    launch = re.compile(
        rf"^(?:{wake})?(?:{forms.launch_verbs})\s+{spaced}(?:\s+(?:please|now|ahora|por favor))?$"
    )
    before = re.compile(rf"^(?:{wake})?{forms.before.format(name=spaced)}\s+(?P<rest>.+)$")
    after = re.compile(rf"^(?:{wake})?(?P<rest>.+?)\s+{forms.after}\s+{spaced}$")
    leave = re.compile(rf"^(?:{wake})?(?:{forms.exit.format(name=spaced)})$")
    return launch, before, after, leave


def address(utterance: str, name: str = INVOCATION_NAME, language: str = "en") -> Addressed:
    """Classify a typed line: launch, exit, or an utterance for the skill (with or without
    the invocation name; the wake word "alexa" is dropped either way)."""
    forms = forms_of(language)
    text = " ".join(re.sub(r"[^a-z0-9' -]+", " ", fold(utterance).replace("’", "'")).split())
    launch, before, after, leave = _patterns(name, forms)
    if launch.match(text):
        return Addressed("launch", new_session=True)
    if leave.match(text):
        return Addressed("exit")
    for pattern in (before, after):
        match = pattern.match(text)
        if match:
            return Addressed("intent", match.group("rest"), new_session=True)
    bare = re.sub(rf"^{forms.wake}", "", text)
    return Addressed("intent", bare)


def open_line(name: str = INVOCATION_NAME, language: str = "en") -> str:
    """What a person says to open the skill: "open cramp coach", "abre entrenador de
    calambres"."""
    return forms_of(language).open_line.format(name=name)
