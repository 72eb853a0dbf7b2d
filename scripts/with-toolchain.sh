#!/usr/bin/env bash
# scripts/with-toolchain.sh CMD [ARGS...] -- run CMD with the offline Pulumi toolchain on PATH.
#
# Warm path (< 0.1 s): .tools/toolchain.stamp matches the current inputs (package.json, lockfiles,
# scripts/toolchain.sh, vendored Go sources) -> source .tools/env.sh and exec CMD.
# Otherwise runs scripts/toolchain.sh --quiet first (its progress goes to stderr, so CMD's stdout
# stays clean), then sources env.sh and execs CMD.
set -euo pipefail

if [ "$#" = 0 ]; then
  echo "usage: scripts/with-toolchain.sh CMD [ARGS...]" >&2
  exit 2
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
TOOLS="${RAILWAY_TOOLS_DIR:-$ROOT/.tools}"

current() {
  [ -f "$TOOLS/env.sh" ] && [ -f "$TOOLS/toolchain.stamp" ] && [ -d "$ROOT/node_modules" ] || return 1
  [ "$(bash "$ROOT/scripts/toolchain.sh" --fingerprint)" = "$(cat "$TOOLS/toolchain.stamp")" ]
}

if ! current; then
  bash "$ROOT/scripts/toolchain.sh" --quiet >&2 || {
    echo "with-toolchain.sh: scripts/toolchain.sh failed; not running: $*" >&2
    exit 1
  }
fi

# shellcheck source=/dev/null
. "$TOOLS/env.sh"
exec "$@"
