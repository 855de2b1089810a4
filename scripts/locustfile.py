"""The load test's users (run by scripts/load_test.py, never on its own): each logs in
once as one of the demo's accounts, then browses the pages a commune's staff open
every day, a few seconds apart.

The pages, and each account's households, come from the JSON file named by
LOAD_TEST_PLAN (load_test.py writes it from the database): this file runs under
gevent and imports nothing of Django.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from typing import Any

from locust import HttpUser, between, task

PLAN: dict[str, Any] = json.loads(
    open(os.environ["LOAD_TEST_PLAN"], encoding="utf-8").read()  # noqa: SIM115
)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Users take the accounts in turn: the officer, the chairman, the village heads.
ACCOUNTS = itertools.cycle(PLAN["accounts"])
# Each user from its own address, as nginx passes it on (X-Forwarded-For; the server
# runs with AXES_IPWARE_PROXY_COUNT=1): 50 people are not one client to the login
# rate (LOGIN_RATE per address) and to axes.
ADDRESSES = (f"10.20.{n // 250}.{n % 250 + 1}" for n in itertools.count())


class CommuneStaff(HttpUser):
    # Between two clicks: reading a page takes a person a few seconds.
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.account: dict[str, Any] = next(ACCOUNTS)
        # One connection per request, as nginx in front of gunicorn talks to it
        # (README, "Deploying": proxy_pass speaks HTTP/1.0 to its upstream). Kept
        # alive instead, a connection idle for gunicorn's keep-alive (2 s) is closed
        # by the server just as the next click reuses it: a "connection reset" that
        # a browser retries and a real user, behind nginx, never meets.
        self.client.headers["Connection"] = "close"
        self.client.headers["X-Forwarded-For"] = next(ADDRESSES)
        self.log_in()

    def log_in(self) -> None:
        login = PLAN["urls"]["login"]
        page = self.client.get(login, name="đăng nhập (trang)")
        token = TOKEN.search(page.text)
        with self.client.post(
            login,
            {
                "username": self.account["username"],
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="đăng nhập",
            catch_response=True,
        ) as response:
            # A logged-in user lands on its home page; the login page again means no.
            if response.url and response.url.rstrip("/").endswith(login.rstrip("/")):
                response.failure(f"không đăng nhập được: {self.account['username']}")

    def page(self, name: str, url: str) -> None:
        with self.client.get(url, name=name, catch_response=True) as response:
            if PLAN["urls"]["login"] in (response.url or ""):
                response.failure("phiên đăng nhập mất: về trang đăng nhập")

    @task(4)
    def dashboard(self) -> None:
        self.page("tổng quan", PLAN["urls"]["dashboard"])

    @task(4)
    def household_list(self) -> None:
        self.page("danh sách hộ", PLAN["urls"]["list"])

    @task(3)
    def search(self) -> None:
        query = random.choice(self.account["searches"])  # noqa: S311 - not a secret
        self.page("tìm hộ", f"{PLAN['urls']['list']}?q={query}")

    @task(4)
    def household(self) -> None:
        pk = random.choice(self.account["households"])  # noqa: S311 - not a secret
        self.page("trang một hộ", PLAN["urls"]["detail"].format(pk=pk))

    @task(2)
    def targets(self) -> None:
        self.page("chỉ tiêu", PLAN["urls"]["targets"])

    @task(2)
    def reports(self) -> None:
        self.page("báo cáo", PLAN["urls"]["reports"])

    @task(1)
    def pdf(self) -> None:
        self.page("phụ lục 01 (PDF)", PLAN["urls"]["pdf"])

    @task(1)
    def excel(self) -> None:
        self.page("phụ lục 01 (Excel)", PLAN["urls"]["excel"])
