"""`make bench`, second half: the dashboard in a real browser (issue 15 part 5).

Serves the bench database that ``bench/run.py`` built (same production settings, same
gunicorn, same bench users and sessions) and opens the dashboard in Debian's Chromium through
Playwright (never a downloaded browser). For each scope (city head, branch head, officer) it
reads the browser's own Navigation Timing entry, ``performance.getEntriesByType('navigation')[0]``:
responseStart (first byte of the page), domContentLoadedEventEnd and loadEventEnd, all in ms
from the start of the navigation; median and p95 over ``--loads`` loads after a warm-up.

- cold: a new browser context for every load, so the HTTP cache is empty and every script,
  style sheet and font is fetched again (a first visit, or a visit after a release);
- warm: one context, the static files in its cache (hashed names, long max-age), as for a
  member of staff who opens the dashboard every morning.

It also counts the requests and bytes of the last load, and the time until every chart is drawn
(charts off the first screen are drawn just after the load event).

    .venv/bin/python bench/browser.py [--loads 20] [--workers 2]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import bench_database_url, free_port, make_people, served_environment  # noqa: E402
from e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

TARGET_LOAD_MS = 500
SCOPES = [("city", "bench-city"), ("one branch", "bench-head"), ("officer", "bench-officer")]
NAVIGATION = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  return {
    response: n.responseStart, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd,
    requests: 1 + resources.length,
    bytes: n.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
  };
}"""
# Functions, not expressions: Playwright polls an expression through eval, which the page's CSP
# (script-src 'self') refuses.
CHARTS_DRAWN = "() => document.querySelectorAll('[data-chart]').length === document.querySelectorAll('[data-chart] svg').length"


def serve(env: dict, workers: int):
    """gunicorn on a free loopback port, as bench/run.py runs it (with a long worker timeout:
    a loaded shared machine can take more than the default 30 s for a first computation)."""
    import socket

    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "branch_ops.wsgi", "-b", f"127.0.0.1:{port}"]
        + ["-w", str(workers), "--timeout", "300", "--access-logfile", "/dev/null"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    return server, port


def timing(page, url: str) -> dict:
    """One navigation; its timing entry once the load event has finished."""
    response = page.goto(url, wait_until="load")
    if response is None or response.status != 200:
        raise RuntimeError(f"GET {url} answered {response and response.status}")
    page.wait_for_function("() => performance.getEntriesByType('navigation')[0].loadEventEnd > 0")
    sample = page.evaluate(NAVIGATION)
    # Charts off the first screen may be drawn just after the load event: when all are.
    page.wait_for_function(CHARTS_DRAWN)
    sample["charts"] = page.evaluate("performance.now()")
    return sample


def new_context(browser, base: str, session: str):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    # Generous: on a shared machine under load one page can take many seconds.
    context.set_default_timeout(120_000)
    context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    return context


def measure(
    browser, base: str, session: str, *, loads: int, warm: bool, warmup: int = 3, screenshot: str = ""
) -> list[dict]:
    url = f"{base}/dashboard/"
    samples = []
    if warm:
        context = new_context(browser, base, session)
        page = context.new_page()
        for _ in range(warmup):
            timing(page, url)
        samples = [timing(page, url) for _ in range(loads)]
        if screenshot:
            page.screenshot(path=screenshot, full_page=True)
        context.close()
        return samples
    for index in range(warmup + loads):
        context = new_context(browser, base, session)
        sample = timing(context.new_page(), url)
        context.close()
        if index >= warmup:
            samples.append(sample)
    return samples


def p50_p95(values: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(values, n=20, method="inclusive")
    return statistics.median(values), cuts[18]


def machine_load() -> str:
    with open("/proc/loadavg") as handle:
        one, five, fifteen = handle.read().split()[:3]
    return f"load average {one}, {five}, {fifteen} on {os.cpu_count()} cores"


HEADER = (
    "| scope      | cache | first byte p50/p95 | DOMContentLoaded p50/p95 | load p50/p95 ms "
    "| all charts p50/p95 | requests | KB   | target | verdict |\n"
    "|------------|-------|--------------------|--------------------------|-----------------|"
    "--------------------|----------|------|--------|---------|"
)


def row_line(row: tuple) -> str:
    scope, cache, response, dcl, load, charts, requests, kb = row
    verdict = "ok" if load[1] < TARGET_LOAD_MS else "SLOW"
    return (
        f"| {scope:<10} | {cache:<5} | {response[0]:>8.0f} / {response[1]:<7.0f} "
        f"| {dcl[0]:>11.0f} / {dcl[1]:<10.0f} | {load[0]:>6.0f} / {load[1]:<6.0f} "
        f"| {charts[0]:>8.0f} / {charts[1]:<7.0f} "
        f"| {requests:>8} | {kb:>4.0f} | < {TARGET_LOAD_MS} | {verdict:<7} |"
    )


def report(rows: list[tuple], args) -> None:
    print()
    print(
        f"branch-ops browser bench: Chromium (headless), {args.loads} loads each after {args.warmup} warm-up, "
        f"gunicorn -w {args.workers}; {machine_load()}"
    )
    print(HEADER)
    for row in rows:
        print(row_line(row))


def run(args, base: str, sessions: dict) -> list[tuple]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for scope, username in [item for item in SCOPES if item[0] in args.scopes]:
                for cache in ("cold", "warm"):
                    samples = measure(
                        browser,
                        base,
                        sessions[username],
                        loads=args.loads,
                        warm=cache == "warm",
                        warmup=args.warmup,
                        screenshot=args.screenshot and f"{args.screenshot}-{username}.png",
                    )
                    rows.append(
                        (
                            scope,
                            cache,
                            p50_p95([s["response"] for s in samples]),
                            p50_p95([s["dcl"] for s in samples]),
                            p50_p95([s["load"] for s in samples]),
                            p50_p95([s["charts"] for s in samples]),
                            samples[-1]["requests"],
                            samples[-1]["bytes"] / 1024,
                        )
                    )
                    print(f"  {row_line(rows[-1])} ({machine_load()})", flush=True)
        finally:
            browser.close()
    return rows


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--loads", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--screenshot", default="", help="path prefix: a full-page screenshot per scope")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--scopes", nargs="+", default=[scope for scope, _user in SCOPES], help="city, 'one branch', officer"
    )
    parser.add_argument("--no-collectstatic", action="store_true", help="static files are collected already")
    args = parser.parse_args()

    url = bench_database_url()
    env = served_environment(url)
    os.environ.update(env)
    print(f"browser bench on database {urlparse(url).path.lstrip('/')} (built by bench/run.py)", flush=True)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    if not args.no_collectstatic:
        call_command("collectstatic", verbosity=0, interactive=False)
    sessions, _token, _branch = make_people()
    connections.close_all()

    server, port = serve(env, args.workers)
    try:
        rows = run(args, f"http://127.0.0.1:{port}", sessions)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    report(rows, args)


if __name__ == "__main__":
    main()
