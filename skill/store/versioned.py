"""Optimistic concurrency: a write lands only on the version it was computed from.

Why: two turns of one person can overlap (two devices, or Alexa retrying a slow turn). With
get-then-put the second writer silently erases the first one's change, e.g. a logged cramp.
Here every record carries a version; a write names the version it read and fails with
:class:`Conflict` if another turn wrote meanwhile. :func:`save` then reads the fresh record,
re-applies this turn's change to it (the caller's ``rebase``) and tries again, a bounded
number of times. Both stores (SQLite, DynamoDB) implement :class:`VersionedStore`.

The short pause between attempts is jittered, so two colliding writers drift apart. Its
random generator is seeded per process; on Lambda SnapStart every environment restored from
one snapshot would share that seed, so :func:`reseed` is called after a restore (see
:mod:`skill.hosts.lambda_handler`).
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:  # annotations only: the core imports Dropped, and loads no SDK
    from ask_sdk_model import RequestEnvelope

#: Writes tried per save: the first, then up to four re-applied on a fresh record.
MAX_ATTEMPTS = 5
#: Upper bound of the jittered pause before a retry, grown per attempt (seconds).
RETRY_PAUSE_SECONDS = 0.002
#: A record not written for this long is rewritten by a turn that reads it, so its expiry
#: (DynamoDB's TTL) counts from the last use, not the last change.
REFRESH_AFTER_SECONDS = 24 * 60 * 60

_jitter = random.Random()


def reseed() -> None:
    """Fresh entropy for the retry jitter (after a SnapStart restore)."""
    _jitter.seed(os.urandom(16))


class Conflict(Exception):
    """Another turn wrote the record after this one read it."""


class Dropped(Exception):
    """The record changed meanwhile in a way that voids this turn's change (the person said
    "forget my data"): nothing is written, and the turn reports the save as not made."""


@dataclass
class Record:
    """A person's attributes as stored, with the version they were read at (0: none yet)."""

    attributes: dict[str, Any] = field(default_factory=dict)
    version: int = 0
    #: When the record was last written (epoch seconds); None if unknown or never.
    written_at: int | None = None
    #: Stored in an older layout (the cramp log inside the document, skill/store/packed_log.py):
    #: a turn that reads it rewrites it.
    migrate: bool = False

    def refresh_due(self, now: float) -> bool:
        """Written so long ago, or in so old a layout, that a turn which only reads it should
        still rewrite it."""
        if self.migrate:
            return True
        return self.written_at is not None and now - self.written_at >= REFRESH_AFTER_SECONDS


@runtime_checkable
class VersionedStore(Protocol):
    def read(self, request_envelope: RequestEnvelope) -> Record: ...

    def write(
        self, request_envelope: RequestEnvelope, attributes: dict[str, Any], version: int
    ) -> int:
        """Store ``attributes`` if the record is still at ``version``; the new version.

        Raises :class:`Conflict` otherwise."""
        ...


Rebase = Callable[[dict[str, Any]], dict[str, Any]]


def save(
    store: VersionedStore,
    request_envelope: RequestEnvelope,
    attributes: dict[str, Any],
    version: int,
    rebase: Rebase,
    attempts: int = MAX_ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Write ``attributes`` over ``version``; on a conflict, write ``rebase(fresh)`` over the
    fresh record instead, up to ``attempts`` writes in all. Returns the version written.

    Raises :class:`Conflict` when every attempt lost the race, and :class:`Dropped` when the
    rebase refuses the fresh record (the caller reports the save as failed either way:
    nothing is claimed that was not stored)."""
    if attempts < 1:
        raise ValueError("at least one attempt")
    for attempt in range(1, attempts + 1):
        try:
            return store.write(request_envelope, attributes, version)
        except Conflict:
            if attempt == attempts:
                raise
        sleep(_jitter.uniform(0, RETRY_PAUSE_SECONDS * attempt))
        fresh = store.read(request_envelope)
        attributes, version = rebase(fresh.attributes), fresh.version
    raise Conflict  # not reached: the last attempt returns or raises


def overwrite(attributes: dict[str, Any]) -> Rebase:
    """The rebase of a plain ``save_attributes``: this turn's attributes win whole."""
    return lambda _fresh: attributes
