"""Read the skill's answers aloud in the terminal with espeak-ng (``chat --speak``).

espeak-ng understands SSML breaks, so pauses and countdowns keep their real timing; the
Alexa-only parts (``<audio>``, ``amazon:`` effects) are dropped. Where espeak-ng is not
installed the simulator says so once and carries on in text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from typing import Any

from skill.core.ssml import WORDS_PER_SECOND, unwrap

#: espeak-ng's rate in words per minute, matched to the rate the skill's timing assumes.
RATE = round(WORDS_PER_SECOND * 60)
_ALEXA_ONLY = re.compile(r"<audio\b[^>]*/>|</?(?:amazon:[\w-]+|lang|voice)\b[^>]*>")

Launcher = Callable[..., Any]


def for_espeak(ssml: str) -> str:
    """``ssml`` without what espeak-ng cannot play, wrapped in ``<speak>``."""
    return f"<speak>{_ALEXA_ONLY.sub('', unwrap(ssml))}</speak>"


class Speaker:
    """Speaks SSML with espeak-ng; does nothing (after a notice) if it is not installed."""

    def __init__(self, binary: str | None = None, launch: Launcher = subprocess.Popen) -> None:
        self.binary = binary if binary is not None else shutil.which("espeak-ng")
        self.launch = launch

    @property
    def available(self) -> bool:
        return bool(self.binary)

    def notice(self) -> str:
        return "--speak: espeak-ng is not installed, so answers are shown as text only."

    def start(self, ssml: str) -> Any | None:
        """Start speaking ``ssml`` in the background; returns the process (or None)."""
        if not self.binary or not ssml:
            return None
        command = [self.binary, "-m", "-s", str(RATE), for_espeak(ssml)]
        return self.launch(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def say(self, ssml: str) -> None:
        """Speak ``ssml`` and wait until it is said."""
        process = self.start(ssml)
        if process is not None:
            process.wait()
