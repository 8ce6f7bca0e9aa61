"""gunicorn settings for finsam: `gunicorn -c config/gunicorn.conf.py config.wsgi` (issue 9).

Threaded workers (gthread): a request spends much of its time waiting for PostgreSQL, and the
threads of a worker overlap those waits; they also keep HTTP connections alive between requests
(sync workers close every connection). Defaults: `GUNICORN_WORKERS` 2 (one per core on the
benchmark's 2 cores; Python runs one thread at a time per process) with `GUNICORN_THREADS` 4.
Each thread keeps its own database connection (`DB_CONN_MAX_AGE`), so PostgreSQL needs
workers × threads connections (plus the background worker's).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
timeout = 60
