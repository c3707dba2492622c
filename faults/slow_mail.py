"""A file mail backend that takes its time, like a slow SMTP server, so a test can kill the
worker while it is sending."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("FAULTS_SEND_DELAY", "0")))
        return super().send_messages(email_messages)
