# shellcheck shell=bash
# The stack's private PostgreSQL: created once with initdb, started with pg_ctl, listening on
# 127.0.0.1 only, with role and database `orders`. Sourced by ./dev.
#
# initdb refuses to run as root, so as root the cluster runs as the `postgres` OS user and lives
# in /var/tmp/choreo-<hash of the stack dir> (a checkout under /root is not reachable for that
# user), linked from <stack>/pgdata. Otherwise it runs as the caller, in <stack>/pgdata.
# Either way that folder holds data/, run/ (the unix socket, private to the owner) and the log.

pg_bin_dir() {
  local dir
  if [[ -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
    printf '%s\n' /usr/lib/postgresql/15/bin
    return 0
  fi
  dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n $dir && -x $dir/pg_ctl ]] || die "PostgreSQL server binaries not found in /usr/lib/postgresql (apt-get install postgresql)"
  printf '%s\n' "$dir"
}

pg_runs_as_postgres_user() { ((EUID == 0)); }

pg_home() {
  if pg_runs_as_postgres_user; then
    printf '/var/tmp/choreo-%s\n' "$(printf '%s' "$STACK_DIR" | sha1sum | cut -c1-12)"
  else
    printf '%s/pgdata\n' "$STACK_DIR"
  fi
}
pg_data_dir() { printf '%s/data\n' "$(pg_home)"; }
pg_socket_dir() { printf '%s/run\n' "$(pg_home)"; }
pg_log_file() { printf '%s/postgres.log\n' "$(pg_home)"; }

# Runs a PostgreSQL tool as the cluster's owner, from / (the postgres user may not be able to
# enter the current directory), without the stack lock on fd 9.
pg_as_owner() {
  if pg_runs_as_postgres_user; then
    (cd / && exec runuser -u postgres -- "$@" 9>&-)
  else
    (exec "$@" 9>&-)
  fi
}

pg_prepare_dirs() {
  local home
  home=$(pg_home)
  mkdir -p -- "$STACK_DIR/logs" "$home/run"
  chmod 700 -- "$home" "$home/run"
  if pg_runs_as_postgres_user; then
    getent passwd postgres >/dev/null || die "the 'postgres' OS user is missing (apt-get install postgresql)"
    chown postgres:postgres -- "$home" "$home/run"
    ln -sfn -- "$home" "$STACK_DIR/pgdata"
  fi
  touch -- "$(pg_log_file)"
  if pg_runs_as_postgres_user; then
    chown postgres:postgres -- "$(pg_log_file)"
  fi
  ln -sfn -- "$(pg_log_file)" "$STACK_DIR/logs/postgres.log"
}

pg_initialised() { [[ -f $(pg_data_dir)/PG_VERSION ]]; }

pg_init() {
  local bin data
  bin=$(pg_bin_dir)
  data=$(pg_data_dir)
  detail "creating a new cluster in $data"
  if ! pg_as_owner "$bin/initdb" -D "$data" -U postgres --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >>"$(pg_log_file)" 2>&1; then
    error "initdb failed"
    show_log_tail "$(pg_log_file)" 20 >&2
    return 1
  fi
  printf "\n# Settings of the ./dev stack (rewritten at every start).\ninclude_if_exists = 'choreo.conf'\n" |
    pg_as_owner tee -a "$data/postgresql.conf" >/dev/null
}

# Rewritten at every start, so a stack that moved to other ports comes back on the new ones.
pg_write_settings() {
  cat <<CONF | pg_as_owner tee "$(pg_data_dir)/choreo.conf" >/dev/null
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$(pg_socket_dir)'
unix_socket_permissions = 0700
max_connections = 200
# Durable, like production: the crash tests rely on it.
fsync = on
synchronous_commit = on
full_page_writes = on
log_line_prefix = '%m [%p] %q%u@%d '
${CHOREO_PG_SETTINGS:-}
CONF
}

