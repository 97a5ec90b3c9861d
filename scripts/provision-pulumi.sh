#!/usr/bin/env bash
# provision-pulumi.sh - provide a pinned Pulumi CLI and its Node.js language host.
#
# Builds `pulumi` and `pulumi-language-nodejs` from source with the Go toolchain,
# downloading only Go modules (through GOPROXY). The Go module proxy refuses the
# language host's module, so its upstream source for the release is taken from
# <repo>/../shared/third_party/pulumi-language-nodejs-<version>/ (see 3b below).
# Nothing is written inside the repository: binaries, the generated modules and
# the Go caches live in
#   ${SERVERLESS_GUARD_CACHE:-$HOME/.cache/serverless-guard}/pulumi-<version>/
# A cached build is reused in seconds.
#
# Usage: scripts/provision-pulumi.sh [--prefer-path] [--force-build] [--allow-analyzer-shim]
#                                    [--version vX.Y.Z]
#   --prefer-path   use `pulumi` + `pulumi-language-nodejs` from PATH when both exist
#                   (and the CLI is >= v3.229.0); otherwise build the pinned one.
#   --force-build   rebuild the pinned binaries even if a cached build exists.
#   --allow-analyzer-shim
#                   if the language host can't be built (no source, failed build), install a
#                   `pulumi-analyzer-policy-nodejs` shim instead (the CLI's legacy path for
#                   Node policy packs when no nodejs language plugin exists; it runs
#                   @pulumi/pulumi/cmd/run-policy-pack from the pack's node_modules) and
#                   write the reason to pulumi-<version>/langhost-fallback.txt.
#                   Also: SERVERLESS_GUARD_ALLOW_ANALYZER_SHIM=1.
#   --version V     Pulumi release to build (default: $SERVERLESS_GUARD_PULUMI_VERSION
#                   or v3.248.0, matching the @pulumi/pulumi npm pin).
#
# Environment:
#   SERVERLESS_GUARD_CACHE            cache root (default: $HOME/.cache/serverless-guard)
#   SERVERLESS_GUARD_PULUMI_VERSION   Pulumi release (default: v3.248.0)
#   SERVERLESS_GUARD_LANGHOST_VERSION Go version of the language-host module to try on the proxy
#                                     (default: resolved from the release commit)
#   SERVERLESS_GUARD_LANGHOST_SOURCE  directory with the language host's source to build instead
#   SERVERLESS_GUARD_GO_SHARED_CACHE  set to 1 to use Go's default module/build caches
#
# Progress goes to stderr; the LAST line on stdout is the bin directory to put on PATH.
set -euo pipefail

readonly MIN_MINOR=229
readonly PKG_MOD="github.com/pulumi/pulumi/pkg/v3"
readonly SDK_MOD="github.com/pulumi/pulumi/sdk/v3"
readonly LANGHOST_MOD="github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"
readonly CLI_PKG="${PKG_MOD}/cmd/pulumi"
readonly VERSION_VAR="${SDK_MOD}/go/common/version.Version"

log() { printf '[provision-pulumi] %s\n' "$*" >&2; }
die() { printf '[provision-pulumi] ERROR: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '2,36p' "$0" | sed 's/^# \{0,1\}//' >&2; }

prefer_path=0
force_build=0
allow_shim="${SERVERLESS_GUARD_ALLOW_ANALYZER_SHIM:-0}"
version="${SERVERLESS_GUARD_PULUMI_VERSION:-v3.248.0}"
while [ "$#" -gt 0 ]; do
  case "$1" in
    --prefer-path) prefer_path=1 ;;
    --force-build) force_build=1 ;;
    --allow-analyzer-shim) allow_shim=1 ;;
    --version) [ "$#" -ge 2 ] || die "--version needs a value"; version="$2"; shift ;;
    --version=*) version="${1#--version=}" ;;
    -h|--help) usage; exit 0 ;;
    *) usage; die "unknown argument: $1" ;;
  esac
  shift
done

case "$version" in v*) ;; *) version="v${version}" ;; esac
[[ "$version" =~ ^v3\.([0-9]+)\.([0-9]+)$ ]] || die "version must look like v3.N.P, got '${version}'"
[ "${BASH_REMATCH[1]}" -ge "$MIN_MINOR" ] \
  || die "version ${version} is too old: need v3.${MIN_MINOR}.0 or newer (pulumi policy analyze, RunPlugin)"

