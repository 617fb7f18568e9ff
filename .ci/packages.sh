#!/usr/bin/env bash
# CI for the packages that install mcplint without a Rust toolchain: builds the
# wheel (maturin, bindings = "bin") and installs it into a fresh virtual
# environment, then packs the npm launcher and this platform's binary package
# and installs both offline; each installed `mcplint` must report the crate's
# version and find the fixture's secrets. Publishing is the release workflow's.
#
# The wheel is built with the dev profile, whose artefacts `cargo test` has
# already built (the release profile's fat LTO would take minutes); `--strip`
# only relinks the binary without its debug info.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MATURIN_VERSION=1.16.0
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
work=target/ci-packages
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
fixture=fixtures/MCL801-hardcoded-secret

# The installed command must run the scan and report what the repo's own
# binary reports (exit 1: the fixture holds secrets).
smoke() {
    local name=$1
    shift
    local got
    got=$("$@" --version)
    [ "$got" = "mcplint $version" ] || { echo "$name: --version said '$got', want 'mcplint $version'"; exit 1; }
    local status=0
    "$@" check "$fixture" --no-config --format concise --quiet >"$work/$name.out" || status=$?
    [ "$status" = 1 ] || { echo "$name: check exited $status, want 1"; cat "$work/$name.out"; exit 1; }
    grep -q "MCL801" "$work/$name.out" || { echo "$name: no MCL801 finding"; cat "$work/$name.out"; exit 1; }
    echo "$name: mcplint $version, $(wc -l <"$work/$name.out") findings in $fixture"
}

SECONDS=0
echo "== wheel (maturin $MATURIN_VERSION, dev profile) into a fresh virtual environment"
python3 -m venv "$work/tools"
"$work/tools/bin/pip" install --quiet --disable-pip-version-check "maturin==$MATURIN_VERSION"
"$work/tools/bin/maturin" build --locked --profile dev --strip --out "$work/wheels" --quiet
wheels=("$work"/wheels/mcplint-"$version"-*.whl)
[ "${#wheels[@]}" = 1 ] && [ -f "${wheels[0]}" ] || { echo "want one wheel, got: ${wheels[*]}"; exit 1; }
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-index "${wheels[0]}"
smoke pip "$work/venv/bin/mcplint"
echo "(wheel built, installed and run in ${SECONDS}s)"
echo "== the GitHub Action's pip step, offline, with this wheel"
MCPLINT_TEST_WHEELS="$work/wheels" cargo test --quiet --locked --test action -- --ignored

echo "(action's pip step in ${SECONDS}s so far)"
echo "== npm: launcher + this platform's binary package, installed offline"
platform=$(node -p 'process.platform + "-" + process.arch')
node npm/build.js launcher "$work/npm/launcher"
node npm/build.js platform "$work/venv/bin/mcplint" "$platform" "$work/npm/$platform"
(cd "$work/npm" && npm pack --silent ./launcher "./$platform" >/dev/null)
tarballs=("$work/npm/mcplint-$version.tgz" "$work/npm/mcplint-$platform-$version.tgz")
mkdir -p "$work/npm/app"
cd "$work/npm/app"
echo '{"private": true}' >package.json
npm install --offline --no-audit --no-fund --loglevel=error "${tarballs[@]}"
cd - >/dev/null
smoke npx npx --prefix "$work/npm/app" --no-install mcplint

# The launcher's failures name the problem and exit 2, like mcplint's own.
launcher="$work/npm/app/node_modules/mcplint/bin/mcplint.js"
expect_failure() {
    local what=$1 want=$2
    shift 2
    local status=0
    "$@" --version >"$work/failure.out" 2>&1 || status=$?
    if [ "$status" != 2 ] || ! grep -q "$want" "$work/failure.out"; then
        echo "launcher, $what: exit $status, want 2 and '$want':"
        cat "$work/failure.out"
        exit 1
    fi
    echo "launcher, $what: $(cat "$work/failure.out")"
}
echo "Object.defineProperty(process, 'platform', { value: 'sunos' });" >"$work/sunos.js"
expect_failure "unsupported platform" "no prebuilt mcplint binary for sunos-" \
    node --require "$work/sunos.js" "$launcher"
mv "$work/npm/app/node_modules/@mcplint" "$work/npm/app/moved"
expect_failure "binary package missing" "is not installed" node "$launcher"
MCPLINT_BINARY="$work/venv/bin/mcplint" smoke launcher-MCPLINT_BINARY node "$launcher"
echo "(packages: ${SECONDS}s in all)"
