#!/usr/bin/env bash
# scripts/lint.sh -- every static check, each one run even when an earlier one failed; exits
# non-zero when any failed. .ci/run calls it before the tests.
#
#   typecheck   tsc --noEmit (root tsconfig.json; and policies/tsconfig.json when policies/ has
#               its node_modules)
#   eslint      eslint . (eslint.config.js)
#   prettier    prettier --check . (.prettierrc.json, .prettierignore); fix with `npm run format`
#   actionlint  scripts/actionlint.sh (GitHub workflows + composite actions, with shellcheck)
#   shell       bash -n and shellcheck (when installed) on scripts/*.sh, .ci/run and the
#               dynamic-provider host's launcher (infra/provider-host)
#
# Usage: scripts/lint.sh [--help] [CHECK...]   e.g. scripts/lint.sh eslint prettier
# Uses the repo's toolchain (scripts/with-toolchain.sh: Node >= 22, node_modules).
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
ALL=(typecheck eslint prettier actionlint shell)

case "${1:-}" in
  -h | --help)
    sed -n '2,/^set -Eeuo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    exit 0
    ;;
esac
checks=("$@")
if [ "${#checks[@]}" = 0 ]; then checks=("${ALL[@]}"); fi
for c in "${checks[@]}"; do
  case " ${ALL[*]} " in
    *" $c "*) ;;
    *)
      echo "lint.sh: unknown check '$c' (one of: ${ALL[*]})" >&2
      exit 2
      ;;
  esac
done

# Node, node_modules/.bin and the toolchain's environment (builds the toolchain when it is stale).
if [ -z "${RAILWAY_TOOLCHAIN_ROOT:-}" ]; then
  exec bash "$ROOT/scripts/with-toolchain.sh" bash "$ROOT/scripts/lint.sh" "$@"
fi

now_ms() { date +%s%3N; }
failed=()
run_check() {
  local name="$1" t0 rc=0
  shift
  t0="$(now_ms)"
  printf '==> %s\n' "$name"
  "$@" || rc=$?
  if [ "$rc" = 0 ]; then
    printf '==> %s: ok (%ss)\n' "$name" "$(awk -v ms="$(($(now_ms) - t0))" 'BEGIN { printf "%.1f", ms / 1000 }')"
  else
    printf '==> %s: FAILED (exit %s)\n' "$name" "$rc"
    failed+=("$name")
  fi
}

check_typecheck() {
  local rc=0
  tsc --noEmit -p tsconfig.json || rc=1
  if [ -f policies/tsconfig.json ] && [ -d policies/node_modules ]; then
    (cd policies && node_modules/.bin/tsc --noEmit -p tsconfig.json) || rc=1
  fi
  return "$rc"
}

check_eslint() { eslint .; }

check_prettier() { prettier --check --log-level warn .; }

check_actionlint() { bash scripts/actionlint.sh; }

check_shell() {
  local rc=0 f files=()
  shopt -s nullglob
  files=(scripts/*.sh .ci/run infra/provider-host/pulumi-resource-pulumi-nodejs)
  shopt -u nullglob
  for f in "${files[@]}"; do
    [ -f "$f" ] || continue
    bash -n "$f" || rc=1
  done
  if command -v shellcheck >/dev/null; then
    # -x: follow `source`d files; -P: relative to the script's own directory.
    shellcheck -x -P SCRIPTDIR "${files[@]}" || rc=1
  else
    echo "lint.sh: note: shellcheck not found; only bash -n ran (apt-get install -y shellcheck)" >&2
  fi
  return "$rc"
}

for c in "${checks[@]}"; do
  run_check "$c" "check_$c"
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "lint.sh: failed: ${failed[*]}" >&2
  exit 1
fi
echo "lint.sh: all checks passed (${checks[*]})"
