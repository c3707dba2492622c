from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingEmail(models.Model):
    """One email to one member of staff, as a row before it is sent.

    The unique key (kind, key_date, recipient) is what makes every reminder job safe to
    run twice, from two beats, or after a worker died mid-run: queuing the same email again
    finds the row, and a row already sent is never sent again.
    """

    kind = models.CharField(_("kind"), max_length=50)
    key_date = models.DateField(_("for date"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="emails"
    )
    to_address = models.EmailField(_("address"))
    subject = models.CharField(pgettext_lazy("email", "subject"), max_length=200)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing email")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key_date", "recipient"], name="email_once_per_kind_date_recipient"
            ),
            models.CheckConstraint(
                condition=~Q(status=EmailStatus.SENT) | Q(sent_at__isnull=False), name="email_sent_has_time"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.kind} {self.key_date} → {self.to_address}"
