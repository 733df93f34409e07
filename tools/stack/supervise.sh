#!/usr/bin/env bash
# Runs one stack process and remembers how it ended, for `./dev stack exit-code`.
#   supervise.sh PID_FILE EXIT_FILE ENV_FILE COMMAND [ARG…]
# Started detached (setsid) by process.sh with stdout/stderr appended to the process's log.
# COMMAND gets exactly the KEY=VALUE lines of ENV_FILE as its environment (read from a file so
# that secrets never show in `ps`). The PID recorded is COMMAND's own, so signals reach the
# program itself rather than this shell.
set -euo pipefail

pid_file=$1
exit_file=$2
env_file=$3
shift 3

# Descriptors inherited from whoever ran ./dev (a test runner's pipes, a lock) must not stay open
# for the lifetime of a daemon. 255 is bash reading this script.
for fd_path in "/proc/$$/fd/"*; do
  fd=${fd_path##*/}
  if ((fd > 2 && fd != 255)); then
    eval "exec $fd>&-" 2>/dev/null || true
  fi
done

(
  while IFS= read -r name; do
    unset "$name" 2>/dev/null || true
  done < <(compgen -e)
  while IFS= read -r assignment; do
    export "${assignment?}"
  done <"$env_file"
  exec "$@"
) &
child=$!
printf '%s\n' "$child" >"$pid_file.tmp"
mv -f -- "$pid_file.tmp" "$pid_file"

status=0
wait "$child" || status=$?
printf '%s\n' "$status" >"$exit_file.tmp"
mv -f -- "$exit_file.tmp" "$exit_file"
if ((status > 128)); then
  printf '=== %s: exited, killed by signal %d (status %d) ===\n' "$(date -Is)" $((status - 128)) "$status"
else
  printf '=== %s: exited with status %d ===\n' "$(date -Is)" "$status"
fi
