#!/usr/bin/env bash
# npm start — brings up a stack (default: dev) with the policy pack, then prints its URLs and the
# policy summary. With no RAILWAY_API_TOKEN it runs against the local Railway API emulator, whose
# state is kept in .pulumi-state/emulator-state.json so that a rerun converges (a no-op).
#
#   npm start                 # dev, against the emulator unless RAILWAY_API_TOKEN is set
#   npm start -- preview      # another stack
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
STACK="${1:-dev}"
cd "$ROOT"

# Toolchain (Node 24, Pulumi CLI and plugins, npm dependencies); seconds when warm.
bash scripts/toolchain.sh --quiet >&2
# shellcheck source=/dev/null
. .tools/env.sh

# The stack file first, without Pulumi (a second): invalid YAML or config, or a config too big for
# Pulumi to pass to the program (it would fail with "argument list too long" or hang), stop here.
node -r ts-node/register/transpile-only scripts/config-check.ts "$STACK"

EMULATOR_PID=""
# A local demo leaves the checkout as it was: Pulumi writes the passphrase salt into the stack file
# (reformatting it), but keeps the salt in the local state too, so the file's bytes are restored.
STACK_FILE_COPY="$(mktemp)"
cp "Pulumi.$STACK.yaml" "$STACK_FILE_COPY" 2>/dev/null || true
cleanup() {
  if [ -n "$EMULATOR_PID" ]; then
    kill "$EMULATOR_PID" 2>/dev/null || true
    [ ! -s "$STACK_FILE_COPY" ] || cp "$STACK_FILE_COPY" "Pulumi.$STACK.yaml"
  fi
  rm -f "$STACK_FILE_COPY"
}
trap cleanup EXIT

if [ -z "${RAILWAY_API_TOKEN:-}" ] && [ -z "${RAILWAY_TOKEN:-}" ]; then
  mkdir -p .pulumi-state
  STATE_FILE=.pulumi-state/emulator-state.json
  # A stable token per checkout, kept beside the local state (git-ignored).
  [ -f .pulumi-state/emulator-token ] || echo "emu_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" > .pulumi-state/emulator-token
  EMULATOR_LOG=$(mktemp)
  RAILWAY_EMULATOR_TOKEN="$(cat .pulumi-state/emulator-token)" \
    node -r ts-node/register/transpile-only emulator/main.ts --state "$STATE_FILE" >"$EMULATOR_LOG" 2>&1 &
  EMULATOR_PID=$!
  for _ in $(seq 1 100); do
    grep -q "listening on" "$EMULATOR_LOG" && break
    kill -0 "$EMULATOR_PID" 2>/dev/null || { cat "$EMULATOR_LOG" >&2; exit 1; }
    sleep 0.1
  done
  URL=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$EMULATOR_LOG" | head -n 1)
  [ -n "$URL" ] || { echo "up.sh: the emulator did not start:" >&2; cat "$EMULATOR_LOG" >&2; exit 1; }
  export RAILWAY_GRAPHQL_ENDPOINT="$URL"
  RAILWAY_API_TOKEN="$(cat .pulumi-state/emulator-token)"
  export RAILWAY_API_TOKEN
  # The emulator's generated domains are not on the internet; its stand-in answers for them.
  export RAILWAY_STACKS_GATE_URL_TEMPLATE="${URL%/graphql/v2}/_domains/{domain}"
  echo "==> No RAILWAY_API_TOKEN: using the local Railway API emulator at $URL"
else
  echo "==> Using Railway at ${RAILWAY_GRAPHQL_ENDPOINT:-https://backboard.railway.com/graphql/v2}"
fi

pulumi stack select "$STACK" --create --secrets-provider passphrase --non-interactive
pulumi up -s "$STACK" --yes --non-interactive \
  --policy-pack policies --policy-pack-config policies/config/stacks.json

echo
echo "==> Stack $STACK is up. Service URLs:"
pulumi stack output serviceUrls -s "$STACK" --json
echo "==> Health URLs:"
pulumi stack output healthUrls -s "$STACK" --json
echo
echo "==> Policy summary ($STACK):"
node -r ts-node/register/transpile-only scripts/policy-check.ts "$STACK"
