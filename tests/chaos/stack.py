"""The chaos run's view of its stack: the env file, SQL through psql, the harness verbs.

Everything goes through the same `./dev stack` harness every other suite uses, so a fault here is
exactly what `./dev stack kill payment-worker` does by hand.
"""

import json
import shlex
import subprocess
import urllib.request


def read_env_file(path):
    """The `export KEY=VALUE` lines of a stack's env file, shell-unquoted."""
    values = {}
    with open(path, encoding="utf-8") as env_file:
        for line in env_file:
            line = line.strip()
            if not line.startswith("export "):
                continue
            key, _, value = line[len("export "):].partition("=")
            parts = shlex.split(value) if value else [""]
            values[key] = parts[0] if parts else ""
    return values


class Stack:
    def __init__(self, dev, stack_dir, env):
        self.dev = dev
        self.dir = stack_dir
        self.env = env
        self.database_url = env["DATABASE_URL"]
        self.graphql_url = env["GRAPHQL_URL"]
        self.token = env["TOKEN"]
        # A cluster's env names every node's monitoring URL; a single server has one.
        self.monitor_urls = env.get("NATS_MONITOR_URLS", env["NATS_MONITOR_URL"]).split(",")

    def harness(self, *arguments, check=True, timeout=120):
        """Runs `./dev stack --dir DIR …`; returns its exit status (raises on failure if check)."""
        command = [self.dev, "stack", "--dir", self.dir, *arguments]
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, timeout=timeout, check=False)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(command[1:])} failed:\n{result.stdout[-2000:]}")
        return result.returncode

    def sql(self, statement):
        """Rows of one statement as lists of strings (psql's unaligned, tab-separated output)."""
        result = subprocess.run(
            ["psql", self.database_url, "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
             "-c", statement],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr.strip()}\nstatement: {statement}")
        return [line.split("\t") for line in result.stdout.splitlines() if line != ""]

    def sql_value(self, statement):
        rows = self.sql(statement)
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