# pg_pid: the postmaster's PID, when it runs from this stack's data directory.
pg_pid() {
  local data pid
  data=$(pg_data_dir)
  [[ -r $data/postmaster.pid ]] || return 1
  pid=$(head -n 1 -- "$data/postmaster.pid")
  [[ $pid =~ ^[1-9][0-9]*$ ]] || return 1
  local arguments
  arguments=$(tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline") || return 1
  [[ $'\n'$arguments$'\n' == *$'\n'"$data"$'\n'* ]] || return 1
  printf '%s\n' "$pid"
}

pg_ready() { "$(pg_bin_dir)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2 >/dev/null 2>&1; }

# Role and database `orders` (idempotent), created over the private unix socket as superuser.
pg_ensure_database() {
  pg_as_owner "$(pg_bin_dir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$(pg_socket_dir)" -p "$PG_PORT" \
    -U postgres -d postgres >/dev/null <<'SQL'
SELECT 'CREATE ROLE orders LOGIN PASSWORD ''orders'' CREATEDB CREATEROLE'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orders')
\gexec
SELECT 'CREATE DATABASE orders OWNER orders'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'orders')
\gexec
SQL
}

pg_start() {
  local pid offset
  if pid=$(pg_pid); then
    say "postgres: already running (pid $pid, 127.0.0.1:$PG_PORT)"
    return 0
  fi
  ! port_in_use "$PG_PORT" || die "postgres: port $PG_PORT on 127.0.0.1 is taken by another program"
  pg_prepare_dirs
  pg_initialised || pg_init || return 1
  pg_write_settings
  pg_clear_stale_lock
  offset=$(log_size "$(pg_log_file)")
  if ! pg_as_owner "$(pg_bin_dir)/pg_ctl" -D "$(pg_data_dir)" -l "$(pg_log_file)" -w -t 60 start \
    >/dev/null 2>&1; then
    error "PostgreSQL did not start"
    show_log_tail "$(pg_log_file)" 30 "$offset" >&2
    return 1
  fi
  pg_ensure_database || die "could not create role/database 'orders'"
  say "postgres: ready (pid $(pg_pid), 127.0.0.1:$PG_PORT)"
}

pg_stop() {
  local pid
  if ! pid=$(pg_pid); then
    say "postgres: not running"
    return 0
  fi
  pg_as_owner "$(pg_bin_dir)/pg_ctl" -D "$(pg_data_dir)" -m fast -w -t 60 stop >/dev/null ||
    die "pg_ctl could not stop PostgreSQL (pid $pid); see $(pg_log_file)"
  say "postgres: stopped (pid $pid)"
}

is_zombie() { [[ $(ps -o stat= -p "$1" 2>/dev/null) == Z* ]]; }

# SIGKILL to the postmaster and its children, as a machine crash would leave it (the next start
# runs crash recovery).
pg_kill() {
  local pid child deadline
  local -a children
  if ! pid=$(pg_pid); then
    say "postgres: not running"
    return 0
  fi
  mapfile -t children < <(ps -o pid= --ppid "$pid" | tr -d ' ')
  kill -KILL "$pid" "${children[@]}" 2>/dev/null || true
  # They are init's children once the postmaster is gone; wait until init has reaped them (a
  # zombie postmaster makes the next start refuse its stale postmaster.pid).
  deadline=$((SECONDS + 10))
  for child in "$pid" "${children[@]}"; do
    while kill -0 "$child" 2>/dev/null; do
      if ((SECONDS >= deadline)); then
        is_zombie "$child" || die "postgres process $child survived SIGKILL"
        break
      fi
      sleep 0.05
    done
  done
  say "postgres: killed (pid $pid and ${#children[@]} children)"
}

# A postmaster.pid naming a zombie (killed, not yet reaped) blocks a start although no process of
# the cluster is alive any more; remove it.
pg_clear_stale_lock() {
  local file pid
  file="$(pg_data_dir)/postmaster.pid"
  [[ -f $file ]] || return 0
  pid=$(head -n 1 -- "$file")
  if [[ $pid =~ ^[1-9][0-9]*$ ]] && is_zombie "$pid"; then
    detail "removing the stale postmaster.pid of killed postmaster $pid"
    rm -f -- "$file"
  fi
}

pg_status_line() {
  local pid
  if pid=$(pg_pid); then
    printf '  %-18s running  pid %-8s 127.0.0.1:%s  %s\n' postgres "$pid" "$PG_PORT" "$(database_url)"
    return 0
  fi
  printf '  %-18s stopped\n' postgres
  return 1
}
