import os
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

from harness.errors import Fatal, UsageError
from harness.ports import Claim, claim_is_live
from harness.stack.cli import parse_component_arguments
from harness.stack.config import StackConfig
from harness.stack.env_file import parse_env_text, render_env_text
from harness.processes import wait_until
from harness.stack.procs import StackProcesses, read_proc
from harness.stack.services import PROFILES, profile_env, service_role, variable_stem
from harness.paths import Repo
from harness.stack.stack import Stack, describe_extra
from harness.supervise import exit_status

SERVICES = {"order-service", "payment-worker"}


def parse(verb, *arguments):
    return parse_component_arguments(verb, list(arguments),
                                     lambda t: t in SERVICES | {"postgres", "nats"},
                                     lambda t: t in SERVICES)


class ComponentArgumentsTest(unittest.TestCase):
    def test_options_in_any_order(self):
        parsed = parse("start", "FAULT_POINT=before_commit", "--no-wait", "payment-worker",
                       "LOG_LEVEL=debug")
        self.assertEqual(parsed.target, "payment-worker")
        self.assertFalse(parsed.wait)
        self.assertEqual(parsed.extra, {"FAULT_POINT": "before_commit", "LOG_LEVEL": "debug"})
        self.assertEqual(parse("wait-ready", "--timeout", "5", "nats").timeout, 5)

    def test_what_each_verb_refuses(self):
        for arguments in (("stop", "--no-wait", "nats"), ("start",), ("start", "nope"),
                          ("start", "nats", "postgres"), ("stop", "nats", "A=1"),
                          ("start", "postgres", "A=1"), ("start", "payment-worker", "1A=2"),
                          ("wait-ready", "nats", "--timeout", "soon"),
                          ("start", "--bogus", "nats")):
            with self.assertRaises(UsageError, msg=str(arguments)):
                parse(*arguments)


class StackConfigTest(unittest.TestCase):
    def test_round_trip(self):
        config = StackConfig(profile="chaos", port_mode="free", build_dir=Path("/x/build"),
                             log_level="debug", log_format="json", pg_port=20001,
                             nats_cluster=True, nats_ports=[20002, 20010, 20011],
                             nats_monitor_ports=[20003, 20012, 20013],
                             nats_cluster_ports=[20014, 20015, 20016],
                             service_ports={"order-service": 20004, "event-monitor": 20008},
                             split_databases=True,
                             identity_provider={"OIDC_ISSUER_URL": "https://idp.test/realms/x",
                                                "OIDC_CLIENT_ID": "orders api"})
        self.assertEqual(StackConfig.from_text(config.to_text()), config)

    def test_a_database_per_service_only_when_split(self):
        with tempfile.TemporaryDirectory() as folder:
            stack = Stack(Path(folder), Repo(Path(folder)))
            stack._config = StackConfig(pg_port=5555)
            self.assertEqual(stack.databases(), ["orders"])
            self.assertEqual(stack.service_database_url("payment-worker"),
                             "postgresql://payment_worker:payment_worker@127.0.0.1:5555/orders")
            self.assertEqual(stack.read_model_urls(), {})
            stack._config = StackConfig(pg_port=5555, split_databases=True)
            self.assertEqual(stack.databases(), [
                "orders", "orders_inventory_worker", "orders_payment_worker",
                "orders_shipping_worker", "orders_event_monitor"])
            self.assertEqual(stack.service_database_url("order-service"),
                             "postgresql://order_service:order_service@127.0.0.1:5555/orders")
            self.assertEqual(
                stack.service_database_url("event-monitor"),
                "postgresql://event_monitor:event_monitor@127.0.0.1:5555/orders_event_monitor")
            self.assertEqual(stack.read_model_urls()["STOCK_DATABASE_URL"],
                             "postgresql://order_service:order_service@127.0.0.1:5555/"
                             "orders_inventory_worker")

    def test_reads_a_stack_conf_from_before_clusters(self):
        config = StackConfig.from_text("STACK_PROFILE=test\nPG_PORT=1\nNATS_PORT=2\n"
                                       "NATS_MONITOR_PORT=3\nPORT_ORDER_SERVICE=4\n")
        self.assertEqual((config.nats_ports, config.nats_monitor_ports), ([2], [3]))
        self.assertFalse(config.nats_cluster)
        self.assertEqual(config.service_ports, {"order-service": 4})

    def test_reads_the_shell_quoting_of_the_bash_harness(self):
        config = StackConfig.from_text("STACK_BUILD_DIR=/root/my\\ build\n"
                                       "NATS_NODE_PORTS=1\\ 2\\ 3\nNATS_PORT=1\n")
        self.assertEqual(config.build_dir, Path("/root/my build"))
        self.assertEqual(config.nats_ports, [1, 2, 3])