cache_root="${SERVERLESS_GUARD_CACHE:-${HOME:?HOME is not set}/.cache/serverless-guard}"
prefix="${cache_root}/pulumi-${version}"
bin_dir="${prefix}/bin"

# Prints "vX.Y.Z" as reported by `<pulumi> version`, or nothing.
pulumi_version_of() {
  PULUMI_SKIP_UPDATE_CHECK=true "$1" version 2>/dev/null | tr -d '[:space:]' || true
}

# True when `<pulumi> version` reports a v3 release >= v3.MIN_MINOR.
recent_enough() {
  local v
  v="$(pulumi_version_of "$1")"
  [[ "$v" =~ ^v?3\.([0-9]+)\. ]] && [ "${BASH_REMATCH[1]}" -ge "$MIN_MINOR" ]
}

# 1. A pulumi already on PATH, when asked for.
if [ "$prefer_path" -eq 1 ] && [ "$force_build" -eq 0 ]; then
  path_pulumi="$(command -v pulumi || true)"
  path_langhost="$(command -v pulumi-language-nodejs || true)"
  if [ -z "$path_langhost" ] && [ "$allow_shim" = 1 ]; then
    path_langhost="$(command -v pulumi-analyzer-policy-nodejs || true)"
  fi
  if [ -n "$path_pulumi" ] && [ -n "$path_langhost" ] && recent_enough "$path_pulumi"; then
    log "using pulumi from PATH: ${path_pulumi} ($(pulumi_version_of "$path_pulumi"))"
    dirname "$path_pulumi"
    exit 0
  fi
  log "no usable pulumi (>= v3.${MIN_MINOR}.0) with pulumi-language-nodejs on PATH; using the pinned ${version}"
fi

readonly SHIM_NAME="pulumi-analyzer-policy-nodejs"
# Why the last build fell back to the shim; read by the test tiers to say so.
readonly FALLBACK_NOTE="${prefix}/langhost-fallback.txt"

cached_cli() {
  [ -x "${bin_dir}/pulumi" ] && [ "$(pulumi_version_of "${bin_dir}/pulumi")" = "$version" ]
}

# 2. The cached pinned build. A cached shim is only reused when the language host can't be
# built on this machine; otherwise the build below retries the host and keeps the CLI.
if [ "$force_build" -eq 0 ] && cached_cli; then
  if [ -x "${bin_dir}/pulumi-language-nodejs" ]; then
    log "cached pulumi ${version} with pulumi-language-nodejs found"
    printf '%s\n' "$bin_dir"
    exit 0
  fi
  if [ "$allow_shim" = 1 ] && [ -x "${bin_dir}/${SHIM_NAME}" ] && ! command -v go >/dev/null 2>&1; then
    log "cached pulumi ${version} found, with the ${SHIM_NAME} shim instead of pulumi-language-nodejs: $(cat "$FALLBACK_NOTE" 2>/dev/null || echo 'no language host was built')"
    printf '%s\n' "$bin_dir"
    exit 0
  fi
fi

# 3. Build from source.
command -v go >/dev/null 2>&1 || die "the Go toolchain ('go') is required to build pulumi ${version}"

export GOFLAGS="-mod=mod -modcacherw"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
export CGO_ENABLED=0
export GOWORK=off
if [ "${SERVERLESS_GUARD_GO_SHARED_CACHE:-0}" != 1 ]; then
  export GOMODCACHE="${cache_root}/go/mod"
  export GOCACHE="${cache_root}/go/build"
fi

work_dir="${prefix}/src"
mkdir -p "$work_dir" "$bin_dir"
log "building pulumi ${version} with $(go version | cut -d' ' -f3) (GOMODCACHE=$(go env GOMODCACHE))"
start_s="$(date +%s)"

# Downloads module@ver and prints the given field of `go mod download -json`.
mod_field() {
  local json
  json="$(cd "$work_dir" && go mod download -json "$1" 2>&1)" \
    || die "could not download $1 from the Go module proxy ($(go env GOPROXY)): $(printf '%s' "$json" | tr -s '\n' ' ')"
  printf '%s' "$json" | sed -n "s/^[[:space:]]*\"$2\": \"\\(.*\\)\",\{0,1\}\$/\\1/p" | head -n1
}

# The wrapper module needs a go.mod before `go mod download` may run in it.
wrapper_go="$(go env GOVERSION | sed 's/^go//; s/^\([0-9]*\.[0-9]*\).*/\1/')"
printf 'module serverless-guard.local/pulumi-build\n\ngo %s\n' "$wrapper_go" > "${work_dir}/go.mod"
: > "${work_dir}/go.sum"

