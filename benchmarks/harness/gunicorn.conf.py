"""gunicorn settings of the bench host; ``BENCH_BIND`` and ``BENCH_WORKERS`` override the defaults."""

import os

wsgi_app = "benchmarks.harness.wsgi:application"
bind = os.environ.get("BENCH_BIND", "127.0.0.1:8000")
# One worker per core: the load generator shares the two cores with the server.
workers = int(os.environ.get("BENCH_WORKERS", os.cpu_count() or 2))
threads = int(os.environ.get("BENCH_THREADS", 1))
# sync workers serve one request at a time; gthread adds keep-alive and threads.
worker_class = "gthread" if threads > 1 else "sync"
keepalive = 30
backlog = 2048
accesslog = None
errorlog = "-"
loglevel = "warning"
preload_app = True
