"""What the README and docs/development.md document of ./dev, held to it: commands, flags, exit
codes, the env file and the output lines people and scripts read. Runs a stack of its own (.stack-dev-check, free ports)
on the existing build; `./dev test` runs it as its "dev commands" phase.

    CHOREO_SKIP_DEPS=1 /usr/bin/python3 -m unittest discover -s tests/dev -v
"""

from __future__ import annotations

import base64
import os
import re
import shlex
import shutil
import subprocess
import json
import time
import urllib.request
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEV = str(ROOT / "dev")
STACK = ROOT / ".stack-dev-check"
SERVICES = ["order-service", "inventory-worker", "payment-worker", "shipping-worker",
            "event-monitor"]
COMMANDS = ["up", "down", "status", "logs", "token", "test", "build", "deps", "fuzz", "chaos",
            "bench", "dlq", "stack", "compose-check", "help"]
ENV_KEYS = ["STACK_DIR", "CHOREO_DEV", "DATABASE_URL", "NATS_URL", "NATS_MONITOR_URL",
            "NATS_MONITOR_URLS", "GRAPHQL_URL", "JWT_SECRET", "TOKEN", "ORDER_SERVICE_URL",
            "INVENTORY_WORKER_URL", "PAYMENT_WORKER_URL", "SHIPPING_WORKER_URL",
            "EVENT_MONITOR_URL", "ORDER_SERVICE_DATABASE_URL", "INVENTORY_WORKER_DATABASE_URL",
            "PAYMENT_WORKER_DATABASE_URL", "SHIPPING_WORKER_DATABASE_URL",
            "EVENT_MONITOR_DATABASE_URL"]


