from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page needs login (Django's middleware; exempt a view with @login_not_required).

    The API under /api/ is exempt here because Django REST framework authenticates it
    itself (token or session) and answers 401, not a redirect, to a client without one.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy (our own static files only) to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        return response


class DefaultLanguageMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a bank's
    desktops may have English browsers, and the branch works in Chinese, so only the
    language cookie set by the switcher (or the session) overrides the default.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not language or not translation.check_for_language(language):
            language = settings.LANGUAGE_CODE
        language = translation.get_supported_language_variant(language)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
