#!/usr/bin/env bash
# scripts/actionlint.sh -- lint the GitHub Actions workflows (.github/workflows/*.yml) with
# actionlint, and the shell of the local composite actions (.github/actions/*/action.yml).
#
# actionlint is a Go module: it is built once with `go install` from the Go module proxy at the
# pinned version into .tools/bin (Go caches in .tools/go, shared with scripts/toolchain.sh) and
# reused while `actionlint -version` reports that version.
#
# When `shellcheck` is on PATH (Debian/Ubuntu: apt-get install -y shellcheck; GitHub's runners have
# it), actionlint runs it on every `run:` script, and this script runs it on the `run:` steps of the
# composite actions too (actionlint itself does not lint action.yml files). Without it, a note says
# so and those checks are skipped.
#
# Usage: scripts/actionlint.sh [--help] [ACTIONLINT_ARGS...]   (extra arguments go to actionlint)
# Exit:  0 clean, 1 findings, 2 actionlint could not be installed or run.
# Env:   RAILWAY_TOOLS_DIR (cache dir, default .tools), RAILWAY_GOMODCACHE / RAILWAY_GOCACHE (Go
#        caches, default .tools/go/{mod,cache}), SHELLCHECK (path of shellcheck; empty disables it).
set -Eeuo pipefail

ACTIONLINT_VERSION="1.7.12"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
TOOLS="${RAILWAY_TOOLS_DIR:-$ROOT/.tools}"
BIN_DIR="$TOOLS/bin"
ACTIONLINT="$BIN_DIR/actionlint"

case "${1:-}" in
  -h | --help)
    sed -n '2,/^set -Eeuo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    exit 0
    ;;
esac

die() {
  printf 'actionlint.sh: %s\n' "$*" >&2
  exit 2
}

installed_version() { "$ACTIONLINT" -version 2>/dev/null | head -n1 | sed 's/^v//'; }

# ------------------------------------------------------------------------------------------------
# install (cached)
# ------------------------------------------------------------------------------------------------
if [ ! -x "$ACTIONLINT" ] || [ "$(installed_version)" != "$ACTIONLINT_VERSION" ]; then
  GO="$(command -v go || true)"
  if [ -z "$GO" ] && [ -x /usr/local/go/bin/go ]; then GO=/usr/local/go/bin/go; fi
  [ -n "$GO" ] || die "Go is needed to install actionlint v$ACTIONLINT_VERSION (go >= 1.25) and was not found"
  go_version="$("$GO" env GOVERSION)"
  case "$go_version" in
    go1.2[5-9]* | go1.[3-9]*) ;;
    *) die "$go_version is too old to build actionlint v$ACTIONLINT_VERSION: need go >= 1.25" ;;
  esac
  mkdir -p "$BIN_DIR"
  log="$(mktemp)"
  trap 'rm -f "$log"' EXIT
  printf 'actionlint.sh: installing actionlint v%s with %s (go install, once)\n' "$ACTIONLINT_VERSION" "$go_version" >&2
  if ! GOBIN="$BIN_DIR" GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-modcacherw" \
    GOMODCACHE="${RAILWAY_GOMODCACHE:-$TOOLS/go/mod}" GOCACHE="${RAILWAY_GOCACHE:-$TOOLS/go/cache}" \
    "$GO" install -trimpath -ldflags "-s -w" "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION" \
    >"$log" 2>&1; then
    cat "$log" >&2
    die "go install github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION failed"
  fi
  [ "$(installed_version)" = "$ACTIONLINT_VERSION" ] ||
    die "$ACTIONLINT reports version '$(installed_version)', wanted $ACTIONLINT_VERSION"
fi

# ------------------------------------------------------------------------------------------------
# lint
# ------------------------------------------------------------------------------------------------
cd "$ROOT"
shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
actions=(.github/actions/*/action.yml .github/actions/*/action.yaml)
if [ "${#workflows[@]}" = 0 ] && [ "${#actions[@]}" = 0 ]; then
  echo "actionlint.sh: no workflows in .github/workflows; nothing to lint"
  exit 0
fi