pkg_dir="$(mod_field "${PKG_MOD}@${version}" Dir)"
sdk_dir="$(mod_field "${SDK_MOD}@${version}" Dir)"
if [ ! -f "${pkg_dir}/go.mod" ] || [ ! -f "${sdk_dir}/go.mod" ]; then
  die "module cache lacks go.mod for ${PKG_MOD}/${SDK_MOD} ${version}"
fi

# Writes the wrapper go.mod requiring the "module version" pairs given as arguments.
# It carries no replace lines: Go ignores replace directives in a dependency's go.mod,
# so `go install github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@<version>` resolves the CLI
# without them, and so does this wrapper.
write_wrapper() {
  {
    printf 'module serverless-guard.local/pulumi-build\n\ngo %s\n\nrequire (\n' "$wrapper_go"
    while [ "$#" -ge 2 ]; do printf '\t%s %s\n' "$1" "$2"; shift 2; done
    printf ')\n'
  } > "${work_dir}/go.mod.new"
  mv "${work_dir}/go.mod.new" "${work_dir}/go.mod"
}

# go build <package> into bin/<name>, stamping the release version.
build_bin() {
  log "compiling $2 (${1})"
  (cd "$work_dir" && go build -trimpath -ldflags "-s -w -X ${VERSION_VAR}=${version}" -o "${bin_dir}/$2.tmp" "$1" >&2) \
    || die "go build of $1 failed (wrapper module: ${work_dir}/go.mod)"
  mv -f "${bin_dir}/$2.tmp" "${bin_dir}/$2"
}

# 3a. The CLI (kept when a previous run built it but stopped at the language host).
if [ "$force_build" -eq 0 ] && cached_cli; then
  log "pulumi ${version} already built"
else
  write_wrapper "$PKG_MOD" "$version" "$SDK_MOD" "$version"
  sed 's/^/    /' "${work_dir}/go.mod" >&2
  build_bin "$CLI_PKG" pulumi
  got="$(pulumi_version_of "${bin_dir}/pulumi")"
  [ "$got" = "$version" ] || die "built pulumi reports version '${got}', expected ${version}"
fi

# 3b. The Node.js language host. Its module has no tags and the Go module proxy has refused it
# at every version so far, so the source comes from, first match wins:
#   SERVERLESS_GUARD_LANGHOST_SOURCE (a directory with the host's .go files and go.mod);
#   the proxy, at SERVERLESS_GUARD_LANGHOST_VERSION or the pseudo-version of the release commit;
#   the upstream files of the release in <repo>/../shared/third_party/pulumi-language-nodejs-<version>/.
# It is built as the main module of its own go.mod, as upstream builds it: the release's go
# directive and its replace directives that aren't local paths (local ones point at the monorepo's
# pkg and sdk, required here at the release version).
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared_src="${repo_root}/../shared/third_party/pulumi-language-nodejs-${version}"
[ -d "$shared_src" ] && shared_src="$(cd "$shared_src" && pwd)"

# Sets langhost_src, or reason when there is no source.
find_langhost_source() {
  if [ -n "${SERVERLESS_GUARD_LANGHOST_SOURCE:-}" ]; then
    langhost_src="$SERVERLESS_GUARD_LANGHOST_SOURCE"
    return
  fi
  local lh_version="${SERVERLESS_GUARD_LANGHOST_VERSION:-}" release_hash refusal=""
  if [ -z "$lh_version" ]; then
    release_hash="$(mod_field "${PKG_MOD}@${version}" Hash)"
    if [ -z "$release_hash" ]; then
      refusal="no release commit for ${PKG_MOD}@${version} (no Origin.Hash)"
    elif ! lh_version="$(cd "$work_dir" && go list -m -f '{{.Version}}' "${LANGHOST_MOD}@${release_hash}" 2>&1)"; then
      refusal="the Go module proxy ($(go env GOPROXY)) does not serve ${LANGHOST_MOD}@${release_hash}: $(printf '%s' "$lh_version" | tr -s '\n\t' '  ' | sed 's/^.*\.info: //' | cut -c1-200)"
      lh_version=""
    fi
  fi
  if [ -n "$lh_version" ]; then
    log "language host from the Go module proxy: ${LANGHOST_MOD}@${lh_version}"
    langhost_src="$(mod_field "${LANGHOST_MOD}@${lh_version}" Dir)"
  elif [ -d "$shared_src" ]; then
    log "${refusal}"
    log "building the language host from ${shared_src}"
    langhost_src="$shared_src"
  else
    reason="${refusal}; and there is no ${shared_src}"
  fi
}

