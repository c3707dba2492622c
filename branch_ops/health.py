"""GET /healthz: 200 when the database and the broker answer, 503 naming what does not."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable", reported below
        return False, type(exc).__name__
    return True, "ok"


def _broker_ok() -> tuple[bool, str]:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=2,
        ) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__
    return True, "ok"


@login_not_required
@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    failing = [name for name, (ok, _) in checks.items() if not ok]
    body = {
        "status": "ok" if not failing else "unavailable",
        "failing": failing,
        "checks": {name: detail for name, (_, detail) in checks.items()},
        # When a worker last ran beat's heartbeat task (informational: needs the shared
        # Redis cache; the zero-setup run's in-process cache does not see the worker's).
        "worker_heartbeat": cache.get("branch_ops:worker_heartbeat"),
    }
    return JsonResponse(body, status=503 if failing else 200)
