#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branch_ops.settings.local")
    if os.environ["DJANGO_SETTINGS_MODULE"] != "branch_ops.settings.production":
        # The zero-setup defaults: embedded PostgreSQL, filesystem broker, local secret key.
        from core.local_services import prepare_local_services

        prepare_local_services()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
