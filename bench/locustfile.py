"""Locust users of the bounded load run (`bench/load.py`, `make bench BENCH_ARGS="--load"`).

Not run on its own: `bench/load.py` writes the plan (URLs, a session cookie per role, an API
token, the registration bodies) to the file named by `FINSAM_LOAD_PLAN` and starts locust
headless against a loopback gunicorn. Three kinds of user, by weight:

- the registrar reading the participant list of a large initiative (pages 1 and 2, all/active);
- the secretariat reading the association's statistics page of a year;
- a registrar's system registering participants through the API (token), one new person a
  request; each 201 is counted and written to `FINSAM_LOAD_COUNTS` at the end, so that the
  driver can compare it with the rows in the database.
"""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["FINSAM_LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
BODIES = iter(PLAN["bodies"])
COUNTS = {"created": 0, "other": 0, "no_body_left": 0}


class ListPageUser(HttpUser):
    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        self.client.cookies.set("sessionid", PLAN["registrar_session"])

    @task
    def list_page(self):
        params = random.choice(PLAN["list_params"])
        with self.client.get(
            PLAN["list_url"], params=params, name="list page", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")


class StatisticsUser(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.client.cookies.set("sessionid", PLAN["secretariat_session"])

    @task
    def statistics_page(self):
        with self.client.get(
            PLAN["statistics_url"],
            params=PLAN["statistics_params"],
            name="statistics page",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")


class ApiWriter(HttpUser):
    weight = 2
    wait_time = between(1, 3)

    @task
    def register(self):
        body = next(BODIES, None)
        if body is None:
            COUNTS["no_body_left"] += 1
            return
        with self.client.post(
            PLAN["api_url"],
            json=body,
            headers={"Authorization": f"Token {PLAN['token']}"},
            name="API write",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                COUNTS["created"] += 1
            else:
                COUNTS["other"] += 1
                response.failure(f"status {response.status_code}")


@events.quitting.add_listener
def _write_counts(environment, **_kwargs):
    with open(os.environ["FINSAM_LOAD_COUNTS"], "w", encoding="utf-8") as out:
        json.dump(COUNTS, out)
