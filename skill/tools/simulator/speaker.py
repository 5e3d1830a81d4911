"""Read the skill's answers aloud in the terminal with espeak-ng (``chat --speak``).

espeak-ng understands SSML breaks, so pauses and countdowns keep their real timing; the
Alexa-only parts (``<audio>``, ``amazon:`` effects) are dropped. Where espeak-ng is not
installed the simulator says so once and carries on in text. Where it is installed but
cannot play (no sound device: it prints ALSA errors and still exits 0), the first failed
answer is reported on stderr and speech is switched off, rather than failing in silence.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
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


Report = Callable[[str], None]


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr)


def failure(returncode: int | None, errors: str) -> str | None:
    """What went wrong with one espeak-ng run, or None if it played: a non-zero exit, or an
    ``error:`` line on stderr (how it reports a missing sound device while exiting 0)."""
    lines = [line.strip() for line in (errors or "").splitlines() if line.strip()]
    said = next((line for line in lines if line.lower().startswith("error")), None)
    if returncode:
        return said or f"exit status {returncode}"
    return said


class Speaker:
    """Speaks SSML with espeak-ng; does nothing (after a notice) if it is not installed, and
    reports once, then stops trying, if it cannot play."""

    def __init__(
        self,
        binary: str | None = None,
        launch: Launcher = subprocess.Popen,
        report: Report = _to_stderr,
    ) -> None:
        self.binary = binary if binary is not None else shutil.which("espeak-ng")
        self.launch = launch
        self.report = report
        self.failed = False

    @property
    def available(self) -> bool:
        return bool(self.binary)

    def notice(self) -> str:
        return "--speak: espeak-ng is not installed, so answers are shown as text only."

    def start(self, ssml: str) -> Any | None:
        """Start speaking ``ssml`` in the background; returns the process (or None)."""
        if not self.binary or not ssml or self.failed:
            return None
        command = [self.binary, "-m", "-s", str(RATE), for_espeak(ssml)]
        try:
            return self.launch(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
            )
        except OSError as error:
            self._fail(str(error))
            return None

    def finish(self, process: Any | None) -> None:
        """Wait until ``process`` has spoken; report it (once) if it could not play."""
        if process is None:
            return
        _, errors = process.communicate()
        problem = failure(process.returncode, errors or "")
        if problem is not None:
            self._fail(problem)

    def say(self, ssml: str) -> None:
        """Speak ``ssml`` and wait until it is said."""
        self.finish(self.start(ssml))

    def _fail(self, problem: str) -> None:
        if not self.failed:
            self.report(
                f"--speak: espeak-ng could not play the answer ({problem}; no sound device?), "
                "so answers are shown as text only."
            )
        self.failed = True
