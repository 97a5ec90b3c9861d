#!/usr/bin/env bash
# ci-matrix.sh - CI's compatibility matrix: the test tiers on each Node.js and SDK combination the
# README promises. Run by .ci/run after `npm ci` and the Pulumi provisioning; usable alone after
# `npm ci` (the e2e tier then finds the CLI as test/support/pulumi-cli.ts describes).
#
# Cells (all by default; SERVERLESS_GUARD_CI_CELLS="node22-locked node24-newest-sdk" picks some):
#   node20-locked      Node 20, the lockfile: the whole suite (`npm test`: build, unit, protocol,
#                      fuzz, e2e)
#   node22-locked      Node 22, the lockfile: build, unit, protocol, e2e
#   node24-locked      Node 24, the lockfile: build, unit, protocol, e2e
#   node24-newest-sdk  Node 24 and the newest @pulumi/pulumi the npm registry serves, installed over
#                      the lockfile in a temporary copy of the repository: build (type-checks the
#                      pack against the new SDK), unit, protocol, e2e (not the Cloud-path test: the
#                      published pack pins the lockfile's SDK)
# The fuzz tier (property tests of the policies' logic, about a minute) runs in the first cell only.
# Node 20 is the machine's `node` when its major is 20. Other versions come from the npm registry's
# `node` package (it ships the official binaries), cached outside the repository in
#   ${SERVERLESS_GUARD_CACHE:-$HOME/.cache/serverless-guard}/node/node-v<version>/
# Versions: SERVERLESS_GUARD_NODE20, _NODE22, _NODE24 (exact, e.g. 22.23.3); the defaults below
# are the newest of each line when they were last bumped (`npm view node versions`).
#
# Every cell runs even when an earlier one fails; each prints its result and time, the end prints
# the matrix, and the exit status is 1 when any cell failed, naming it. A cell is bounded by
# SERVERLESS_GUARD_CELL_TIMEOUT seconds (default 1800) and by SERVERLESS_GUARD_CI_DEADLINE (epoch
# seconds, set by .ci/run inside CI's limit): a cell that would start past it fails as not run, so
# CI names it rather than being cut off.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

node20="${SERVERLESS_GUARD_NODE20:-20.20.2}"
node22="${SERVERLESS_GUARD_NODE22:-22.23.3}"
node24="${SERVERLESS_GUARD_NODE24:-24.21.0}"
cells="${SERVERLESS_GUARD_CI_CELLS:-node20-locked node22-locked node24-locked node24-newest-sdk}"
cell_timeout="${SERVERLESS_GUARD_CELL_TIMEOUT:-1800}"
cache_root="${SERVERLESS_GUARD_CACHE:-${HOME:?HOME is not set}/.cache/serverless-guard}"

say() { printf '[ci] %s\n' "$*" >&2; }

# Prints a directory whose `node` is Node.js <version>: the machine's when it is that version,
# otherwise the registry's `node` package installed into the cache (once).
node_bin_dir() {
  local version="$1" dir="${cache_root}/node/node-v$1" tmp
  if [ "$(node --version 2>/dev/null)" = "v${version}" ]; then
    dirname "$(command -v node)"
    return
  fi
  if [ "$("${dir}/node_modules/.bin/node" --version 2>/dev/null)" != "v${version}" ]; then
    say "installing Node.js ${version} from the npm registry into ${dir}"
    tmp="${dir}.tmp.$$"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    # The package's preinstall script fetches the platform's binary package (node-<os>-<cpu>).
    printf '{ "private": true, "allowScripts": { "node@%s": true } }\n' "$version" > "${tmp}/package.json"
    (cd "$tmp" && npm install --no-audit --no-fund --no-save --loglevel=error "node@${version}" >&2) || return 1
    [ "$("${tmp}/node_modules/.bin/node" --version 2>/dev/null)" = "v${version}" ] || {
      say "the node@${version} package did not provide a working node binary"
      return 1
    }
    rm -rf "$dir"
    mv "$tmp" "$dir"
  fi
  printf '%s\n' "${dir}/node_modules/.bin"
}

# The installed @pulumi/pulumi version in the current directory.
sdk_version() { node -p 'require("@pulumi/pulumi/package.json").version'; }

