"""Log lines that a request cannot forge.

Why: whatever a request carries can reach a log line through an exception message or a
value logged for the operator, and a newline in it writes a second, forged line (or 250 KB
of junk). Rules for the whole skill: log fixed words and numbers; a value that came from a
request goes through :func:`clean` (escaped, one line, bounded); an exception is logged as
:func:`describe` gives it (its type and where it was raised, never its message, which may
quote the request); user ids are never logged.
"""

from __future__ import annotations

import os
from typing import Any

MAX_CHARS = 64


def clean(value: Any, limit: int = MAX_CHARS) -> str:
    """``value`` as one printable, escaped line of at most ``limit`` characters."""
    shown = ascii(str(value))[1:-1]  # escapes newlines, controls and non-ASCII
    return shown if len(shown) <= limit else shown[:limit] + "..."


def describe(error: BaseException) -> str:
    """``TypeName at file.py:123 in function`` for the innermost frame: where, not what."""
    frame = error.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    if frame is None:
        return type(error).__name__
    code = frame.tb_frame.f_code
    return (
        f"{type(error).__name__} at {os.path.basename(code.co_filename)}:{frame.tb_lineno}"
        f" in {code.co_name}"
    )
