"""What the compliance pages share: who manages them, and how an upload is served."""

from django.http import FileResponse, Http404

from accounts.access import OVERSIGHT_ROLES, has_role


def is_manager(user) -> bool:
    """Who records attendance and penalties, manages the library and the tests."""
    return has_role(user, *OVERSIGHT_ROLES)


def download(field):
    """An uploaded file, served only after the view has checked the user may see its record
    (uploads are never served straight from MEDIA_URL)."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=field.name.rsplit("/", 1)[-1])
