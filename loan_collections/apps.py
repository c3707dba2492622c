from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoanCollectionsConfig(AppConfig):
    name = "loan_collections"
    verbose_name = _("Collections")
