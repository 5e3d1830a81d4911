"""A persistence adapter that never loses the turn: store faults are logged, not raised.

Why: a locked SQLite file, a missing directory or a DynamoDB outage must not turn the
person's cramp guidance into "There was a problem with the requested skill's response".
The ``try_*`` methods say whether the store worked, so the dialog can answer without memory;
the ``AbstractPersistenceAdapter`` methods keep the SDK's contract (get gives ``{}``).
Log lines carry the operation and the error type only: no user id, no attributes.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope

from skill.store import packed_log, versioned

logger = logging.getLogger(__name__)

#: Store failures since the process started, by operation; each log line carries the count.
FAILURES: Counter[str] = Counter()
_count_lock = threading.Lock()


@dataclass
class Loaded:
    """Attributes read for one request; ``ok`` is False when the store could not be read."""

    attributes: dict[str, Any] = field(default_factory=dict)
    ok: bool = True
    #: The record's version for a conditional save; None when the store has no versions.
    version: int | None = None
    #: The record should be rewritten even if the turn changes nothing (its expiry renewed).
    refresh_due: bool = False


class SafeAdapter(AbstractPersistenceAdapter):
    """Wraps another adapter; every failure becomes a log line and a False/empty result."""

    def __init__(self, inner: AbstractPersistenceAdapter) -> None:
        self.inner = inner
        #: The inner store bounds its own waits in the caller's thread (a local file).
        self.runs_inline = getattr(inner, "runs_inline", False) is True
        #: Checked once: an ``isinstance`` against a runtime-checkable Protocol looks up each
        #: of its members, some 20 microseconds, twice a turn (bench/NOTES.md).
        self.versioned: versioned.VersionedStore | None = (
            inner if isinstance(inner, versioned.VersionedStore) else None
        )

    def failed(self, operation: str, error: BaseException) -> None:
        """Count and log a failed store call (also one the turn's deadline cut short)."""
        with _count_lock:
            FAILURES[operation] += 1
            count = FAILURES[operation]
        # The exception text of some adapters embeds the request; log only its type.
        logger.error(
            "store_failure op=%s store=%s error=%s failures_%s=%d",
            operation,
            type(self.inner).__name__,
            type(error).__name__,
            operation,
            count,
        )

    def try_get(self, request_envelope: RequestEnvelope, now: float | None = None) -> Loaded:
        version: int | None = None
        refresh_due = False
        try:
            if self.versioned is not None:
                record = self.versioned.read(request_envelope)
                # Typed as a dict, but a misbehaving adapter may return anything.
                attributes: object = record.attributes
                version = record.version
                refresh_due = now is not None and record.refresh_due(now)
            else:
                attributes = self.inner.get_attributes(request_envelope)
        except Exception as error:  # any store fault: the turn must not be lost
            self.failed("get", error)
            return Loaded({}, ok=False)
        if not isinstance(attributes, dict):
            self.failed("get", TypeError("stored attributes are not a mapping"))
            return Loaded({}, ok=False)
        return Loaded(dict(attributes), version=version, refresh_due=refresh_due)

    def try_save(
        self,
        request_envelope: RequestEnvelope,
        attributes: dict[str, Any],
        version: int | None = None,
        rebase: versioned.Rebase | None = None,
    ) -> bool:
        """Save; with the ``version`` read and a ``rebase`` (this turn's change applied to a
        fresh record), a conditional save that re-applies the change if another turn wrote
        first (:func:`skill.store.versioned.save`)."""
        try:
            if version is not None and rebase is not None and self.versioned is not None:
                versioned.save(self.versioned, request_envelope, attributes, version, rebase)
            else:
                self.inner.save_attributes(request_envelope, attributes)
        except versioned.Dropped:
            logger.info("store_dropped op=save reason=forgotten_meanwhile")
            return False
        except Exception as error:
            self.failed("save", error)
            return False
        return True

    def try_delete(self, request_envelope: RequestEnvelope) -> bool:
        try:
            self.inner.delete_attributes(request_envelope)
        except Exception as error:
            self.failed("delete", error)
            return False
        return True

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        return packed_log.plain(self.try_get(request_envelope).attributes)

    def save_attributes(
        self, request_envelope: RequestEnvelope, attributes: dict[str, Any]
    ) -> None:
        self.try_save(request_envelope, attributes)

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self.try_delete(request_envelope)

    def __repr__(self) -> str:
        return f"SafeAdapter({self.inner!r})"


def safe(adapter: AbstractPersistenceAdapter | None) -> SafeAdapter | None:
    """Wrap ``adapter`` once (None stays None: no store configured)."""
    if adapter is None or isinstance(adapter, SafeAdapter):
        return adapter
    return SafeAdapter(adapter)
