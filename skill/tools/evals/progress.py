"""A plain text progress bar on stderr that also reads well in CI logs (no TTY)."""

from __future__ import annotations

import sys
from typing import TextIO


class ProgressBar:
    """Redraws one line on a terminal; prints one line per step when output is a log."""

    def __init__(self, total: int, stream: TextIO | None = None, width: int = 24):
        self.total, self.width, self.done = total, width, 0
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._open_line = False

    def step(self, label: str) -> None:
        """Count one finished step called ``label``."""
        self.done += 1
        filled = self.width * self.done // max(self.total, 1)
        line = f"[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} {label}"
        if self.tty:
            self.stream.write(f"\r\033[K{line}")
            self._open_line = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def note(self, message: str) -> None:
        """Print ``message`` on its own line without garbling the bar."""
        self._end_line()
        self.stream.write(message + "\n")
        self.stream.flush()

    def close(self) -> None:
        """Finish the bar's line."""
        self._end_line()

    def _end_line(self) -> None:
        if self._open_line:
            self.stream.write("\n")
            self._open_line = False
