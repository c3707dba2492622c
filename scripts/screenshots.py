"""Full-page screenshots of the pages of issue 13, as each demo persona sees them, at desktop
(1366×900) and phone (360×740) sizes, against a running server with the demo data.

Usage: python scripts/screenshots.py --base-url http://127.0.0.1:8101 --out /work/screens/before

Needs Playwright (requirements.txt) and Debian's Chromium at /usr/bin/chromium (or
E2E_CHROMIUM). Files are named PERSONA-PAGE-SIZE.png. A page that fails is reported and
skipped, so a "before" app without some page still gives the others.
"""

import argparse
import os
import re
import sys
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
PASSWORD = os.environ.get("DEMO_PASSWORD", "BranchOps#2026")  # the documented demo login
SIZES = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
}
# persona -> [(name, path or a finder's name)]
PAGES = {
    "head": [
        ("home", "/"),
        ("dashboard", "/dashboard/"),
        ("approvals", "/loans/approvals/"),
        ("approval-list", "/dashboard/approvals/"),
        ("loan", "first-loan"),
        ("collections", "/collections/"),
        ("compliance", "/compliance/branch/"),
        ("reports", "/dashboard/reports/"),
    ],
    "city": [("home", "/"), ("dashboard", "/dashboard/")],
    "officer1": [
        ("home", "/"),
        ("actions", "/actions/"),
        ("action-completion", "first-action"),
        ("loan", "first-loan"),
        ("collections", "/collections/"),
        ("compliance", "/compliance/"),
    ],
}


def _find(page, base_url: str, finder: str) -> str:
    """The path of the first loan in the loan list, or of the first open action on the
    officer's worklist (the completion page)."""
    if finder == "first-loan":
        page.goto(f"{base_url}/loans/")
        pattern = re.compile(r"^/loans/(?!approvals|borrowers|export)[^/?]+/$")
    else:
        page.goto(f"{base_url}/actions/")
        pattern = re.compile(r"^/actions/\d+/$")
    for href in page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))"):
        if pattern.match(href or ""):
            return href
    raise LookupError(f"no link for {finder}")


def _log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action$='/accounts/login/'] button[type=submit]")
    page.wait_for_selector("[data-testid=user-menu]", state="attached")


def shoot(*, base_url: str, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    failures = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        for persona, pages in PAGES.items():
            for size, options in SIZES.items():
                context = browser.new_context(locale="zh-CN", **options)
                context.set_default_timeout(30_000)
                page = context.new_page()
                _log_in(page, base_url, persona)
                for name, path in pages:
                    target = out / f"{persona}-{name}-{size}.png"
                    try:
                        url = path if path.startswith("/") else _find(page, base_url, path)
                        page.goto(f"{base_url}{url}")
                        page.wait_for_load_state("networkidle")
                        page.screenshot(path=str(target), full_page=True)
                        width = page.evaluate("document.documentElement.scrollWidth")
                        print(f"{target.name}: {url} (scroll width {width})")
                    except (PlaywrightError, LookupError) as error:
                        failures += 1
                        print(f"{target.name}: FAILED {error}", file=sys.stderr)
                context.close()
        browser.close()
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    failures = shoot(base_url=args.base_url.rstrip("/"), out=args.out)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
