"""The project's URLs plus one view that fails, to check the 500 page's headers."""

from django.urls import include, path


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), path("", include("branch_ops.urls"))]
