"""Read a hold back out of a response the way a listener would time it."""

from __future__ import annotations

import re

from skill.core import ssml
from skill.core.holds import HOLD_TAG

_HOLD = re.compile(rf"<{HOLD_TAG}>(.*?)</{HOLD_TAG}>", re.S)


def hold_fragments(markup: str) -> list[str]:
    return _HOLD.findall(markup)


def counted_seconds(fragment: str) -> float:
    """Breaks plus estimated speech of a spoken countdown fragment."""
    return ssml.estimate_seconds(ssml.wrap(fragment))


def longest_silence(fragment: str) -> float:
    """The longest run of consecutive breaks, in seconds."""
    longest = current = 0.0
    for token in re.findall(r"<break[^>]*/>|<s>.*?</s>", fragment):
        if token.startswith("<break"):
            current += ssml.estimate_seconds(ssml.wrap(token))
            longest = max(longest, current)
        else:
            current = 0.0
    return longest
