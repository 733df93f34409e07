# shellcheck shell=bash
# Detached processes of a stack (the services and nats-server). Each runs under supervise.sh in its
# own session: PID in pids/NAME.pid, exit status in pids/NAME.exit, output appended to
# logs/NAME.log. Before any signal, the PID is checked to still be ours. Sourced by ./dev.

proc_pid_file() { printf '%s/pids/%s.pid\n' "$STACK_DIR" "$1"; }
proc_exit_file() { printf '%s/pids/%s.exit\n' "$STACK_DIR" "$1"; }
proc_log_file() { printf '%s/logs/%s.log\n' "$STACK_DIR" "$1"; }

log_size() {
  if [[ -f $1 ]]; then stat -c %s -- "$1"; else printf '0\n'; fi
}

# proc_is_ours PID MATCH: PID runs MATCH (one of its exact arguments: the binary or its config
# file) AND was started for this stack (CHOREO_STACK_DIR in its environment). A reused PID, a
# zombie, or the same binary serving another stack all fail the test.
proc_is_ours() {
  local pid=$1 match=$2 arguments environment
  [[ $pid =~ ^[1-9][0-9]*$ ]] || return 1
  arguments=$(tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline") || return 1
  [[ $'\n'$arguments$'\n' == *$'\n'"$match"$'\n'* ]] || return 1
  environment=$(tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ") || return 1
  [[ $'\n'$environment$'\n' == *$'\n'"CHOREO_STACK_DIR=$STACK_DIR"$'\n'* ]]
}

# proc_pid NAME MATCH: prints the PID of the stack's running NAME; fails when it is not running.
proc_pid() {
  local file pid
  file=$(proc_pid_file "$1")
  [[ -f $file ]] || return 1
  pid=$(<"$file")
  proc_is_ours "$pid" "$2" || return 1
  printf '%s\n' "$pid"
}

# proc_launch NAME ENVIRONMENT COMMAND…: starts COMMAND detached under supervise.sh with exactly
# ENVIRONMENT (KEY=VAL lines, plus CHOREO_STACK_DIR, which marks the process as this stack's);
# returns once its PID is recorded. The environment stays in pids/NAME.environment (mode 600), a
# record of what the last run was given.
proc_launch() {
  local name=$1 environment=$2
  shift 2
  local pid_file exit_file env_file log deadline
  pid_file=$(proc_pid_file "$name")
  exit_file=$(proc_exit_file "$name")
  env_file="$STACK_DIR/pids/$name.environment"
  log=$(proc_log_file "$name")
  mkdir -p -- "$STACK_DIR/pids" "$STACK_DIR/logs"
  rm -f -- "$pid_file" "$exit_file"
  (umask 077 && printf '%s\nCHOREO_STACK_DIR=%s\n' "$environment" "$STACK_DIR" >"$env_file")
  (cd -- "$STACK_DIR" &&
    exec setsid -f bash "$CHOREO_ROOT/tools/stack/supervise.sh" "$pid_file" "$exit_file" \
      "$env_file" "$@" </dev/null >>"$log" 2>&1 9>&-)
  deadline=$((SECONDS + 10))
  until [[ -s $pid_file ]]; do
    if ((SECONDS >= deadline)); then
      error "$name: no PID recorded in $pid_file within 10s"
      show_log_tail "$log" 20 >&2
      return 1
    fi
    sleep 0.05
  done
}

# wait_gone PID TIMEOUT_S MATCH: true once PID is no longer our process.
wait_gone() {
  local pid=$1 timeout=$2 match=$3 deadline
  deadline=$((SECONDS + timeout))
  while proc_is_ours "$pid" "$match"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# After the program ends, supervise.sh writes the exit file within moments; wait for it so that
# `exit-code` right after stop/kill is reliable.
wait_exit_recorded() {
  local file deadline
  file=$(proc_exit_file "$1")
  deadline=$((SECONDS + 5))
  until [[ -f $file ]]; do
    if ((SECONDS >= deadline)); then
      warn "$1: its exit status was not recorded (was its supervisor killed?)"
      return 0
    fi
    sleep 0.05
  done
}

last_exit_note() {
  local file
  file=$(proc_exit_file "$1")
  [[ -f $file ]] && printf ' (last exit status %s)' "$(<"$file")"
  return 0
}

# proc_stop NAME MATCH TIMEOUT_S: SIGTERM, wait, then SIGKILL with a warning.
proc_stop() {
  local name=$1 match=$2 timeout=$3 pid
  if ! pid=$(proc_pid "$name" "$match"); then
    say "$name: not running$(last_exit_note "$name")"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" "$timeout" "$match"; then
    warn "$name (pid $pid) did not stop within ${timeout}s of SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 "$match" || die "$name (pid $pid) survived SIGKILL"
  fi
  wait_exit_recorded "$name"
  say "$name: stopped (pid $pid)$(last_exit_note "$name")"
}

# proc_kill NAME MATCH: SIGKILL, as a crash would.
proc_kill() {
  local name=$1 match=$2 pid
  if ! pid=$(proc_pid "$name" "$match"); then
    say "$name: not running$(last_exit_note "$name")"
    return 0
  fi
  kill -KILL "$pid" 2>/dev/null || true
  wait_gone "$pid" 10 "$match" || die "$name (pid $pid) survived SIGKILL"
  wait_exit_recorded "$name"
  say "$name: killed (pid $pid)$(last_exit_note "$name")"
}

# proc_exit_code NAME: the exit status of NAME's last run (128+N when signal N ended it).
proc_exit_code() {
  local file
  file=$(proc_exit_file "$1")
  [[ -f $file ]] || return 1
  printf '%s\n' "$(<"$file")"
}
