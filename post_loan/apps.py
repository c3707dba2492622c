from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostLoanConfig(AppConfig):
    name = "post_loan"
    verbose_name = _("Post-loan required actions")
