# shellcheck shell=bash
# `./dev dlq`: a stack's dead letters (tb_dead_letter) through `choreoctl dlq`, pointed at that
# stack's PostgreSQL and NATS. Sourced by ./dev.

dlq_usage() {
  cat <<'USAGE'
Usage: ./dev dlq [--dir DIR] list [--consumer C] [--all] [--json] [--limit N]
       ./dev dlq [--dir DIR] replay ID [--force]

DIR is the stack folder (default: .stack of the repository).
  list          the dead letters not yet replayed, newest first (--all: replayed ones too;
                --consumer: one durable's; --json: every field, payload included)
  replay ID     re-publish dead letter ID (the first column of list) once its cause is fixed;
                only the consumer that gave up acts on it, the others recognise its event id.
                A row already replayed needs --force.
USAGE
}

dlq_command() {
  local dir=$DEFAULT_STACK_DIR
  while (($# > 0)); do
    case $1 in
      --dir)
        [[ -n ${2:-} ]] || usage_error "--dir needs a stack folder"
        dir=$2
        shift 2 ;;
      --dir=*)
        dir=${1#--dir=}
        shift ;;
      *) break ;;
    esac
  done
  case ${1:-} in
    list | replay) ;;
    help | -h | --help)
      dlq_usage
      return 0 ;;
    '') usage_error "./dev dlq needs a command: list or replay (./dev dlq help)" ;;
    *) usage_error "unknown dlq command '$1' (list or replay; ./dev dlq help)" ;;
  esac

  use_stack "$dir"
  stack_load
  local choreoctl setting
  choreoctl=$(choreoctl_binary)
  [[ -x $choreoctl ]] || die "$choreoctl is missing: build first (./dev build)"
  # The stack's profile settings go along, so choreoctl judges INBOX_RETENTION as the stack's
  # services do.
  local -a settings=("DATABASE_URL=$(database_url)" "NATS_URL=$(nats_url)")
  while IFS= read -r setting; do
    [[ -n $setting ]] && settings+=("$setting")
  done < <(profile_env "$STACK_PROFILE")
  env "${settings[@]}" "$choreoctl" dlq "$@"
}
