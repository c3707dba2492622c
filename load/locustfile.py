"""Locust scenario: 50 loan officers and 2 branch heads working the 100,000-loan bench data.

Run by `make load` (load/run.py), which prepares the logins and starts gunicorn; by hand:

    LOAD_USERS=var/load/users.json .venv/bin/locust -f load/locustfile.py --headless \
        -u 52 -r 5 -t 2m --host http://127.0.0.1:8000

Every user logs in through the real login form once (its own page in the figures), then
opens its pages with a few seconds of think time. Requests are named by page, so the report
gives one line per page (the loan number or query is not part of the name).
"""

import itertools
import json
import os
import random
import re
import threading

from locust import HttpUser, between, task

with open(os.environ.get("LOAD_USERS", "var/load/users.json"), encoding="utf-8") as handle:
    PEOPLE = json.load(handle)
PASSWORD = PEOPLE["password"]
_lock = threading.Lock()
_officers = itertools.cycle(PEOPLE["officers"])
_heads = itertools.cycle(PEOPLE["heads"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Staff(HttpUser):
    abstract = True
    wait_time = between(1, 4)
    pool = None

    def on_start(self):
        with _lock:
            self.person = next(self.pool)
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/",
            data={"username": self.person["username"], "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {self.person['username']} answered {response.status_code}")

    def page(self, path, name):
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"{path} answered {response.status_code}")


class Officer(Staff):
    fixed_count = 50
    pool = _officers

    @task(3)
    def home(self):
        self.page("/", "home")

    @task(3)
    def actions(self):
        self.page("/actions/", "my required actions")

    @task(3)
    def collections(self):
        self.page("/collections/", "collections worklist")

    @task(4)
    def loans(self):
        self.page("/loans/", "my loans")

    @task(2)
    def search(self):
        self.page(f"/loans/?q={self.person['borrower']}", "loan search")

    @task(4)
    def loan(self):
        self.page(f"/loans/{random.choice(self.person['loans'])}/", "loan detail")

    @task(1)
    def borrowers(self):
        self.page("/loans/borrowers/", "my borrowers")

    @task(1)
    def dashboard(self):
        self.page("/dashboard/", "dashboard (officer)")


class BranchHead(Staff):
    fixed_count = 2
    pool = _heads

    @task(4)
    def dashboard(self):
        self.page("/dashboard/", "dashboard (branch head)")

    @task(2)
    def npl_loans(self):
        self.page("/loans/?class=3&class=4&class=5", "loans, NPL drill-down")

    @task(1)
    def approvals(self):
        self.page("/loans/approvals/", "class approvals")

    @task(1)
    def actions_branch(self):
        self.page("/actions/branch/", "actions, branch overview")

    @task(1)
    def compliance(self):
        self.page("/compliance/branch/", "compliance overview")

    @task(1)
    def targets(self):
        self.page("/collections/targets/", "collection targets")
