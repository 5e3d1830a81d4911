"""Spanish for the offline NLU: the built-in intents' usual phrasings, fillers, function
words and a crude stemmer, for es-US, es-MX and es-ES.

The English equivalents live in :mod:`skill.tools.nlu.model` and :mod:`skill.tools.nlu.overlap`;
:mod:`skill.tools.nlu.language` picks one set per language. Every word here is compared
accent-folded ("ayúdame" and "ayudame" are one word), since Alexa transcribes accents and
people typing in ``cramp-coach chat --locale es-US`` mostly do not.
"""

from __future__ import annotations

from skill.tools.nlu.overlap import Lexicon, fold

#: Usual phrasings of the built-in intents in Spanish (Alexa knows these without samples).
BUILT_IN_PHRASES = {
    "AMAZON.HelpIntent": [
        "ayuda",
        "ayúdame",
        "qué puedes hacer",
        "qué puedo decir",
        "necesito ayuda",
        "cómo funciona esto",
        "cómo se usa esto",
    ],
    "AMAZON.StopIntent": [
        "para",
        "detente",
        "basta",
        "ya basta",
        "cállate",
        "silencio",
        "adiós",
        "para ya",
        "deja de hablar",
        "termina",
    ],
    "AMAZON.CancelIntent": ["cancela", "cancelar", "olvídalo", "no importa", "déjalo"],
    "AMAZON.YesIntent": [
        "sí",
        "claro",
        "vale",
        "de acuerdo",
        "ok",
        "okey",
        "por supuesto",
        "dale",
        "sí por favor",
        "adelante",
        "venga",
        "órale",
        "bueno",
        "perfecto",
        "sale",
        "claro que sí",
    ],
    "AMAZON.NoIntent": ["no", "no gracias", "ahora no", "para nada", "no por ahora", "nel"],
    "AMAZON.NextIntent": [
        "siguiente",
        "el siguiente",
        "siguiente paso",
        "sigue",
        "próximo",
        "listo",
        "lista",
        "estoy listo",
        "estoy lista",
        "ya",
        "ya está",
        "qué sigue",
        "y ahora qué",
    ],
    "AMAZON.PreviousIntent": ["anterior", "atrás", "vuelve atrás", "regresa", "paso anterior"],
    "AMAZON.RepeatIntent": [
        "repite",
        "repítelo",
        "otra vez",
        "dilo otra vez",
        "qué",
        "cómo",
        "perdón",
        "qué dijiste",
        "puedes repetir",
    ],
    "AMAZON.PauseIntent": ["pausa", "espera", "espérame", "un momento", "dame un minuto"],
    # "continúa" is what the Spanish catalogue asks for to carry on a paused routine.
    "AMAZON.ResumeIntent": [
        "reanuda",
        "continúa",
        "continuar",
        "sigamos",
        "continúa donde lo dejamos",
    ],
    "AMAZON.StartOverIntent": [
        "empieza de nuevo",
        "vuelve a empezar",
        "desde el principio",
        "reinicia",
        "empezar de nuevo",
        "otra vez desde el principio",
    ],
    "AMAZON.NavigateHomeIntent": ["inicio", "menú principal", "ve al inicio"],
}

#: Regional and sport words for the same thing, mapped before stemming (accent-folded).
SAME_AS = {
    "isquio": "isquiotibial",
    "isquios": "isquiotibiales",
    "femoral": "isquiotibial",
    "femorales": "isquiotibiales",
    "doctor": "medico",
    "doctora": "medico",
    "medica": "medico",
    "cramp": "calambre",
    "rampa": "calambre",
    "info": "informacion",
}
#: Stems of verbs that mean "to cramp" in one region or another: "se me acalambró"
#: (Mexico, the US), "se me engarrotó" (Mexico), "se me agarrotó" (Spain).
_SAME_STEM = {"acalambr": "calambr", "engarrot": "calambr", "agarrot": "calambr"}
FILLERS = frozenset(
    {"eh", "ehh", "em", "emm", "mm", "mmm", "ah", "ahh", "ay", "ayy", "ayyy", "uy", "oh"}
    | {"auch", "alexa", "oye", "porfa", "porfis", "ash", "uf", "uff"}
)
FILLER_PHRASES = ("por favor", "dios mio", "ay dios", "madre mia", "ay caramba", "a ver")
LEADING_MARKERS = frozenset(
    {"bueno", "vale", "pues", "mira", "ok", "okey", "y", "perdon", "entonces", "oiga"}
)
_FUNCTION_WORDS = (
    {"el", "la", "los", "las", "lo", "un", "una", "unos", "unas", "de", "del", "al", "a"}
    | {"en", "y", "e", "o", "que", "me", "mi", "mis", "se", "le", "les", "te", "tu", "su"}
    | {"sus", "es", "esta", "este", "esto", "eso", "ese", "esa", "con", "por", "para", "ya"}
    | {"muy", "yo", "nos", "estoy", "hay", "ha", "he", "puedes", "puedo"}
)
#: Endings stripped by :func:`stem`, longest first (accent-folded).
_SUFFIXES = tuple(
    sorted(
        {"amientos", "imientos", "amiento", "imiento", "aciones", "acion", "adores"}
        | {"adoras", "adora", "ador", "mente", "ando", "iendo", "yendo", "aron", "ieron"}
        | {"ados", "adas", "idos", "idas", "ado", "ada", "ido", "ida", "aban", "aba"}
        | {"ar", "er", "ir", "as", "es", "os", "an", "en", "a", "e", "o", "s"},
        key=lambda s: (-len(s), s),
    )
)


def stem(word: str) -> str:
    """A crude, predictable Spanish stem: "calambre", "calambres" -> "calambr";
    "estirar", "estiramientos", "estira" -> "estir"; the regional verbs for cramping share
    "calambre"'s stem. One ending is stripped, leaving at least three letters."""
    if word.startswith("{") or len(word) < 4:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return _SAME_STEM.get(word, word)


SPANISH = Lexicon(
    contractions={"pa": "para", "pal": "para el"},
    same_as=SAME_AS,
    fillers=FILLERS,
    filler_phrases=FILLER_PHRASES,
    leading_markers=LEADING_MARKERS,
    stop_words=frozenset(stem(fold(w)) for w in _FUNCTION_WORDS),
    stem=stem,
)
