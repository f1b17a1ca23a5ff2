"""Benchmarks of DX Desk against a baseline measured in the same run.

Run from the repository root::

    .venv/bin/python -m bench            # the table
    .venv/bin/python -m bench --json     # JSON on stdout (the table goes to stderr)
    .venv/bin/python -m bench --repeat 3 # fewer subprocess runs per start-up figure

Each run builds a large store in a temporary folder (30 municipalities, 20,000 engagements
with ~2 KB notes, 60,000 follow-ups, five fiscal years of assessments), measures, and deletes
it. The baseline is the time to start Python, import PySide6 and paint an empty QMainWindow;
every figure is also shown as a ratio to it, so machines of different speed compare.

A benchmark is a function ``(Context) -> list[Row]`` listed in ``bench.__main__.BENCHMARKS``.
To look into one figure by hand, the probes run alone, e.g. with a profile of the switch::

    .venv/bin/python -m bench.large_store /tmp/big         # make a store and keep it
    .venv/bin/python -m bench.probe switch /tmp/big --profile

The server figures (``bench.server_sync``: first pull of 80,000 records, a push of 1,000
changes, 50 clients at once) need PostgreSQL and have their own baseline, a plain SQL query of
the same rows; without ``DXDESK_BENCH_PG`` they are one "skipped" row. Alone, with profiles::

    DXDESK_BENCH_PG=postgresql+psycopg://dxdesk:dxdesk@127.0.0.1/postgres \
        .venv/bin/python -m bench.server_sync --profile

The client sync figures (``bench.client_sync``: the app's sync engine, a first sync of 80,000
records and incremental syncs of 10 changes, against the real server on SQLite over loopback
HTTPS) need no PostgreSQL and carry their own same-run baselines. Alone, with profiles::

    .venv/bin/python -m bench.client_sync --profile

The slow-client figures (``bench.slow_clients``: /healthz latency with 200 slow connections
open against none, and the server's memory while a chunked 300 MB push is refused; the server
on SQLite) run alone too::

    .venv/bin/python -m bench.slow_clients

The attachment figures (``bench.attachments``: 200 × 1 MB and 100 MB up and down through the
app's ``upload_pending`` and ``download_one`` against the real server, the peak RSS of the
client and server processes during the 100 MB transfers, and a first sync with 2 GiB of files
in the budget whose records must not wait for them) carry their own same-run baseline: the
same bytes by plain httpx to a bare endpoint (``bench.bare_endpoint``) on the same TLS. The
server on SQLite, or on PostgreSQL with ``DXDESK_BENCH_PG``. Alone::

    .venv/bin/python -m bench --only attachments
"""
