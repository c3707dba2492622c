"""Settings of the domain rules: what runs after the ledger changes, and the rates and limits
a branch can set from the environment."""

import environ

env = environ.Env()

# Functions called with (loan_ids=[...], as_of=date) after loans change (import, repayment,
# reclassification, the daily recompute); see loans.services.ledger_changed.
LEDGER_CHANGE_HANDLERS: list[str] = [
    # First: imported or changed loans get (or update) their repayment schedule, which the
    # handlers after it read.
    "loans.services.schedules_on_ledger_changed",
    "loan_collections.services.cases_on_ledger_changed",
    # Imported or changed loans get their required actions at once (post_loan).
    "post_loan.services.required_actions_on_ledger_changed",
    # Today's dashboard figures are cached until the ledger changes.
    "dashboard.services.ledger_figures_changed",
]

# The penalty interest rate (罚息利率) is the contract rate plus this premium: 0.5 = 50 %,
# the top of the 30 %–50 % range of 银发〔2003〕251号 (loans.quotes, the arrears quote).
PENALTY_RATE_PREMIUM = env.str("PENALTY_RATE_PREMIUM", default="0.5")

# An accepted gift or hospitality worth more than this many yuan opens a violation for the
# branch head's decision (compliance, the gifts-and-hospitality register, 礼品与宴请登记).
GIFT_ACCEPTED_LIMIT = env.str("GIFT_ACCEPTED_LIMIT", default="200")

# Seconds the dashboard keeps every app's section (counts of signals, actions, cases...) in
# the cache; 0 computes them on every load (dashboard.selectors.sections).
DASHBOARD_SECTIONS_TTL = env.int("DASHBOARD_SECTIONS_TTL", default=60)
