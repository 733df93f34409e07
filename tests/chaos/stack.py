"""The chaos run's view of its stack: the env file, SQL through psql, and the harness verbs.

A fault is the harness's own verb (`harness.stack`, the package behind `./dev stack`), called in
this process: exactly what `./dev stack kill payment-worker` does by hand.
"""

import json
import os
import subprocess
import urllib.request
from pathlib import Path

from harness.errors import Fatal
from harness.paths import Repo
from harness.stack.env_file import read_env_file
from harness.stack.services import SERVICES, variable_stem
from harness.stack.stack import Stack as HarnessStack
from harness.ui import Ui

ROOT = Path(__file__).resolve().parents[2]

__all__ = ["Stack", "read_env_file"]


class Stack:
    def __init__(self, stack_dir, env):
        self.dir = stack_dir
        self.env = env
        self.database_url = env["DATABASE_URL"]
        self.graphql_url = env["GRAPHQL_URL"]
        self.token = env["TOKEN"]
        # Each service's own role on its own database (the same database for all, unless the
        # stack was brought up with --split-databases).
        self.service_database_urls = {
            service: env[f"{variable_stem(service)}_DATABASE_URL"] for service in SERVICES}
        # A cluster's env names every node's monitoring URL; a single server has one.
        self.monitor_urls = env.get("NATS_MONITOR_URLS", env["NATS_MONITOR_URL"]).split(",")
        # The harness's own lines ("payment-worker: killed (pid …)") would drown the run's
        # progress; its warnings and errors still show.
        self._devnull = open(os.devnull, "w")
        self._harness = HarnessStack(Path(stack_dir), Repo(ROOT),
                                     Ui(out=self._devnull))

    def harness(self, verb, target, *arguments, check=True, timeout=None):
        """One harness verb on one component: kill, stop, start, restart, wait-ready, pid.
        Returns 0 on success (for pid: running), 1 otherwise; raises RuntimeError on failure
        if check. KEY=VAL arguments apply to a start or restart."""
        del timeout  # the verbs bound their own waits
        extra = dict(argument.split("=", 1) for argument in arguments if "=" in argument)
        stack = self._harness
        try:
            if verb == "pid":
                return 0 if stack.running(target) else 1
            with stack.locked():
                if verb == "kill":
                    stack.kill(target)
                elif verb == "stop":
                    stack.stop(target)
                elif verb == "start":
                    stack.start(target, True, extra)
                elif verb == "restart":
                    stack.restart(target, True, extra)
                elif verb == "wait-ready":
                    wait = float(arguments[arguments.index("--timeout") + 1]) \
                        if "--timeout" in arguments else 60
                    stack.wait_ready(target, wait)
                else:
                    raise Fatal(f"unknown harness verb {verb}")
        except Fatal as failure:
            if check:
                raise RuntimeError(f"{verb} {target} failed:\n{str(failure)[-2000:]}") from None
            return 1
        return 0

    def exit_code(self, target):
        """The exit status of TARGET's last run (128+N for signal N), or None."""
        return self._harness.procs.exit_code(target)

    def sql(self, statement, service=None):
        """Rows of one statement as lists of strings (psql's unaligned, tab-separated output):
        as SERVICE's role on its database, or as the owner of the order service's."""
        url = self.service_database_urls[service] if service else self.database_url
        result = subprocess.run(
            ["psql", url, "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
             "-c", statement],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr.strip()}\nstatement: {statement}")
        return [line.split("\t") for line in result.stdout.splitlines() if line != ""]

    def sql_value(self, statement, service=None):
        rows = self.sql(statement, service)
        return rows[0][0] if rows else None

    def consumer_states(self):
        """{durable name: (num_pending, num_ack_pending)} from the JetStream monitoring endpoint.

        In a cluster only the consumer's leader knows its state (the followers' copies lag), so
        each node's answer counts for the consumers it leads; a node that is down is skipped.
        """
        states = {}
        for url in self.monitor_urls:
            try:
                with urllib.request.urlopen(f"{url}/varz", timeout=3) as response:
                    server_name = json.load(response).get("server_name")
                with urllib.request.urlopen(f"{url}/jsz?consumers=true", timeout=3) as response:
                    report = json.load(response)
            except OSError:
                continue
            for account in report.get("account_details") or []:
                for stream in account.get("stream_detail") or []:
                    for consumer in stream.get("consumer_detail") or []:
                        leader = (consumer.get("cluster") or {}).get("leader", server_name)
                        if leader == server_name:
                            states[consumer["name"]] = (consumer.get("num_pending", 0),
                                                        consumer.get("num_ack_pending", 0))
        return states
