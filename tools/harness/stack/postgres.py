"""The stack's private PostgreSQL: created once with initdb, started with pg_ctl, listening on
127.0.0.1 only, with role and database `orders`.

initdb refuses to run as root, so as root the cluster runs as the `postgres` OS user and lives in
/var/tmp/choreo-<hash of the stack dir> (a checkout under /root is not reachable for that user),
linked from <stack>/pgdata. Otherwise it runs as the caller, in <stack>/pgdata. Either way that
folder holds data/, run/ (the unix socket, private to the owner) and the log."""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import signal
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Fatal
from ..processes import Result, run, wait_until
from .procs import is_zombie, read_proc

if TYPE_CHECKING:
    from .stack import Stack

ENSURE_DATABASE = """SELECT 'CREATE ROLE orders LOGIN PASSWORD ''orders'' CREATEDB CREATEROLE'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orders')
\\gexec
SELECT 'CREATE DATABASE orders OWNER orders'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'orders')
\\gexec
"""


def bin_dir() -> Path:
    preferred = Path("/usr/lib/postgresql/15/bin")
    if (preferred / "pg_ctl").exists():
        return preferred
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                   key=lambda path: int(path.parent.parent.name)
                   if path.parent.parent.name.isdigit() else 0)
    if not found:
        raise Fatal("PostgreSQL server binaries not found in /usr/lib/postgresql "
                    "(apt-get install postgresql)")
    return found[-1].parent


def runs_as_postgres_user() -> bool:
    return os.geteuid() == 0


