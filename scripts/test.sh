#!/usr/bin/env bash
# npm test — every test layer (unit, program under mocks, emulator, provider, contract, policies,
# end to end with the real Pulumi CLI), after bringing the toolchain up to date. Under CI=true a
# missing tool fails its tests instead of skipping them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
bash scripts/toolchain.sh --quiet >&2
# The Redis and NATS binaries the data-service tests run (installed when missing).
bash scripts/services.sh >&2
# shellcheck source=/dev/null
. .tools/env.sh
# One worker: the end-to-end suites start Pulumi processes that already use both cores.
# No --forceExit: every suite closes what it opens (servers, child processes), so jest exits on
# its own; a suite that leaks a handle shows up as "Jest did not exit" (find it with
# --detectOpenHandles) instead of being hidden.
exec jest --runInBand "$@"
