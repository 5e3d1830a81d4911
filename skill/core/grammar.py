"""Grammar that differs by language, selected by the catalogue (never called by dialog code).

Words live in the catalogue's data; what lives here is only the rule for choosing and
joining them: which plural form a count takes, and how the parts of a duration are joined.
A new language adds one small class here and its name in :data:`GRAMMARS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Grammar:
    """English rules (also the shape every language follows)."""

    language: str = "en"
    #: Between the parts of a duration: "1 minute 30 seconds".
    unit_separator: str = " "

    def plural(self, count: float) -> str:
        """The plural category of ``count``: ``one`` or ``other`` (CLDR names)."""
        return "one" if count == 1 else "other"

    def join_units(self, parts: Sequence[str]) -> str:
        return self.unit_separator.join(parts)


@dataclass(frozen=True)
class SpanishGrammar(Grammar):
    """Spanish: "1 minuto y 30 segundos", "1 hora, 2 minutos y 3 segundos" (commas, then
    "y" before the last part); one/other like English for whole counts."""

    language: str = "es"
    unit_separator: str = " y "

    def join_units(self, parts: Sequence[str]) -> str:
        if len(parts) < 3:
            return self.unit_separator.join(parts)
        return ", ".join(parts[:-1]) + self.unit_separator + parts[-1]


GRAMMARS: dict[str, Grammar] = {"en": Grammar(), "es": SpanishGrammar()}
