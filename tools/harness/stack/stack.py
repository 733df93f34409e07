"""One stack in its folder: settings, env file, secret, and every component's lifecycle. The
`./dev stack` verbs, `./dev up`, and every test suite (through the command line or, in Python,
this class) drive stacks through here."""

from __future__ import annotations

import datetime
import fcntl
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

from ..errors import Fatal, UsageError
from ..http import get_status
from ..paths import SYSTEM_PATH, Repo
from ..ports import allocate_ports, port_in_use
from ..processes import run, wait_until
from ..ui import Ui
from .config import IDENTITY_PROVIDER_VARIABLES, StackConfig
from .env_file import render_env_text
from .nats import Nats
from .postgres import Postgres
from .procs import StackProcesses
from .services import (DEFAULT_NATS_MONITOR_PORT, DEFAULT_NATS_PORT, DEFAULT_PG_PORT,
                       DEFAULT_PORTS, SERVICES, profile_env, service_role, variable_stem)

# What ./dev puts in a stack folder; a folder holding anything else is not deleted.
STACK_ENTRIES = {"stack.conf", "stack.conf.tmp", "env", "env.tmp", ".lock", "logs", "pids",
                 "secrets", "nats", "nats.conf", "nats-1.conf", "nats-2.conf", "nats-3.conf",
                 "pgdata"}
SECRET_NAMES = ("SECRET", "PASSWORD", "TOKEN")


def now_iso() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


def describe_extra(extra: Mapping[str, str]) -> str:
    """" with FAULT_POINT=x JWT_SECRET=***" for the log: a run's extra settings, secrets masked."""
    if not extra:
        return ""
    shown = [f"{key}=***" if any(word in key for word in SECRET_NAMES) else f"{key}={value}"
             for key, value in extra.items()]
    return " with " + " ".join(shown)


