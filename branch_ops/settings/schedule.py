"""Every periodic job, in words and in crontab (Asia/Shanghai)."""

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    # Every five minutes: prove beat and a worker are alive (/healthz shows the last beat).
    "heartbeat": {"task": "accounts.tasks.heartbeat", "schedule": crontab(minute="*/5")},
    # Every four minutes: today's dashboard figures of every branch computed, then swapped in,
    # within their five-minute expiry, so no head's page computes a city's loans.
    "refresh-ledger-figures": {
        "task": "dashboard.tasks.refresh_ledger_figures",
        "schedule": 4 * 60.0,
    },
    # Every ten minutes: re-enqueue emails still queued (their task lost with a broker restart).
    "send-queued-emails": {
        "task": "notifications.tasks.send_queued_emails",
        "schedule": crontab(minute="*/10"),
    },
    # Every Monday at 07:30: create the week's morning meeting (每周一晨会) of each branch.
    "compliance-morning-meetings": {
        "task": "compliance.tasks.create_morning_meetings",
        "schedule": crontab(minute=30, hour=7, day_of_week="mon"),
    },
    # Every day at 09:00: remind overdue acknowledgements and two missed meetings in a row.
    "compliance-reminders": {
        "task": "compliance.tasks.send_compliance_reminders",
        "schedule": crontab(minute=0, hour=9),
    },
    # Every day at 07:00: open, update and close collection cases from yesterday's ledger.
    "open-collection-cases": {
        "task": "loan_collections.tasks.open_collection_cases",
        "schedule": crontab(hour=7, minute=0),
    },
    # Every day at 16:00: check whether promised repayments arrived; broken -> call again.
    "check-promises": {
        "task": "loan_collections.tasks.check_promises",
        "schedule": crontab(hour=16, minute=0),
    },
    # The 20th and 25th of every month at 08:30: collection worklists and summaries by email.
    "send-collection-reminders": {
        "task": "loan_collections.tasks.send_collection_reminders",
        "schedule": crontab(day_of_month="20,25", hour=8, minute=30),
    },
    # Every day at 05:30: create the required actions due (idempotent), then at 05:45 mark
    # pending actions past their due date late and raise their penalties.
    "generate-required-actions": {
        "task": "post_loan.tasks.generate_required_actions",
        "schedule": crontab(hour=5, minute=30),
    },
    "mark-late-required-actions": {
        "task": "post_loan.tasks.mark_late_required_actions",
        "schedule": crontab(hour=5, minute=45),
    },
    # Every day at 07:30: each officer's digest of actions due within 7 days and late ones.
    "required-actions-digest": {
        "task": "post_loan.tasks.send_actions_digest",
        "schedule": crontab(hour=7, minute=30),
    },
    # Every Monday at 08:00: the branch head's digest of late actions per officer.
    "late-actions-weekly-digest": {
        "task": "post_loan.tasks.send_late_actions_weekly_digest",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon"),
    },
    # Every Monday at 07:45: each officer's coming-due list (到期预警周报): maturities,
    # revaluations, insurance, business licences and guarantees ending within 90 days.
    "coming-due-weekly-digest": {
        "task": "post_loan.tasks.send_coming_due_weekly_digest",
        "schedule": crontab(hour=7, minute=45, day_of_week="mon"),
    },
    # Every day at 05:15, after the delinquency recompute (05:00) and before the required
    # actions (05:30): flag every loan of a guarantee circle with an overdue member (担保圈).
    "guarantee-contagion": {
        "task": "guarantees.tasks.run_guarantee_contagion",
        "schedule": crontab(hour=5, minute=15),
    },
    # Every day at 05:20, after the guarantee contagion (05:15, whose flags it reads) and
    # before the required actions (05:30): the early-warning watchlist (预警名单).
    "watchlist-refresh": {
        "task": "watchlist.tasks.refresh_watchlist",
        "schedule": crontab(hour=5, minute=20),
    },
    # Every day at 06:00: the fake-mortgage check (假按揭) over every property project.
    "fake-mortgage-check": {
        "task": "screening.tasks.run_fake_mortgage_check",
        "schedule": crontab(hour=6, minute=0),
    },
    # 23:30 on the last day of every month: the portfolio snapshot. Crontab has no "last day",
    # so it fires on the 28th-31st and the task builds only when tomorrow is the 1st.
    "month-end-snapshot": {
        "task": "dashboard.tasks.build_month_end_snapshot",
        "schedule": crontab(minute=30, hour=23, day_of_month="28-31"),
    },
    # 07:00 on the 1st of every month: the monthly post-loan report for the month before.
    "monthly-report": {
        "task": "dashboard.tasks.generate_monthly_reports",
        "schedule": crontab(minute=0, hour=7, day_of_month=1),
    },
    # Every day at 05:00, before the jobs that read it (required actions 05:30, collection
    # cases 07:00): days past due, overdue amounts, buckets and the classification floor.
    "recompute-delinquency": {
        "task": "loans.tasks.recompute_delinquency",
        "schedule": crontab(hour=5, minute=0),
    },
    # Every day at 05:10, after the delinquency recompute (05:00): restart the observation
    # period (观察期) of restructured loans with an instalment missed (loans.services.observation).
    "restructuring-observation": {
        "task": "loans.tasks.check_restructuring_observation",
        "schedule": crontab(hour=5, minute=10),
    },
}
