from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Branch(models.Model):
    """A bank branch: a county sub-branch (支行), or a city branch (市分行) above several."""

    code = models.CharField(_("branch code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent branch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="branch_not_own_parent"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Role(models.TextChoices):
    OFFICER = "officer", _("Loan officer")
    BRANCH_HEAD = "branch_head", _("Branch head")
    COMPLIANCE = "compliance", _("Risk & compliance officer")
    ADMIN = "admin", _("Administrator")


class StaffProfile(models.Model):
    """What the bank knows about a member of staff beyond Django's user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    employee_no = models.CharField(_("employee number"), max_length=20, unique=True)
    full_name = models.CharField(_("full name"), max_length=50)
    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="staff"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["branch__code", "employee_no"]
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        indexes = [models.Index(fields=["branch", "role"])]

    def __str__(self):
        return f"{self.full_name} ({self.employee_no})"