# Runs the tests of one cell (this script with --cell <name>, under `timeout`).
run_cell() {
  local name="$1" version sdk newest
  case "$name" in
    node20-locked) version="$node20" ;;
    node22-locked) version="$node22" ;;
    node24-locked|node24-newest-sdk) version="$node24" ;;
    *) say "unknown cell ${name} (known: node20-locked node22-locked node24-locked node24-newest-sdk)"; return 2 ;;
  esac
  bin="$(node_bin_dir "$version")" || { say "${name}: could not obtain Node.js ${version}"; return 1; }
  # Everything the cell starts (npm, mocha, the language host's `node`) resolves this Node first.
  export PATH="${bin}:${PATH}"
  say "${name}: $(command -v node) $(node --version)"
  case "$name" in
    node20-locked)
      say "${name}: @pulumi/pulumi $(sdk_version) (lockfile); npm test"
      npm test
      ;;
    node22-locked|node24-locked)
      say "${name}: @pulumi/pulumi $(sdk_version) (lockfile); build, unit, protocol, e2e"
      npm run build
      node node_modules/mocha/bin/mocha.js --ignore 'bin/test/fuzz/**'
      ;;
    node24-newest-sdk)
      newest="$(npm view @pulumi/pulumi@latest version)"
      [ -n "$newest" ] || { say "${name}: the npm registry did not name a latest @pulumi/pulumi"; return 1; }
      copy="$(mktemp -d)"   # global: the EXIT trap runs after run_cell has returned
      trap 'rm -rf "$copy"' EXIT
      tar -C "$repo" --exclude=./node_modules --exclude=./bin --exclude=./.git -cf - . | tar -C "$copy" -xf -
      cd "$copy"
      say "${name}: npm install @pulumi/pulumi@${newest} over the lockfile in ${copy}"
      npm install --no-audit --no-fund "@pulumi/pulumi@${newest}"
      # npm skips install scripts no allowScripts entry approves: show any the new SDK brings.
      npm install-scripts ls
      sdk="$(sdk_version)"
      [ "$sdk" = "$newest" ] || { say "${name}: installed @pulumi/pulumi ${sdk}, expected ${newest}"; return 1; }
      say "${name}: copies of @pulumi/pulumi in node_modules: $(find node_modules -path '*/@pulumi/pulumi/package.json' \
        -exec node -p 'require(require("path").resolve(process.argv[1])).version' {} \; | sort | uniq -c | tr -s ' \n' ' ')"
      say "${name}: @pulumi/pulumi ${sdk} (newest); build, unit, protocol, e2e (the Cloud-path test in the lockfile cells only)"
      npm run build
      # What `pulumi policy publish` ships pins the lockfile's SDK (npm-shrinkwrap.json), so its end-to-end
      # test belongs to the lockfile cells; here the lockfile has been rewritten for the newest SDK.
      node node_modules/mocha/bin/mocha.js --ignore 'bin/test/fuzz/**' --ignore 'bin/test/e2e/cloud-path.test.js'
      ;;
  esac
}

if [ "${1:-}" = "--cell" ]; then
  run_cell "$2"
  exit
fi

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
names=() results=() times=() notes=() failed=()
for cell in $cells; do
  log="${logs}/${cell}.log"
  : > "$log"
  say "=================== cell ${cell} ==================="
  start="$(date +%s)"
  limit="$cell_timeout"
  if [ -n "${SERVERLESS_GUARD_CI_DEADLINE:-}" ] && [ $(( SERVERLESS_GUARD_CI_DEADLINE - start - 60 )) -lt "$limit" ]; then
    limit=$(( SERVERLESS_GUARD_CI_DEADLINE - start - 60 ))
  fi
  if [ "$limit" -le 0 ]; then
    status=-1
  else
    set +e
    timeout --kill-after=30 "$limit" bash "${repo}/scripts/ci-matrix.sh" --cell "$cell" 2>&1 | tee "$log"
    status="${PIPESTATUS[0]}"
    set -e
  fi
  secs=$(( $(date +%s) - start ))
  # mocha's totals and what the e2e tier said about the language host, for the matrix.
  totals="$(grep -E '^ +[0-9]+ (passing|failing|pending)' "$log" | sed 's/([^)]*)//; s/^ *//' | tr -s ' \n' ' ' | sed 's/ $//' || true)"
  host="$(grep -o -m1 'language host: [^;]*' "$log" | sed 's/^language host: //' || true)"
  if [ "$status" -eq 0 ]; then
    result="passed"
  elif [ "$status" -eq -1 ]; then
    result="FAILED (not run: CI's time is up)"
    failed+=("$cell")
  else
    result="FAILED (exit ${status})"
    if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then result="FAILED (out of time after ${limit}s)"; fi
    failed+=("$cell")
  fi
  names+=("$cell") results+=("$result") times+=("$(( secs / 60 ))m$(printf '%02d' $(( secs % 60 )))s")
  notes+=("${totals:-no test totals}${host:+; e2e language host: ${host}}")
  say "cell ${cell}: ${result} in ${times[-1]} (${notes[-1]})"
done

say "=================== matrix ==================="
for i in "${!names[@]}"; do
  printf '[ci] %-18s %-8s %8s  %s\n' "${names[$i]}" "${results[$i]}" "${times[$i]}" "${notes[$i]}" >&2
done
if [ "${#failed[@]}" -gt 0 ]; then
  say "CI FAILED in matrix cell(s): ${failed[*]}"
  exit 1
fi
say "all matrix cells passed"
