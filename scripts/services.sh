#!/usr/bin/env bash
# Makes sure redis-server and nats-server exist: the data-service tests run the exact Redis and
# NATS start commands the components ship. Installs them from Debian's packages when missing
# (root, as on CI and the dev machines); elsewhere prints what to install.
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server redis-tools)
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || missing+=(nats-server)
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing ${missing[*]} (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "services.sh: missing ${missing[*]}; install them (e.g. apt-get install ${missing[*]})" >&2
  [ "${CI:-}" = true ] && exit 1
fi
