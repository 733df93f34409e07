# shellcheck shell=bash
# Output helpers shared by every ./dev command: one look for steps, details, warnings and errors.
# Sourced by ./dev; needs nothing else.

if [[ -t 1 && ${TERM:-dumb} != dumb && -z ${NO_COLOR:-} ]]; then
  UI_BOLD=$'\e[1m' UI_DIM=$'\e[2m' UI_RED=$'\e[31m' UI_GREEN=$'\e[32m' UI_YELLOW=$'\e[33m'
  UI_RESET=$'\e[0m'
else
  UI_BOLD='' UI_DIM='' UI_RED='' UI_GREEN='' UI_YELLOW='' UI_RESET=''
fi

# Numbered steps: `steps_begin 6` once, then `step "building…"` prints "[1/6] building…".
UI_STEP=0
UI_STEP_TOTAL=0
steps_begin() {
  UI_STEP=0
  UI_STEP_TOTAL=$1
}
step() {
  UI_STEP=$((UI_STEP + 1))
  printf '%s[%d/%d] %s%s\n' "$UI_BOLD" "$UI_STEP" "$UI_STEP_TOTAL" "$*" "$UI_RESET"
}

say() { printf '%s\n' "$*"; }
detail() { printf '      %s\n' "$*"; }
ok() { printf '      %s%s%s\n' "$UI_GREEN" "$*" "$UI_RESET"; }
warn() { printf '%swarning:%s %s\n' "$UI_YELLOW" "$UI_RESET" "$*" >&2; }
error() { printf '%serror:%s %s\n' "$UI_RED" "$UI_RESET" "$*" >&2; }
die() {
  error "$*"
  exit 1
}
usage_error() {
  error "$*"
  printf 'Run ./dev help (or ./dev stack help) for usage.\n' >&2
  exit 2
}

# "75" -> "1m 15s"
format_duration() {
  local seconds=$1
  if ((seconds >= 60)); then
    printf '%dm %02ds' $((seconds / 60)) $((seconds % 60))
  else
    printf '%ds' "$seconds"
  fi
}

# Prints the last LINES lines of FILE written since byte OFFSET (0: the whole file), indented, so a
# failure shows what this run said rather than what earlier runs said.
show_log_tail() {
  local file=$1 lines=${2:-30} offset=${3:-0}
  if [[ ! -r $file ]]; then
    detail "(no log at $file)"
    return 0
  fi
  printf '      %s--- last lines of %s ---%s\n' "$UI_DIM" "$file" "$UI_RESET"
  tail -c +$((offset + 1)) -- "$file" | tail -n "$lines" | sed 's/^/      | /'
  printf '      %s---%s\n' "$UI_DIM" "$UI_RESET"
}