if [ -z "${SHELLCHECK+x}" ]; then SHELLCHECK="$(command -v shellcheck || true)"; fi
if [ -z "$SHELLCHECK" ]; then
  echo "actionlint.sh: note: no shellcheck (not on PATH, or SHELLCHECK is empty): run: scripts are not checked (apt-get install -y shellcheck)" >&2
fi

status=0
if [ "${#workflows[@]}" -gt 0 ]; then
  color=()
  if [ -t 1 ]; then color=(-color); fi
  # -pyflakes= : no Python steps here. actionlint exits 1 on findings, >1 on usage/fatal errors.
  "$ACTIONLINT" "${color[@]}" -shellcheck="$SHELLCHECK" -pyflakes= "$@" "${workflows[@]}" || status=$?
  if [ "$status" -gt 1 ]; then die "actionlint failed (exit $status)"; fi
fi

# Composite actions: actionlint checks their inputs where a workflow uses them, but not their own
# steps. Check that each `run:` step names a shell, and shellcheck the bash/sh scripts with `${{ }}`
# expressions replaced by same-length placeholders (as actionlint does for workflows).
if [ "${#actions[@]}" -gt 0 ]; then
  if ! node -e 'require.resolve("yaml")' >/dev/null 2>&1; then
    echo "actionlint.sh: note: node or the npm package 'yaml' is missing (npm ci); composite actions not checked" >&2
  else
    SHELLCHECK="$SHELLCHECK" node - "${actions[@]}" <<'EOF' || status=1
const fs = require("fs");
const { spawnSync } = require("child_process");
const YAML = require("yaml");
const shellcheck = process.env.SHELLCHECK;
let problems = 0;
const report = (file, line, col, message) => {
  problems++;
  console.log(`${file}:${line}:${col}: ${message}`);
};
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, "utf8");
  const lineAt = (offset) => text.slice(0, offset).split("\n").length;
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) {
    for (const e of doc.errors) report(file, e.linePos?.[0].line ?? 1, e.linePos?.[0].col ?? 1, `${e.message} [syntax]`);
    continue;
  }
  const action = doc.toJS() ?? {};
  for (const key of ["name", "description", "runs"]) {
    if (action[key] === undefined) report(file, 1, 1, `missing top-level key "${key}" [action]`);
  }
  if (action.runs?.using !== "composite") continue;
  const steps = doc.getIn(["runs", "steps"]);
  for (const [i, step] of (steps?.items ?? []).entries()) {
    const run = step.get("run", true);
    if (run === undefined) continue;
    const runLine = lineAt(run.range[0]);
    const shell = step.get("shell");
    if (shell === undefined) {
      report(file, runLine, 1, `step ${i + 1}: a composite action's "run" step needs "shell" [action]`);
      continue;
    }
    if (!shellcheck || !/^(bash|sh)(\s|$)/.test(String(shell))) continue;
    // A block scalar's text starts on the line after `run: |`.
    const first = run.type === "BLOCK_LITERAL" || run.type === "BLOCK_FOLDED" ? runLine + 1 : runLine;
    const script = String(run.value).replace(/\$\{\{[\s\S]*?\}\}/g, (m) => "_".repeat(m.length));
    const dialect = String(shell).split(/\s/)[0];
    const res = spawnSync(shellcheck, ["--shell", dialect, "--format", "json1", "-"], { input: script, encoding: "utf8" });
    if (res.error) throw res.error;
    // Columns too: add the block scalar's indentation, or where an inline scalar starts.
    const indent =
      first === runLine
        ? run.range[0] - text.lastIndexOf("\n", run.range[0] - 1) - 1
        : /^ */.exec(text.split("\n")[first - 1])[0].length;
    for (const c of JSON.parse(res.stdout || "{}").comments ?? []) {
      report(file, first + c.line - 1, indent + c.column, `shellcheck reported issue in this script: SC${c.code}:${c.level}:${c.line}:${c.column}: ${c.message} [shellcheck]`);
    }
  }
}
process.exit(problems > 0 ? 1 : 0);
EOF
  fi
fi

exit "$status"