class Postgres:
    def __init__(self, stack: "Stack"):
        self.stack = stack

    @property
    def home(self) -> Path:
        if runs_as_postgres_user():
            digest = hashlib.sha1(str(self.stack.dir).encode()).hexdigest()[:12]
            return Path(f"/var/tmp/choreo-{digest}")
        return self.stack.dir / "pgdata"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def socket_dir(self) -> Path:
        return self.home / "run"

    @property
    def log_file(self) -> Path:
        return self.home / "postgres.log"

    @property
    def port(self) -> int:
        return self.stack.config.pg_port

    def as_owner(self, command: list[str], input_text: str | None = None,
                 timeout: float = 120) -> Result:
        """Runs a PostgreSQL tool as the cluster's owner, from / (the postgres user may not be
        able to enter the current directory)."""
        prefix = ["runuser", "-u", "postgres", "--"] if runs_as_postgres_user() else []
        return run([*prefix, *command], input_text=input_text, timeout=timeout, cwd=Path("/"))

    def _chown(self, path: Path) -> None:
        if runs_as_postgres_user():
            user = pwd.getpwnam("postgres")
            os.chown(path, user.pw_uid, user.pw_gid)

    def prepare_dirs(self) -> None:
        if runs_as_postgres_user():
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise Fatal("the 'postgres' OS user is missing (apt-get install postgresql)") \
                    from None
        (self.stack.dir / "logs").mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        for folder in (self.home, self.socket_dir):
            folder.chmod(0o700)
            self._chown(folder)
        if runs_as_postgres_user():
            self._symlink(self.stack.dir / "pgdata", self.home)
        self.log_file.touch()
        self._chown(self.log_file)
        self._symlink(self.stack.dir / "logs" / "postgres.log", self.log_file)

    @staticmethod
    def _symlink(link: Path, target: Path) -> None:
        if link.is_symlink() or link.exists():
            if link.is_symlink() and Path(os.readlink(link)) == target:
                return
            link.unlink()
        link.symlink_to(target)

    def initialised(self) -> bool:
        return (self.data_dir / "PG_VERSION").exists()

    def init(self) -> None:
        self.stack.ui.detail(f"creating a new cluster in {self.data_dir}")
        result = self.as_owner([str(bin_dir() / "initdb"), "-D", str(self.data_dir), "-U",
                                "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
                                "--encoding=UTF8", "--locale=C.UTF-8"])
        with open(self.log_file, "a") as log:
            log.write(result.output)
        if result.status != 0:
            raise Fatal("initdb failed:\n" + "\n".join(result.output.splitlines()[-20:]))
        self.as_owner(["tee", "-a", str(self.data_dir / "postgresql.conf")],
                      input_text="\n# Settings of the ./dev stack (rewritten at every start).\n"
                                 "include_if_exists = 'choreo.conf'\n")

    def write_settings(self) -> None:
        """Rewritten at every start, so a stack that moved to other ports comes back on them."""
        settings = f"""listen_addresses = '127.0.0.1'
port = {self.port}
unix_socket_directories = '{self.socket_dir}'
unix_socket_permissions = 0700
max_connections = 200
# Durable, like production: the crash tests rely on it.
fsync = on
synchronous_commit = on
full_page_writes = on
log_line_prefix = '%m [%p] %q%u@%d '
{os.environ.get("CHOREO_PG_SETTINGS", "")}
"""
        self.as_owner(["tee", str(self.data_dir / "choreo.conf")], input_text=settings)

    def _pid_in_lock_file(self) -> int | None:
        try:
            first = (self.data_dir / "postmaster.pid").read_text().splitlines()[0]
        except (OSError, IndexError):
            return None
        return int(first) if first.isdigit() else None

    def pid(self) -> int | None:
        """The postmaster's PID, when it runs from this stack's data directory."""
        pid = self._pid_in_lock_file()
        if pid is None:
            return None
        arguments = read_proc(pid, "cmdline")
        return pid if arguments and str(self.data_dir) in arguments else None

    def ready(self) -> bool:
        return run([str(bin_dir() / "pg_isready"), "-q", "-h", "127.0.0.1", "-p",
                    str(self.port), "-t", "2"], timeout=10).status == 0

    def ensure_database(self) -> None:
        """Role and database `orders` (idempotent), over the private socket as superuser."""
        result = self.as_owner([str(bin_dir() / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                                "-h", str(self.socket_dir), "-p", str(self.port), "-U",
                                "postgres", "-d", "postgres"], input_text=ENSURE_DATABASE)
        if result.status != 0:
            raise Fatal(f"could not create role/database 'orders': {result.output.strip()}")
        # With --split-databases, one database per worker besides `orders` (the order
        # service's), each owned by the same owner, which migrates them all.
        for database in self.stack.databases()[1:]:
            statement = (f"SELECT 'CREATE DATABASE {database} OWNER orders' WHERE NOT EXISTS "
                         f"(SELECT FROM pg_database WHERE datname = '{database}')\n\\gexec\n")
            result = self.as_owner([str(bin_dir() / "psql"), "-X", "-q", "-v",
                                    "ON_ERROR_STOP=1", "-h", str(self.socket_dir), "-p",
                                    str(self.port), "-U", "postgres", "-d", "postgres"],
                                   input_text=statement)
            if result.status != 0:
                raise Fatal(f"could not create database '{database}': {result.output.strip()}")

    def clear_stale_lock(self) -> None:
        """A postmaster.pid naming a zombie (killed, not yet reaped) blocks a start although no
        process of the cluster is alive any more."""
        pid = self._pid_in_lock_file()
        if pid is not None and is_zombie(pid):
            self.stack.ui.detail(f"removing the stale postmaster.pid of killed postmaster {pid}")
            (self.data_dir / "postmaster.pid").unlink(missing_ok=True)

    def start(self) -> None:
        from ..ports import port_in_use
        ui = self.stack.ui
        pid = self.pid()
        if pid is not None:
            ui.say(f"postgres: already running (pid {pid}, 127.0.0.1:{self.port})")
            return
        if port_in_use(self.port):
            raise Fatal(f"postgres: port {self.port} on 127.0.0.1 is taken by another program")
        self.prepare_dirs()
        if not self.initialised():
            self.init()
        self.write_settings()
        self.clear_stale_lock()
        offset = self.log_file.stat().st_size
        result = self.as_owner([str(bin_dir() / "pg_ctl"), "-D", str(self.data_dir), "-l",
                                str(self.log_file), "-w", "-t", "60", "start"], timeout=90)
        if result.status != 0:
            raise Fatal("PostgreSQL did not start:\n" + self.log_tail(offset))
        self.ensure_database()
        ui.say(f"postgres: ready (pid {self.pid()}, 127.0.0.1:{self.port})")

    def log_tail(self, offset: int = 0, lines: int = 30) -> str:
        try:
            with open(self.log_file, "rb") as log:
                log.seek(offset)
                text = log.read().decode(errors="replace")
        except OSError:
            return f"(no log at {self.log_file})"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        ui = self.stack.ui
        pid = self.pid()
        if pid is None:
            ui.say("postgres: not running")
            return
        result = self.as_owner([str(bin_dir() / "pg_ctl"), "-D", str(self.data_dir), "-m",
                                "fast", "-w", "-t", "60", "stop"], timeout=90)
        if result.status != 0:
            raise Fatal(f"pg_ctl could not stop PostgreSQL (pid {pid}); see {self.log_file}")
        ui.say(f"postgres: stopped (pid {pid})")

    def kill(self) -> None:
        """SIGKILL to the postmaster and its children, as a machine crash would leave it (the
        next start runs crash recovery)."""
        ui = self.stack.ui
        pid = self.pid()
        if pid is None:
            ui.say("postgres: not running")
            return
        children = children_of(pid)
        for process in (pid, *children):
            try:
                os.kill(process, signal.SIGKILL)
            except ProcessLookupError:
                pass
        # They are init's children once the postmaster is gone; wait until init has reaped them
        # (a zombie postmaster makes the next start refuse its stale postmaster.pid).
        for process in (pid, *children):
            if not wait_until(lambda p=process: not Path(f"/proc/{p}").exists(), 10, 0.05) \
                    and not is_zombie(process):
                raise Fatal(f"postgres process {process} survived SIGKILL")
        ui.say(f"postgres: killed (pid {pid} and {len(children)} children)")

    def status_line(self) -> bool:
        pid = self.pid()
        if pid is not None:
            self.stack.ui.say(f"  {'postgres':<18} running  pid {pid:<8} 127.0.0.1:{self.port}  "
                              f"{self.stack.database_url()}")
            return True
        self.stack.ui.say(f"  {'postgres':<18} stopped")
        return False

    def wipe(self) -> Path | None:
        """Deletes the cluster's folder under /var/tmp (as root); returns it if it did."""
        if self.home.name.startswith("choreo-") and self.home.parent == Path("/var/tmp") \
                and self.home.is_dir():
            shutil.rmtree(self.home)
            return self.home
        return None


def children_of(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and fields[1] == str(pid):
            children.append(int(entry.name))
    return children