class EnvFileTest(unittest.TestCase):
    def test_values_survive_quoting(self):
        values = {"A": "plain", "B": "with space", "C": "it's", "D": "", "E": "a,b=c"}
        text = render_env_text(".stack", Path("/s/env"), values)
        self.assertTrue(text.startswith("# Stack .stack: load it with: source /s/env."))
        self.assertEqual(parse_env_text(text), values)
        shell = subprocess.run(["bash", "-c", text + 'printf "%s|" "$A" "$B" "$C" "$D" "$E"'],
                               stdout=subprocess.PIPE, text=True, check=True).stdout
        self.assertEqual(shell, "plain|with space|it's||a,b=c|")


class ProfilesTest(unittest.TestCase):
    def test_profiles(self):
        self.assertEqual(profile_env("default"), {})
        self.assertEqual(profile_env("test")["MAX_DELIVER"], "5")
        self.assertEqual(profile_env("chaos")["PAYMENT_SIMULATOR_LEDGER"], "1")
        unsafe = profile_env("chaos-unsafe")
        self.assertEqual(unsafe["CHOREO_UNSAFE_DISABLE_IDEMPOTENCY"], "1")
        self.assertEqual(unsafe["MAX_DELIVER"], "10")
        self.assertNotIn("CHOREO_UNSAFE_DISABLE_IDEMPOTENCY", PROFILES["chaos"])
        with self.assertRaises(Fatal):
            profile_env("nope")

    def test_names(self):
        self.assertEqual(variable_stem("order-service"), "ORDER_SERVICE")
        self.assertEqual(service_role("event-monitor"), "event_monitor")
        self.assertEqual(describe_extra({}), "")
        self.assertEqual(describe_extra({"FAULT_POINT": "x", "JWT_SECRET": "s", "A_TOKEN": "t"}),
                         " with FAULT_POINT=x JWT_SECRET=*** A_TOKEN=***")


class PortClaimsTest(unittest.TestCase):
    def test_a_claim_lives_while_fresh_or_named_by_its_stack(self):
        now = time.time()
        named = {"/a": {20001}}
        ports = lambda directory: named.get(directory, set())  # noqa: E731
        self.assertTrue(claim_is_live(Claim(20002, int(now) - 5, "/b"), now, ports))
        self.assertFalse(claim_is_live(Claim(20002, int(now) - 500, "/b"), now, ports))
        self.assertTrue(claim_is_live(Claim(20001, int(now) - 500, "/a"), now, ports))
        self.assertEqual(Claim.parse("20001 1700000000 /a b/c\n"),
                         Claim(20001, 1700000000, "/a b/c"))
        self.assertIsNone(Claim.parse("garbage"))


class ProcessOwnershipTest(unittest.TestCase):
    def test_a_process_is_ours_only_with_its_program_and_our_stack(self):
        with tempfile.TemporaryDirectory() as folder:
            procs = StackProcesses(Path(folder), Path("/"))
            sleeper = subprocess.Popen(["sleep", "30"],
                                       env={"CHOREO_STACK_DIR": folder, "PATH": "/usr/bin:/bin"})
            other = subprocess.Popen(["sleep", "30"],
                                     env={"CHOREO_STACK_DIR": "/elsewhere", "PATH": "/usr/bin"})
            try:
                # Popen returns before the child has exec'd sleep.
                for process in (sleeper, other):
                    self.assertTrue(wait_until(
                        lambda p=process: (read_proc(p.pid, "cmdline") or [""])[0] == "sleep", 5,
                        0.01))
                self.assertTrue(procs.is_ours(sleeper.pid, "sleep"))
                self.assertFalse(procs.is_ours(sleeper.pid, "/usr/bin/nats-server"))
                self.assertFalse(procs.is_ours(other.pid, "sleep"))
                self.assertFalse(procs.is_ours(0, "sleep"))
            finally:
                for process in (sleeper, other):
                    process.kill()
                    process.wait()
            self.assertFalse(procs.is_ours(sleeper.pid, "sleep"))


class SupervisorTest(unittest.TestCase):
    def test_records_the_exit_status_before_it_ends(self):
        self.assertEqual(exit_status(-9), 137)
        self.assertEqual(exit_status(86), 86)
        with tempfile.TemporaryDirectory() as folder:
            base = Path(folder)
            (base / "env").write_text("PATH=/usr/bin:/bin\nGREETING=hello there\n")
            tools = str(Path(__file__).resolve().parents[2])
            supervisor = subprocess.run(
                [sys.executable, "-m", "harness.supervise", str(base / "pid"), str(base / "exit"),
                 str(base / "env"), "bash", "-c", 'echo "$GREETING"; exit 86'],
                env={"PYTHONPATH": tools, "PATH": os.environ["PATH"]}, stdout=subprocess.PIPE,
                text=True, check=True)
            self.assertEqual((base / "exit").read_text(), "86\n")
            self.assertTrue((base / "pid").read_text().strip().isdigit())
            self.assertIn("hello there", supervisor.stdout)
            self.assertIn("exited with status 86", supervisor.stdout)


if __name__ == "__main__":
    unittest.main()
