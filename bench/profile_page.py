"""Where a page's time goes: its queries (each timed) and a cProfile of the Python side.

Runs against a bench database that `bench/run.py` built (BENCH_DATABASE_URL), in-process
(no gunicorn), as one of the bench users (bench-city, bench-head, bench1):

    BENCH_DATABASE_URL=... .venv/bin/python bench/profile_page.py /dashboard/ --user bench-city [--cold]

Prints the total time of each of --repeat runs, the slowest queries of the last run and the
top functions by cumulative time.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import bench_database_url, served_environment  # noqa: E402


class QueryLog:
    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--user", default="bench-city")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="bump the ledger version before each run")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    os.environ.update(served_environment(bench_database_url()))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from dashboard.selectors import ledger_version_bump

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=args.user))
    profiler = cProfile.Profile()
    log = QueryLog()
    for run in range(args.repeat):
        if args.cold:
            ledger_version_bump()
        log.queries = []
        last = run == args.repeat - 1
        with connection.execute_wrapper(log):
            started = time.perf_counter()
            if last:
                profiler.enable()
            response = client.get(args.path)
            if last:
                profiler.disable()
            elapsed = (time.perf_counter() - started) * 1000
        in_db = sum(ms for ms, _sql in log.queries)
        print(
            f"run {run}: {response.status_code} {elapsed:.0f} ms, {len(log.queries)} queries "
            f"{in_db:.0f} ms, {len(response.content) // 1024} KiB"
        )
    print("\nslowest queries of the last run:")
    for ms, sql in sorted(log.queries, reverse=True)[:12]:
        print(f"{ms:8.1f} ms  {sql[:300]}")
    print()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
