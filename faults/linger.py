"""A ledger-change handler that takes its time, like the work after a province's
million-row import, and leaves a mark when it starts and when it ends, so a test can tell
whether a short job finished while it was running."""

import os
import time
from pathlib import Path


def linger_on_ledger_changed(*, loan_ids, as_of) -> None:
    marks = Path(os.environ["FAULTS_LINGER_DIR"])
    (marks / "started").write_text(str(time.time()))
    time.sleep(float(os.environ.get("FAULTS_LINGER_SECONDS", "15")))
    (marks / "finished").write_text(str(time.time()))
