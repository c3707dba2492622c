from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from branch_ops.health import healthz

admin.site.site_header = "branch-ops 贷后管理"
admin.site.site_title = "branch-ops"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The language switcher works on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include("accounts.urls")),
    path("loans/", include("loans.urls")),
    path("api/v1/", include("loans.api_urls")),
    path("imports/", include("ledger_import.urls")),
    path("collections/", include("loan_collections.urls")),
    path("api/v1/", include("loan_collections.api_urls")),
    path("compliance/", include("compliance.urls")),
    path("api/v1/", include("compliance.api_urls")),
    path("actions/", include("post_loan.urls")),
    path("screening/", include("screening.urls")),
    path("guarantees/", include("guarantees.urls")),
    path("api/v1/", include("guarantees.api_urls")),
    path("write-offs/", include("writeoffs.urls")),
    path("api/v1/", include("writeoffs.api_urls")),
    path("api/v1/", include("post_loan.api_urls")),
    path("watchlist/", include("watchlist.urls")),
    path("api/v1/", include("watchlist.api_urls")),
    path("dashboard/", include("dashboard.urls")),
    path("api/v1/dashboard/", include("dashboard.api_urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
