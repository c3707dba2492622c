from post_loan.tests.conftest import action_of, loan_of  # noqa: F401 - shared fixtures