class Stack:
    def __init__(self, directory: Path, repo: Repo, ui: Ui | None = None):
        if not str(directory):
            raise UsageError("empty stack directory")
        self.dir = Path(os.path.realpath(directory))
        if self.dir == Path("/"):
            raise UsageError("refusing to use / as a stack directory")
        self.repo = repo
        self.ui = ui or Ui()
        self.procs = StackProcesses(self.dir, repo.root)
        self.postgres = Postgres(self)
        self.nats = Nats(self)
        # Inside ./dev test's phases the stack's steps are detail lines, not numbered steps.
        self.steps_as_details = False
        # LOG_LEVEL and LOG_FORMAT for the services of a stack configured from now on (None: the
        # environment's, else info and text); a test that reads the logs sets them.
        self.log_level: str | None = None
        self.log_format: str | None = None
        self._config: StackConfig | None = None
        self._lock_depth = 0
        self._lock_file = None
        self._thread_lock = threading.RLock()

    # --- settings -------------------------------------------------------------------------

    @property
    def conf_file(self) -> Path:
        return self.dir / "stack.conf"

    @property
    def env_file(self) -> Path:
        return self.dir / "env"

    def exists(self) -> bool:
        return self.conf_file.is_file()

    @property
    def config(self) -> StackConfig:
        if self._config is None:
            if not self.exists():
                raise Fatal(f"no stack in {self.dir} (bring one up with ./dev up, or ./dev stack "
                            f"--dir {self.dir} up)")
            self._config = StackConfig.load(self.conf_file)
        return self._config

    def label(self) -> str:
        """A short name for messages: ".stack" for the repository's stacks, else the path."""
        return self.dir.name if self.dir.parent == self.repo.root else str(self.dir)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Serialises commands that change a stack (start/stop/up/down…) between processes; a
        process may nest it."""
        with self._thread_lock:  # and between the threads of one process (a chaos run)
            if self._lock_depth == 0:
                self.dir.mkdir(parents=True, exist_ok=True)
                self._lock_file = open(self.dir / ".lock", "a")
                try:
                    fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    self.ui.say(f"waiting for another ./dev command on {self.label()} to "
                                "finish…")
                    if not wait_until(lambda: self._try_lock(), 300, 0.2):
                        raise Fatal(f"timed out waiting for the lock on {self.dir / '.lock'}")
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
                if self._lock_depth == 0 and self._lock_file is not None:
                    self._lock_file.close()
                    self._lock_file = None

    def _try_lock(self) -> bool:
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    # --- addresses ------------------------------------------------------------------------

    def database_name(self, service: str) -> str:
        """Where SERVICE's data lives: `orders`, or with --split-databases a database of its own
        (the order service keeps `orders`, so DATABASE_URL and psql still find the orders)."""
        if not self.config.split_databases or service == "order-service":
            return "orders"
        return f"orders_{service_role(service)}"

    def databases(self) -> list[str]:
        """Every database of the stack, `orders` first."""
        return list(dict.fromkeys(self.database_name(service) for service in SERVICES))

    def owner_url(self, database: str = "orders") -> str:
        return f"postgresql://orders:orders@127.0.0.1:{self.config.pg_port}/{database}"

    def database_url(self) -> str:
        """The database owner's on `orders`: migrations, psql, the tests."""
        return self.owner_url()

    def role_url(self, role: str, database: str) -> str:
        """ROLE (password = role name, a local stack's) on DATABASE."""
        return f"postgresql://{role}:{role}@127.0.0.1:{self.config.pg_port}/{database}"

    def service_database_url(self, service: str) -> str:
        """What SERVICE connects with: its own role, on its own database."""
        return self.role_url(service_role(service), self.database_name(service))

    def read_model_urls(self) -> dict[str, str]:
        """Where the order service reads the two read models when they live in the event
        monitor's and the inventory worker's databases (as its own role); {} when they share its
        database."""
        if not self.config.split_databases:
            return {}
        role = service_role("order-service")
        return {"ORDER_EVENTS_DATABASE_URL": self.role_url(role,
                                                           self.database_name("event-monitor")),
                "STOCK_DATABASE_URL": self.role_url(role, self.database_name("inventory-worker"))}

    def service_database_urls(self) -> dict[str, str]:
        """ORDER_SERVICE_DATABASE_URL … for every service."""
        return {f"{variable_stem(service)}_DATABASE_URL": self.service_database_url(service)
                for service in SERVICES}

    def nats_url(self) -> str:
        """Every node's URL, comma-separated: the services fail over between them."""
        return ",".join(f"nats://127.0.0.1:{port}" for port in self.config.nats_ports)

    def nats_monitor_url(self) -> str:
        return f"http://127.0.0.1:{self.config.nats_monitor_port}"

    def nats_monitor_urls(self) -> str:
        return ",".join(f"http://127.0.0.1:{port}" for port in self.config.nats_monitor_ports)

    def service_port(self, service: str) -> int:
        return self.config.service_ports[service]

    def service_url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.service_port(service)}"

    def build_dir(self) -> Path:
        return self.config.build_dir

    def binary(self, service: str) -> Path:
        return self.build_dir() / service / service

    def choreoctl(self) -> Path:
        return self.build_dir() / "choreoctl" / "choreoctl"

    # --- the secret, tokens, the env file -------------------------------------------------

    @property
    def jwt_secret_file(self) -> Path:
        return self.dir / "secrets" / "jwt_secret"

    def ensure_jwt_secret(self) -> None:
        """Random, made once per stack, kept until the stack is wiped."""
        if self.jwt_secret_file.is_file() and self.jwt_secret_file.stat().st_size > 0:
            return
        self.jwt_secret_file.parent.mkdir(parents=True, exist_ok=True)
        self.jwt_secret_file.parent.chmod(0o700)
        fd = os.open(self.jwt_secret_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(os.urandom(32).hex())

    def jwt_secret(self) -> str:
        return self.jwt_secret_file.read_text().strip()

    def dashboard_link(self) -> str:
        """The event monitor's dashboard, signed in with a fresh operator's token."""
        return f"{self.service_url('event-monitor')}/#token={self.make_token('operator', True)}"

    def make_token(self, subject: str, operator: bool = False) -> str:
        """A token for SUBJECT signed with the stack's secret, valid 7 days; with `operator`,
        one whose roles claim lists operator."""
        choreoctl = self.choreoctl()
        if not os.access(choreoctl, os.X_OK):
            raise Fatal(f"{choreoctl} is missing: build first (./dev build)")
        arguments = [str(choreoctl), "token", "--sub", subject, "--ttl", "168h",
                     *(["--operator"] if operator else [])]
        # With an identity provider configured the services check iss and aud on HS256 tokens
        # too: the stack's own tokens carry them (and the roles where the services look).
        result = run(arguments, env={"PATH": SYSTEM_PATH, "JWT_SECRET": self.jwt_secret(),
                                     **self.config.identity_provider},
                     timeout=30)
        if result.status != 0:
            raise Fatal(f"choreoctl token failed: {result.output.strip()}")
        return result.output.strip()

    def env_values(self) -> dict[str, str]:
        values = {"STACK_DIR": str(self.dir), "CHOREO_DEV": str(self.repo.dev),
                  "DATABASE_URL": self.database_url(), "NATS_URL": self.nats_url(),
                  "NATS_MONITOR_URL": self.nats_monitor_url(),
                  "NATS_MONITOR_URLS": self.nats_monitor_urls(),
                  "GRAPHQL_URL": self.service_url("order-service") + "/graphql",
                  "JWT_SECRET": self.jwt_secret(), "TOKEN": self.make_token("demo")}
        for service in SERVICES:
            values[f"{variable_stem(service)}_URL"] = self.service_url(service)
        values.update(self.service_database_urls())
        # The retry settings this stack's services run with, so tests can compute what to
        # expect.
        values.update(profile_env(self.config.profile))
        return values

    def write_env_file(self) -> None:
        """`export` lines that a shell can source and a test can parse."""
        text = render_env_text(self.label(), self.env_file, self.env_values())
        partial = self.dir / "env.tmp"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(text)
        partial.replace(self.env_file)

    # --- logs -----------------------------------------------------------------------------

    @staticmethod
    def log_size(path: Path) -> int:
        try:
            return path.stat().st_size
        except OSError:
            return 0

    @staticmethod
    def log_tail(path: Path, offset: int = 0, lines: int = 30) -> str:
        """The last LINES lines written since byte OFFSET, indented: what this run said."""
        try:
            with open(path, "rb") as log:
                log.seek(offset)
                text = log.read().decode(errors="replace")
        except OSError:
            return f"      (no log at {path})"
        tail = text.splitlines()[-lines:]
        return "\n".join([f"      --- last lines of {path} ---", *(f"      | {line}" for line in
                                                                  tail), "      ---"])

    def component_log(self, target: str) -> Path:
        return self.dir / "logs" / f"{target}.log"

    # --- components -----------------------------------------------------------------------

    def is_component(self, target: str) -> bool:
        return target in ("postgres", "nats") or target in SERVICES or (
            self.exists() and self.nats.is_node(target))

    def component_names(self) -> str:
        return ", ".join(["postgres", "nats", *SERVICES])

    def service_pid(self, service: str) -> int | None:
        return self.procs.pid(service, str(self.binary(service)))

    def service_ready(self, service: str) -> bool:
        return get_status(f"{self.service_url(service)}/readyz") == 200

    def service_environment(self, service: str, extra: Mapping[str, str]) -> dict[str, str]:
        """The whole environment of one run: nothing leaks in from the caller's shell (a stray
        FAULT_POINT or DATABASE_URL there must not change a stack), and EXTRA comes last so it
        wins."""
        env = {"PATH": SYSTEM_PATH, "HOME": os.environ.get("HOME", "/"), "LANG": "C.UTF-8",
               "CHOREO_SERVICE": service, "DATABASE_URL": self.service_database_url(service),
               "NATS_URL": self.nats_url(),
               "LISTEN_ADDR": f"127.0.0.1:{self.service_port(service)}",
               "LOG_LEVEL": self.config.log_level, "LOG_FORMAT": self.config.log_format}
        if service in ("order-service", "event-monitor"):
            # The event monitor's operator API takes operator tokens signed with it.
            env["JWT_SECRET"] = self.jwt_secret()
        if service in ("order-service", "event-monitor"):
            env.update(self.config.identity_provider)
        if service == "order-service":
            env.update(self.read_model_urls())
        if service == "event-monitor":
            # The dashboard reads every service's outbox and dead letters, and replays them, as
            # that service's own role (as choreoctl does).
            env.update(self.service_database_urls())
        if self.config.nats_cluster:
            # In a cluster the stream keeps a copy on every node: one node down loses nothing.
            env["NATS_STREAM_REPLICAS"] = "3"
        env.update(profile_env(self.config.profile))
        env.update(extra)
        return env

    def start_service(self, service: str, wait: bool = True,
                      extra: Mapping[str, str] | None = None) -> None:
        extra = dict(extra or {})
        pid = self.service_pid(service)
        if pid is not None:
            if extra:
                shown = " ".join(f"{key}={value}" for key, value in extra.items())
                raise Fatal(f"{service} is already running (pid {pid}); to start it with "
                            f"{shown}, use restart")
            self.ui.say(f"{service}: already running (pid {pid}, {self.service_url(service)})")
            return
        binary = self.binary(service)
        if not os.access(binary, os.X_OK):
            raise Fatal(f"{binary} is missing: build first (./dev build)")
        port = self.service_port(service)
        if port_in_use(port):
            raise Fatal(f"{service}: port {port} on 127.0.0.1 is taken by another program")
        self.ensure_jwt_secret()
        environment = self.service_environment(service, extra)
        log = self.procs.log_file(service)
        log.parent.mkdir(parents=True, exist_ok=True)
        offset = self.log_size(log)
        with open(log, "a") as file:
            file.write(f"\n=== {now_iso()}: starting {service}{describe_extra(extra)} ===\n")
        pid = self.procs.launch(service, environment, [str(binary)])
        if not wait:
            self.ui.say(f"{service}: started (pid {pid}), not waiting for /readyz")
            return
        self.wait_service_ready(service, 60, offset)
        self.ui.say(f"{service}: ready (pid {pid}, {self.service_url(service)})")

    def wait_service_ready(self, service: str, timeout: float, offset: int = 0) -> None:
        """Polls /readyz; fails fast when the process ends."""
        exited = self.procs.exit_file(service)
        if wait_until(lambda: exited.exists() or self.service_ready(service), timeout, 0.2) \
                and not exited.exists():
            return
        log = self.log_tail(self.procs.log_file(service), offset)
        if exited.exists():
            raise Fatal(f"{service} exited with status {exited.read_text().strip()} before it "
                        f"was ready\n{log}")
        raise Fatal(f"{service} did not answer 200 on {self.service_url(service)}/readyz within "
                    f"{timeout:.0f}s (it is left running)\n{log}")

    def service_status_line(self, service: str) -> bool:
        pid = self.service_pid(service)
        if pid is not None:
            ready = "ready" if self.service_ready(service) else "NOT ready"
            self.ui.say(f"  {service:<18} running  pid {pid:<8} {self.service_url(service)}  "
                        f"{ready}")
            return True
        self.procs.wait_exit_recorded(service)
        self.ui.say(f"  {service:<18} stopped{self.procs.last_exit_note(service)}")
        return False

    # The verbs on one component (TARGET: postgres, nats, nats-N, or a service).

    def start(self, target: str, wait: bool = True,
              extra: Mapping[str, str] | None = None) -> None:
        if target == "postgres":
            self.postgres.start()
        elif target == "nats" or self.nats.is_node(target):
            self.nats.start(target)
        else:
            self.start_service(target, wait, extra)

    def stop(self, target: str) -> None:
        if target == "postgres":
            self.postgres.stop()
        elif target == "nats" or self.nats.is_node(target):
            self.nats.stop(target)
        else:
            self.procs.stop(self.ui, target, str(self.binary(target)), 20)

    def kill(self, target: str) -> None:
        if target == "postgres":
            self.postgres.kill()
        elif target == "nats" or self.nats.is_node(target):
            self.nats.kill(target)
        else:
            self.procs.kill(self.ui, target, str(self.binary(target)))

    def restart(self, target: str, wait: bool = True,
                extra: Mapping[str, str] | None = None) -> None:
        with self.locked():
            self.stop(target)
            self.start(target, wait, extra)

    def pid(self, target: str) -> int | None:
        if target == "postgres":
            return self.postgres.pid()
        if target == "nats":
            return self.nats.pid()
        if self.nats.is_node(target):
            return self.nats.node_pid(target)
        return self.service_pid(target)

    def running(self, target: str) -> bool:
        return self.pid(target) is not None

    def ready(self, target: str) -> bool:
        if target == "postgres":
            return self.postgres.ready()
        if target == "nats" or self.nats.is_node(target):
            return self.nats.ready(target)
        return self.service_ready(target)

    def wait_ready(self, target: str, timeout: float) -> None:
        if target in ("postgres", "nats") or self.nats.is_node(target):
            if not wait_until(lambda: self.ready(target), timeout, 0.2):
                raise Fatal(f"{target} is not ready after {timeout:.0f}s")
        else:
            if self.service_pid(target) is None:
                raise Fatal(f"{target} is not running{self.procs.last_exit_note(target)}")
            self.wait_service_ready(target, timeout)
        self.ui.say(f"{target}: ready")

    def exit_code(self, target: str) -> int:
        if target == "postgres":
            raise Fatal("postgres runs under pg_ctl; its exit status is not recorded")
        if self.running(target):
            raise Fatal(f"{target} is running; it has no exit status yet")
        code = self.procs.exit_code(target)
        if code is None:
            raise Fatal(f"no exit status recorded for {target} in {self.dir}")
        return code

    def status_of(self, target: str) -> bool:
        if target == "postgres":
            return self.postgres.status_line()
        if target == "nats" or self.nats.is_node(target):
            return self.nats.status_line(target)
        return self.service_status_line(target)

    # --- the whole stack ------------------------------------------------------------------

    def anything_running(self) -> bool:
        return self.postgres.pid() is not None or self.nats.pid() is not None or any(
            self.service_pid(service) is not None for service in SERVICES)

    def configure(self, profile: str, port_mode: str, nats_cluster: bool,
                  split_databases: bool = False) -> None:
        """Settings for a stack about to come up. A stack with something still running keeps the
        settings it runs with; otherwise it takes the new ones (and, for free ports, new free
        ports)."""
        for folder in ("logs", "pids"):
            (self.dir / folder).mkdir(parents=True, exist_ok=True)
        if self.exists():
            self._config = StackConfig.load(self.conf_file)
            if self.anything_running():
                if self._config.profile != profile:
                    self.ui.warn(f"{self.label()} already runs with profile "
                                 f"'{self._config.profile}'; keeping it (./dev stack down first "
                                 "to change it)")
                return
        profile_env(profile)  # refuses an unknown profile before anything is written
        # A cluster's other two nodes need client, monitoring and cluster ports; node 1 a
        # cluster port.
        extra = 7 if nats_cluster else 0
        config = StackConfig(profile=profile, port_mode=port_mode,
                             build_dir=self.repo.build_dir,
                             log_level=self.log_level or os.environ.get("LOG_LEVEL") or "info",
                             log_format=(self.log_format or os.environ.get("LOG_FORMAT")
                                         or "text"),
                             nats_cluster=nats_cluster, split_databases=split_databases)
        if port_mode == "fixed":
            # The ./dev up stack takes an identity provider from the environment; test stacks,
            # whose tokens are the harness's own, never do.
            config.identity_provider = {name: os.environ[name]
                                        for name in IDENTITY_PROVIDER_VARIABLES
                                        if os.environ.get(name)}
            config.pg_port = DEFAULT_PG_PORT
            nats_ports, monitor_ports = [DEFAULT_NATS_PORT], [DEFAULT_NATS_MONITOR_PORT]
            config.service_ports = dict(DEFAULT_PORTS)
            spare = allocate_ports(extra, self.dir) if extra else []
        else:
            ports = allocate_ports(3 + len(SERVICES) + extra, self.dir)
            config.pg_port = ports[0]
            nats_ports, monitor_ports = [ports[1]], [ports[2]]
            config.service_ports = dict(zip(SERVICES, ports[3:3 + len(SERVICES)]))
            spare = ports[3 + len(SERVICES):]
        if nats_cluster:
            nats_ports += spare[0:2]
            monitor_ports += spare[2:4]
            config.nats_cluster_ports = spare[4:7]
        config.nats_ports, config.nats_monitor_ports = nats_ports, monitor_ports
        config.save(self.conf_file)
        self._config = config
        self.ensure_jwt_secret()

    def migrate(self) -> None:
        choreoctl = self.choreoctl()
        if not os.access(choreoctl, os.X_OK):
            raise Fatal(f"{choreoctl} is missing: build first (./dev build)")
        log = self.dir / "logs" / "migrate.log"
        offset = self.log_size(log)
        # Every database gets the whole schema (each service uses its own schema of its own
        # database). The services' URLs go along: migrate gives each service's role its password.
        for database in self.databases():
            result = run([str(choreoctl), "migrate"], env={
                "PATH": SYSTEM_PATH, "HOME": os.environ.get("HOME", "/"),
                "DATABASE_URL": self.owner_url(database), **self.service_database_urls()},
                timeout=300)
            with open(log, "a") as file:
                file.write(f"\n=== {now_iso()}: choreoctl migrate ({database}) ===\n"
                           f"{result.output}")
            if result.status != 0:
                raise Fatal(f"choreoctl migrate failed on {database}\n"
                            f"{self.log_tail(log, offset)}")
        where = "database" if len(self.databases()) == 1 else \
            f"{len(self.databases())} databases ({', '.join(self.databases())})"
        self.ui.ok(f"schema is up to date in the {where} (log: {log})")

    def step(self, text: str) -> None:
        """A numbered step of its own, or (inside a phase of ./dev test) a detail line."""
        if self.steps_as_details:
            self.ui.detail(text)
        else:
            self.ui.step(text)

    def up(self, profile: str, port_mode: str, nats_cluster: bool = False,
           split_databases: bool = False) -> None:
        """PostgreSQL, NATS, the schema, the env file, the services: four steps (the caller has
        begun the steps with room for them)."""
        with self.locked():
            self.configure(profile, port_mode, nats_cluster, split_databases)
            self.step("starting PostgreSQL")
            self.postgres.start()
            self.step("starting NATS JetStream (a 3-node cluster)" if self.config.nats_cluster
                      else "starting NATS JetStream")
            self.nats.start()
            self.step(f"applying the schema and writing {self.label()}/env")
            self.migrate()
            self.write_env_file()
            self.ui.ok(f"wrote {self.env_file}")
            self.step(f"starting the services: {' '.join(SERVICES)} (waiting for each /readyz)")
            failed = []
            for service in SERVICES:
                try:
                    self.start_service(service)
                except Fatal as failure:
                    self.ui.error(str(failure))
                    failed.append(service)
            if failed:
                raise Fatal(f"did not become ready: {' '.join(failed)} (logs in "
                            f"{self.dir}/logs/)")

    def status(self) -> bool:
        """One line per component; True when everything `up` starts is running."""
        self.ui.say(f"Stack {self.dir} (profile {self.config.profile}):")
        healthy = self.postgres.status_line()
        healthy = self.nats.status_line() and healthy
        for service in SERVICES:
            healthy = self.service_status_line(service) and healthy
        return healthy

    def summary(self) -> None:
        shown = ".stack" if self.dir == self.repo.default_stack else str(self.dir)
        say = self.ui.say
        say("")
        self.status()
        say("")
        say("Try it:")
        say(f"  source {shown}/env       # DATABASE_URL, NATS_URL, GRAPHQL_URL, TOKEN, …")
        if self.service_pid("order-service") is not None:
            say('  curl -s "$GRAPHQL_URL" -H "Authorization: Bearer $TOKEN" -H '
                "'Content-Type: application/json' \\")
            say("       -d '{\"query\":\"{ products { sku name price available } }\"}'")
        say('  curl -s "$EVENT_MONITOR_URL/readyz"')
        if self.service_pid("event-monitor") is not None:
            # A fresh 7-day operator token after '#': the page keeps it in the tab and drops it
            # from the address (a fragment never reaches the server).
            say(f"The dashboard (an operator's token is in the link; ./dev token --operator "
                "makes another):")
            say(f"  {self.dashboard_link()}")
        choreoctl = os.path.relpath(self.choreoctl(), self.repo.root)
        say(f"  {choreoctl} status   # readiness, lag, backlogs (also: consumers, order ID, "
            "tail)")
        say('  curl -s "$NATS_MONITOR_URL/jsz?streams=true"')
        say("  psql \"$DATABASE_URL\" -c '\\dt'")
        say(f"Logs: {shown}/logs/ (./dev logs SERVICE).  Stop: ./dev down  (--wipe also deletes "
            "the data)")

    def down(self) -> bool:
        """Stops what this stack started, by PID: the services, then NATS, then PostgreSQL."""
        clean = True
        with self.locked():
            for service in reversed(SERVICES):
                if self.service_pid(service) is None:
                    continue
                try:
                    self.stop(service)
                except Fatal as failure:
                    self.ui.error(str(failure))
                    clean = False
            for component in (self.nats.stop, self.postgres.stop):
                try:
                    component()
                except Fatal as failure:
                    self.ui.error(str(failure))
                    clean = False
        return clean

    def wipe(self) -> None:
        """Deletes the stack's folder and its PostgreSQL folder (under /var/tmp as root)."""
        root = self.repo.root
        if self.dir == root or root.is_relative_to(self.dir):
            raise Fatal(f"refusing to delete {self.dir}: it contains the repository")
        home = self.postgres.home
        if self.dir.is_dir():
            for entry in self.dir.iterdir():
                if entry.name not in STACK_ENTRIES:
                    raise Fatal(f"not deleting {self.dir}: it holds '{entry.name}', which ./dev "
                                "did not put there")
            shutil.rmtree(self.dir)
        self._config = None
        removed = self.postgres.wipe() if home.name.startswith("choreo-") else None
        self.ui.say(f"wiped {self.dir} and {removed}" if removed else f"wiped {self.dir}")

    @contextmanager
    def quietly(self) -> Iterator[None]:
        """Only warnings and errors from the stack meanwhile (a teardown nobody asked to see)."""
        loud = self.ui
        with open(os.devnull, "w") as devnull:
            self.ui = Ui(out=devnull, err=loud.err)
            try:
                yield
            finally:
                self.ui = loud

    def up_fresh(self, profile: str, nats_cluster: bool = False,
                 split_databases: bool = False) -> None:
        """The stack stopped if running, wiped, and brought up anew on free ports, so a run
        never depends on what an earlier one left behind."""
        with self.locked(), self.quietly():
            if self.exists() and not self.down():
                self.ui.warn(f"the earlier stack in {self.label()} did not stop cleanly")
            self.wipe()
        self.up(profile, "free", nats_cluster, split_databases)

    def process_ids(self) -> dict[str, int]:
        """name -> PID of every running process of the stack (PostgreSQL: the postmaster)."""
        found = {service: self.service_pid(service) for service in SERVICES}
        found["nats-server"] = self.nats.pid()
        found["postgres"] = self.postgres.pid()
        return {name: pid for name, pid in found.items() if pid is not None}

