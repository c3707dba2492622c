from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared pieces no single app owns: the extension registry, the form-view helper,
    the embedded local services and the test helpers that walk every URL. The lowest
    layer: it imports no other app of ours."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core.registry import discover

        discover()
