"""gunicorn settings for Cramp Coach behind nginx (deploy/nginx/; docs/reliability.md).

    gunicorn -c deploy/gunicorn.conf.py 'skill.hosts.web:create_app()'

Why these choices:
- nginx in front buffers every request whole before gunicorn sees it, and every response
  before the client gets it, so slow or stalled clients cost nginx a connection, never a
  gunicorn worker. gunicorn listens on loopback only.
- ``gthread`` workers: a turn spends a few milliseconds of CPU and, when the store or an Alexa
  API is slow, up to the turn's 4 s wall-clock budget waiting (skill.core.deadline). Threads
  let those waits overlap; sync workers would queue callers behind a hung store past Alexa's
  8 s (8 callers on 2 sync workers once waited a median 8.9 s). Python threads suffice: the
  waiting releases the GIL.
- ``workers`` = 2 per core (at least 2): one crashed or recycled process never leaves the
  skill without an answerer, and the CPU part of a turn has a process per core to run on.
- ``threads`` = 8 per worker: 16 turns in flight on a 2-core machine, each bounded at ~4 s of
  waiting, so a hung store still answers 16 callers at once inside Alexa's 8 s.
- ``timeout`` 7 s, below Alexa's 8 s: a worker whose main loop stops answering is replaced
  before Alexa would have given up anyway.
- No access log: request lines carry request-derived text (docs/reliability.md, logging).

Each setting can be overridden on the command line (``--workers 4``) or with
``GUNICORN_CMD_ARGS``; ``CRAMP_COACH_BIND`` sets the address (default 127.0.0.1:8000).
"""

from __future__ import annotations

import os

bind = os.environ.get("CRAMP_COACH_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = max(2, 2 * (os.cpu_count() or 1))
threads = 8
#: Seconds; below Alexa's 8 s answer limit (the skill's own deadline is 4 s of I/O).
timeout = 7
graceful_timeout = 7
#: nginx keeps idle upstream connections open (its ``keepalive``); hold them a little longer.
keepalive = 10
#: Only nginx on this machine talks to gunicorn.
forwarded_allow_ips = "127.0.0.1"
accesslog = None
errorlog = "-"
loglevel = "info"
