import datetime as dt

import factory

from accounts.factories import UserFactory
from notifications.models import OutgoingEmail


class OutgoingEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutgoingEmail

    kind = "test"
    key_date = dt.date(2026, 11, 20)
    recipient = factory.SubFactory(UserFactory)
    to_address = factory.SelfAttribute("recipient.email")
    subject = "主题"
    body_text = "正文"