def jwt_claims(token: str) -> dict:
    """A JWT's payload, unverified: what the token says, for checking what was minted."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def dev(*arguments: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_COLOR="1", CHOREO_SKIP_DEPS="1")
    return subprocess.run([DEV, *arguments], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=timeout, env=env, cwd=ROOT, check=False)


def stack(*arguments: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return dev("stack", "--dir", str(STACK), *arguments, timeout=timeout)


def read_env(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line.startswith("export "):
            key, _, value = line[len("export "):].partition("=")
            values[key] = (shlex.split(value) or [""])[0]
    return values


class WithoutAStack(unittest.TestCase):
    def test_help_names_every_documented_command(self):
        result = dev("help")
        self.assertEqual(result.returncode, 0, result.stderr)
        for command in COMMANDS:
            self.assertRegex(result.stdout, rf"(?m)^  {re.escape(command)}\b", command)

    def test_an_unknown_command_is_a_usage_error(self):
        result = dev("frobnicate")
        self.assertEqual(result.returncode, 2)
        self.assertIn("error: unknown command 'frobnicate'", result.stderr)
        self.assertIn("Run ./dev help", result.stderr)

    def test_stack_help_lists_the_verbs(self):
        result = dev("stack", "help")
        self.assertEqual(result.returncode, 0)
        for verb in ["start", "stop", "kill", "restart", "status", "wait-ready", "pid",
                     "exit-code", "up", "down"]:
            self.assertRegex(result.stdout, rf"(?m)^  {verb}\b", verb)

    def test_subcommand_help(self):
        for command in (["chaos", "--help"], ["bench", "--help"], ["dlq", "help"],
                        ["compose-check", "--help"]):
            result = dev(*command)
            self.assertEqual(result.returncode, 0, f"{command}: {result.stderr}")
            self.assertIn("./dev " + command[0], result.stdout)

    def test_bad_options_are_usage_errors(self):
        for command in (["up", "--bogus"], ["test", "extra"], ["chaos", "--orders", "many"],
                        ["bench", "--rate", "0"], ["dlq", "nothing"],
                        ["stack", "--dir", str(STACK), "frob"], ["fuzz", "x"],
                        ["token", "--bogus"], ["token", "a", "b"]):
            result = dev(*command)
            self.assertEqual(result.returncode, 2, f"{command}: {result.stdout}{result.stderr}")
            self.assertIn("error:", result.stderr, command)

    def test_the_default_stack_commands_answer(self):
        # They act on .stack, which may or may not be up on this machine: either answer is
        # documented, and neither may be a crash.
        default = ROOT / ".stack"
        status, token = dev("status"), dev("token")
        operator = dev("token", "--operator")
        if (default / "stack.conf").exists():
            self.assertIn(f"Stack {default}", status.stdout)
            if (default / "secrets" / "jwt_secret").exists():
                self.assertEqual(token.returncode, 0, token.stderr)
                self.assertEqual(token.stdout.strip().count("."), 2)
                self.assertNotIn("roles", jwt_claims(token.stdout.strip()))
                self.assertEqual(operator.returncode, 0, operator.stderr)
                claims = jwt_claims(operator.stdout.strip())
                self.assertEqual(claims["sub"], "operator")
                self.assertEqual(claims["roles"], ["operator"])
        else:
            self.assertEqual(status.returncode, 1)
            self.assertIn("no stack in", status.stdout)
            for answer in (token, operator):
                self.assertEqual(answer.returncode, 1)
                self.assertIn("no stack yet: run ./dev up first", answer.stderr)


class OnAStackOfItsOwn(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        stack("down", "--wipe")
        cls.up = stack("up", "--profile", "test", timeout=600)
        if cls.up.returncode != 0:
            raise AssertionError(f"stack up failed:\n{cls.up.stdout}\n{cls.up.stderr}")

    @classmethod
    def tearDownClass(cls):
        result = stack("down", "--wipe")
        if result.returncode != 0:
            raise AssertionError(f"stack down failed:\n{result.stdout}\n{result.stderr}")
        if STACK.exists():
            shutil.rmtree(STACK)

    def test_up_says_what_it_started(self):
        out = self.up.stdout
        self.assertRegex(out, r"postgres: ready \(pid \d+, 127\.0\.0\.1:\d+\)")
        self.assertRegex(out, r"nats: ready \(pid \d+, monitoring http://127\.0\.0\.1:\d+\)")
        for service in SERVICES:
            self.assertRegex(out, rf"{service}: ready \(pid \d+, http://127\.0\.0\.1:\d+\)")
        self.assertRegex(out, r"\.stack-dev-check is up in \d+s; env: ")

    def test_the_env_file_has_every_documented_setting(self):
        env = read_env(STACK / "env")
        for key in ENV_KEYS:
            self.assertIn(key, env)
        self.assertEqual(env["STACK_DIR"], str(STACK))
        self.assertEqual(env["CHOREO_DEV"], DEV)
        self.assertRegex(env["DATABASE_URL"], r"^postgresql://orders:orders@127\.0\.0\.1:\d+/orders$")
        self.assertRegex(env["NATS_URL"], r"^nats://127\.0\.0\.1:\d+$")
        self.assertEqual(env["GRAPHQL_URL"], env["ORDER_SERVICE_URL"] + "/graphql")
        # Each service's own role, on the owner's database.
        self.assertEqual(env["PAYMENT_WORKER_DATABASE_URL"],
                         env["DATABASE_URL"].replace("orders:orders@",
                                                     "payment_worker:payment_worker@"))
        self.assertEqual(env["TOKEN"].count("."), 2)
        # The test profile's retry settings, for tests to compute what to expect.
        self.assertEqual(env["MAX_DELIVER"], "5")
        self.assertEqual(env["ACK_WAIT"], "2s")

    def test_status_lists_every_component_running(self):
        result = stack("status")
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertIn(f"Stack {STACK} (profile test):", result.stdout)
        for name in ["postgres", "nats", *SERVICES]:
            self.assertRegex(result.stdout, rf"(?m)^  {name} +running +pid \d+")

    def test_pid_names_the_service_binary(self):
        result = stack("pid", "shipping-worker")
        self.assertEqual(result.returncode, 0, result.stderr)
        pid = int(result.stdout.strip())
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        self.assertTrue(arguments[0].decode().endswith("/shipping-worker/shipping-worker"))

    def test_stop_start_kill_restart_and_their_exit_codes(self):
        service = "shipping-worker"
        pid = stack("pid", service).stdout.strip()
        result = stack("exit-code", service)
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"{service} is running; it has no exit status yet", result.stderr)

        result = stack("stop", service)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"{service}: stopped (pid {pid}) (last exit status 0)", result.stdout)
        self.assertEqual(stack("exit-code", service).stdout.strip(), "0")
        self.assertEqual(stack("status", service).returncode, 1)
        self.assertEqual(stack("pid", service).returncode, 1)

        result = stack("start", "--no-wait", service)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, rf"{service}: started \(pid \d+\), not waiting")
        result = stack("wait-ready", service, "--timeout", "60")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"{service}: ready", result.stdout)

        pid = stack("pid", service).stdout.strip()
        result = stack("kill", service)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"{service}: killed (pid {pid}) (last exit status 137)", result.stdout)
        self.assertEqual(stack("exit-code", service).stdout.strip(), "137")

        result = stack("restart", service, "LOG_LEVEL=debug")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, rf"{service}: ready \(pid \d+, http://127\.0\.0\.1:\d+\)")
        log = (STACK / "logs" / f"{service}.log").read_text()
        self.assertIn(f"starting {service} with LOG_LEVEL=debug", log)

    def test_a_process_that_exits_by_itself_has_its_status_recorded(self):
        # FAULT_POINT makes the worker exit with status 86 after its first commit: its exit
        # status must be there the moment the harness reports it gone.
        service = "payment-worker"
        result = stack("restart", service, "FAULT_POINT=after_commit_before_ack")
        self.assertEqual(result.returncode, 0, result.stderr)
        env = read_env(STACK / "env")
        body = json.dumps({"query": 'mutation { createOrder(input: { identifier: "dev-check-'
                                    f'{time.time_ns()}", total: "1.00" }}) {{ id }} }}'}).encode()
        request = urllib.request.Request(env["GRAPHQL_URL"], data=body, headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {env['TOKEN']}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            self.assertNotIn("errors", json.load(response))
        deadline = time.monotonic() + 60
        while stack("status", service).returncode == 0:
            self.assertLess(time.monotonic(), deadline, f"{service} did not reach its fault point")
        self.assertEqual(stack("exit-code", service).stdout.strip(), "86")
        self.assertEqual(stack("start", service).returncode, 0)

    def test_postgres_and_nats_stop_and_start(self):
        for target in ("nats", "postgres"):
            result = stack("stop", target)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertRegex(result.stdout, rf"{target}: stopped \(pid \d+\)")
            self.assertEqual(stack("status", target).returncode, 1)
            result = stack("start", target)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertRegex(result.stdout, rf"{target}: ready \(pid \d+")
            self.assertEqual(stack("wait-ready", target).returncode, 0)
        result = stack("kill", "postgres")
        self.assertRegex(result.stdout, r"postgres: killed \(pid \d+ and \d+ children\)")
        self.assertEqual(stack("start", "postgres").returncode, 0)
        self.assertEqual(stack("exit-code", "postgres").returncode, 1)

    def test_usage_errors_on_one_component(self):
        for arguments in (["start", "bogus"], ["start"], ["stop", "nats", "postgres"],
                          ["start", "postgres", "A=1"], ["stop", "--no-wait", "nats"],
                          ["wait-ready", "nats", "--timeout", "soon"], ["start", "nats", "1X=2"]):
            result = stack(*arguments)
            self.assertEqual(result.returncode, 2, f"{arguments}: {result.stdout}{result.stderr}")

    def test_dead_letters_of_the_stack(self):
        result = dev("dlq", "--dir", str(STACK), "list")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("no dead letters", result.stdout)
        result = dev("dlq", "--dir", str(STACK), "list", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.strip().startswith("["))


if __name__ == "__main__":
    unittest.main()
