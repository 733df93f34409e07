#!/bin/sh
# As in the official nats image: arguments that start with "-" are options for nats-server.
set -eu
if [ "${1#-}" != "$1" ]; then
  set -- nats-server "$@"
fi
exec "$@"
