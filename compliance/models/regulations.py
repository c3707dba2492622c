"""The regulation library and the staff's acknowledgements of each version."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from compliance.validators import validate_document


class RegulationLevel(models.TextChoices):
    HEAD_OFFICE = "head_office", _("Head office")
    PROVINCE = "province", _("Provincial branch")
    CITY = "city", _("City branch")
    BRANCH = "branch", _("Sub-branch")


class RegulationCategory(models.TextChoices):
    CONDUCT = "conduct", _("Code of conduct")
    VIOLATION_HANDLING = "violation_handling", _("Violation handling")
    PROHIBITIONS = "prohibitions", _("Prohibitions")
    CREDIT_MANAGEMENT = "credit_management", _("Credit management (must-know)")
    POST_LOAN_RULES = "post_loan_rules", _("Post-loan rules")
    OPERATIONS_MANUAL = "operations_manual", _("Operations manual")


class Regulation(models.Model):
    """A rule staff must know (制度库): one row per regulation, its current version.

    Publishing or revising it asks every staff member it applies to for an
    acknowledgement of that version (``compliance.services.regulation_publish``).
    Empty ``applies_to_roles`` / ``applies_to_branches`` mean every role / every branch.
    """

    title = models.CharField(_("title"), max_length=200)
    issuing_level = models.CharField(_("issuing level"), max_length=12, choices=RegulationLevel.choices)
    category = models.CharField(_("category"), max_length=20, choices=RegulationCategory.choices)
    version = models.CharField(_("version"), max_length=20, default="1")
    effective_on = models.DateField(_("effective date"))
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    document = models.FileField(
        _("document"), upload_to="regulations/%Y/", blank=True, validators=[validate_document]
    )
    applies_to_roles = ArrayField(
        models.CharField(max_length=20, choices=Role.choices),
        verbose_name=_("applies to roles"),
        default=list,
        blank=True,
    )
    applies_to_branches = models.ManyToManyField(
        "accounts.Branch", verbose_name=_("applies to branches"), blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "title"]
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(superseded_by=models.F("id")),
                name="regulation_not_superseded_by_itself",
                violation_error_message=_("A regulation cannot supersede itself."),
            ),
            models.UniqueConstraint(
                fields=["title", "version"],
                name="regulation_title_version_unique",
                violation_error_message=_("This version of the regulation exists already."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.version})"


class Acknowledgement(models.Model):
    """One staff member's confirmation that they studied one version of a regulation (学习签收)."""

    regulation = models.ForeignKey(
        Regulation, verbose_name=_("regulation"), on_delete=models.CASCADE, related_name="acknowledgements"
    )
    version = models.CharField(_("version"), max_length=20)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="acknowledgements",
    )
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "id"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(
                fields=["regulation", "version", "staff"], name="acknowledgement_once_per_version_staff"
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gte=models.F("requested_at")),
                name="acknowledgement_after_request",
            ),
        ]
        indexes = [models.Index(fields=["staff", "acknowledged_at"])]

    def __str__(self):
        return f"{self.staff} {self.regulation}"