# Builds bin/pulumi-language-nodejs from $langhost_src; sets reason when it fails.
build_langhost() {
  local dir="${prefix}/langhost" upstream go_line f
  upstream="${langhost_src}/go.mod.upstream"
  [ -f "$upstream" ] || upstream="${langhost_src}/go.mod"
  [ -f "$upstream" ] || { reason="no go.mod in ${langhost_src}"; return; }
  go_line="$(grep -m1 '^go ' "$upstream" || printf 'go %s' "$wrapper_go")"
  rm -rf "$dir"
  mkdir -p "$dir"
  for f in "$langhost_src"/*.go; do
    case "$f" in *_test.go) ;; *) cp "$f" "$dir/" ;; esac
  done
  {
    printf 'module %s\n\n%s\n\nrequire (\n\t%s %s\n\t%s %s\n)\n\n' "$LANGHOST_MOD" "$go_line" "$PKG_MOD" "$version" "$SDK_MOD" "$version"
    replaces_of "$upstream" | awk -F'=>' '{ t = $2; gsub(/^[ \t]+/, "", t) } t !~ /^(\.\.?\/|\/)/ { print "replace " $0 }'
  } > "${dir}/go.mod"
  sed 's/^/    /' "${dir}/go.mod" >&2
  log "compiling pulumi-language-nodejs (go mod tidy, then go build)"
  if ! (cd "$dir" && go mod tidy >&2 \
      && go build -trimpath -ldflags "-s -w -X ${VERSION_VAR}=${version}" -o "${bin_dir}/pulumi-language-nodejs.tmp" . >&2); then
    reason="go build of pulumi-language-nodejs in ${dir} failed"
    return
  fi
  mv -f "${bin_dir}/pulumi-language-nodejs.tmp" "${bin_dir}/pulumi-language-nodejs"
}

# `replace` lines (single-line form and replace blocks) of a go.mod, as "old => new" lines.
replaces_of() {
  awk '
    /^replace[[:space:]]*\($/ { inblock = 1; next }
    inblock && /^\)/          { inblock = 0; next }
    inblock                   { sub(/\/\/.*/, ""); if ($0 ~ /=>/) print; next }
    /^replace[[:space:]]/     { sub(/^replace[[:space:]]+/, ""); sub(/\/\/.*/, ""); print }
  ' "$1" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//'
}

langhost_src=""
reason=""
find_langhost_source
[ -n "$reason" ] || build_langhost
if [ -z "$reason" ]; then
  rm -f "${bin_dir}/${SHIM_NAME}" "$FALLBACK_NOTE"   # the real host takes precedence
  log "pulumi ${version} with pulumi-language-nodejs ready in $(( $(date +%s) - start_s ))s"
  printf '%s\n' "$bin_dir"
  exit 0
fi
[ "$allow_shim" = 1 ] || die "pulumi ${version} was built (${bin_dir}/pulumi) but not its Node.js language host: ${reason}.
    Pass --allow-analyzer-shim to use the CLI's legacy pulumi-analyzer-policy-nodejs path instead."
log "no pulumi-language-nodejs: ${reason}"
log "installing the ${SHIM_NAME} shim instead (--allow-analyzer-shim)"
cat > "${bin_dir}/${SHIM_NAME}.tmp" <<'SHIM'
#!/bin/sh
# Legacy Pulumi analyzer entry point for Node.js policy packs (written by
# provision-pulumi.sh). pulumi runs it in the policy pack directory with
# "<engine-address> ." and it starts @pulumi/pulumi's policy-pack runner.
runner="$(node -p 'require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [process.cwd()] })')" || {
  echo "pulumi-analyzer-policy-nodejs: @pulumi/pulumi is not installed for the policy pack in $(pwd); run npm install" >&2
  exit 1
}
exec node "$runner" "$@"
SHIM
chmod +x "${bin_dir}/${SHIM_NAME}.tmp"
mv -f "${bin_dir}/${SHIM_NAME}.tmp" "${bin_dir}/${SHIM_NAME}"
printf '%s\n' "$reason" > "$FALLBACK_NOTE"
log "pulumi ${version} ready (analyzer shim, no language host) in $(( $(date +%s) - start_s ))s"
printf '%s\n' "$bin_dir"
