"""What the browser loads (issue 15 part 5): the light chart build, scripts that never block
the parser, and static files with hashed names that the browser keeps for a year, compressed.
The timings themselves are measured by bench/browser.py (`make bench`)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from branch_ops.settings import base

ROOT = Path(settings.BASE_DIR)
CHARTS = ROOT / "static" / "vendor" / "echarts-5.6.0-dashboard" / "echarts.min.js"
SCRIPT = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


def scripts_of(template: str) -> list[str]:
    return SCRIPT.findall((ROOT / template).read_text(encoding="utf-8"))


def test_layout_and_dashboard_scripts_are_deferred():
    tags = scripts_of("templates/base.html") + scripts_of("dashboard/templates/dashboard/dashboard.html")
    assert len(tags) == 3
    assert all(" defer" in tag for tag in tags), tags


def test_dashboard_fetches_the_light_chart_build_when_needed_and_no_page_loads_the_full_one():
    # Not a script tag of its own: dashboard.js fetches it when the first chart is drawn.
    (tag,) = scripts_of("dashboard/templates/dashboard/dashboard.html")
    assert "data-echarts=\"{% static 'vendor/echarts-5.6.0-dashboard/echarts.min.js' %}\"" in tag
    # The full build (1,034,102 bytes) is gone; the dashboard's build is about half of it.
    assert not (ROOT / "static" / "vendor" / "echarts-5.6.0").exists()
    assert CHARTS.stat().st_size < 600_000


def test_production_stores_static_files_hashed_and_compressed():
    assert (
        base.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert base.MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") == 1


@pytest.fixture
def collected(tmp_path):
    """The chart build collected as in production (hashed name, .gz and .br beside it)."""
    source = tmp_path / "source" / "vendor"
    source.mkdir(parents=True)
    (source / "charts.js").write_bytes(CHARTS.read_bytes())
    production = {
        "STATICFILES_DIRS": [tmp_path / "source"],
        "STATICFILES_FINDERS": ["django.contrib.staticfiles.finders.FileSystemFinder"],
        "STATIC_ROOT": tmp_path / "root",
        "STORAGES": base.STORAGES,
    }
    with override_settings(**production):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path / "root"


def test_hashed_static_files_are_cached_for_years_and_sent_compressed(collected):
    url = static("vendor/charts.js")
    assert re.search(r"/vendor/charts\.[0-9a-f]{12}\.js$", url)
    assert {path.suffix for path in (collected / "vendor").glob("charts.*.js*")} >= {".js", ".gz", ".br"}
    middleware = WhiteNoiseMiddleware(lambda request: None)
    response = middleware(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip, br"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "br"
    assert int(response["Content-Length"]) < CHARTS.stat().st_size / 3
