#!/usr/bin/env bash
# Installs what this project needs and this machine lacks, and nothing else:
# Debian's Chromium + ChromeDriver (and Node.js, a C compiler and a CJK font if
# missing), the pinned Rust toolchain with rustfmt, clippy and the wasm32
# target, trunk and wasm-bindgen-cli from crates.io, the npm packages in
# package-lock.json (wasm-opt and playwright-core), and the crates in
# Cargo.lock (trunk runs cargo offline).
#
# Idempotent: with everything present it only checks versions, in seconds.
# If something cannot be installed it prints one line saying what and how to
# install it by hand, and exits 1. Install logs are in target/setup-logs/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

LOGS="target/setup-logs"
mkdir -p "$LOGS"
started=$SECONDS

say() { echo "setup: $*"; }
fail() {
  echo "setup: FAILED: $*" >&2
  exit 1
}

# Runs a command quietly with its output in $LOGS/<name>.log and no stdin.
logged() {
  local log="$LOGS/$1.log"
  shift
  "$@" >"$log" 2>&1 </dev/null
}

# Runs a command as root (directly, or through password-less sudo).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo "$@"
  else
    return 1
  fi
}

# The second word of a tool's --version line ("trunk 0.21.14" -> 0.21.14).
version_of() {
  "$1" --version 2>/dev/null | head -n 1 | awk '{print $2}'
}

major_of() {
  "$1" --version 2>/dev/null | head -n 1 | grep -o '[0-9][0-9]*\.' | head -n 1 | tr -d .
}

# ---- Debian packages ------------------------------------------------------

debian_packages() {
  local missing=()
  [ -x "$CHROMIUM" ] || missing+=(chromium)
  [ -x "$CHROMEDRIVER" ] || missing+=(chromium-driver)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  command -v cc >/dev/null 2>&1 || missing+=(build-essential)
  # Chinese text in screenshots and for learners without a CJK system font.
  if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
    missing+=(fonts-wqy-microhei)
  fi
  [ ${#missing[@]} -eq 0 ] && return 0

  local list="${missing[*]}"
  local by_hand="install them by hand: sudo apt-get update && sudo apt-get install -y $list"
  command -v apt-get >/dev/null 2>&1 || fail "missing $list and apt-get is not available; $by_hand (or your system's equivalent)"
  say "installing Debian packages: $list (log: $LOGS/apt.log)"
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
  if ! logged apt as_root "${apt[@]}" update; then
    fail "could not run apt-get update as root for $list; $by_hand (log: $LOGS/apt.log)"
  fi
  if ! as_root "${apt[@]}" install -y "${missing[@]}" >>"$LOGS/apt.log" 2>&1 </dev/null; then
    fail "could not install Debian packages $list; $by_hand (log: $LOGS/apt.log)"
  fi
  [ -x "$CHROMIUM" ] && [ -x "$CHROMEDRIVER" ] ||
    fail "chromium or chromedriver still missing after apt-get; $by_hand (log: $LOGS/apt.log)"
}

check_browser_pair() {
  local browser driver
  browser="$(major_of "$CHROMIUM")"
  driver="$(major_of "$CHROMEDRIVER")"
  [ -n "$browser" ] || fail "$CHROMIUM does not run; reinstall it by hand: sudo apt-get install --reinstall chromium"
  [ "$browser" = "$driver" ] ||
    fail "Chromium $browser and ChromeDriver $driver differ; upgrade both by hand: sudo apt-get install -y chromium chromium-driver"
}

check_node() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  [ "$major" -ge 18 ] ||
    fail "Node.js 18 or newer is needed (found ${major}); install it by hand: sudo apt-get install -y nodejs npm"
}

# ---- Rust -----------------------------------------------------------------

rust_toolchain() {
  command -v rustup >/dev/null 2>&1 ||
    fail "rustup is missing; install Rust by hand with rustup (https://rustup.rs), then rerun"
  if ! rustup toolchain list | grep -q "^$RUST_CHANNEL-"; then
    local rustup_home="${RUSTUP_HOME:-$HOME/.rustup}" host stable
    host="$(cd / && rustc -vV 2>/dev/null | sed -n 's/^host: //p')"
    stable="$(cd / && rustup run stable rustc --version 2>/dev/null | awk '{print $2}')"
    if [ -n "$host" ] && [ "$stable" = "$RUST_CHANNEL" ] && [ -d "$rustup_home/toolchains/stable-$host" ]; then
      # The installed stable toolchain is this exact version: use it under
      # the pinned name instead of downloading the same compiler again.
      ln -s "$rustup_home/toolchains/stable-$host" "$rustup_home/toolchains/$RUST_CHANNEL-$host"
      say "using the installed stable toolchain as Rust $RUST_CHANNEL (same version)"
    else
      say "installing Rust $RUST_CHANNEL with rustup (log: $LOGS/rustup.log)"
      logged rustup rustup toolchain install "$RUST_CHANNEL" --profile minimal \
        --component rustfmt,clippy --target wasm32-unknown-unknown ||
        fail "could not install Rust $RUST_CHANNEL; install it by hand: rustup toolchain install $RUST_CHANNEL --component rustfmt,clippy --target wasm32-unknown-unknown (log: $LOGS/rustup.log)"
    fi
  fi

  local components
  components="$(rustup component list --installed --toolchain "$RUST_CHANNEL" 2>/dev/null || true)"
  for component in rustfmt clippy; do
    if ! grep -q "^$component" <<<"$components"; then
      say "adding Rust component $component"
      logged rustup rustup component add --toolchain "$RUST_CHANNEL" "$component" ||
        fail "could not add $component; install it by hand: rustup component add --toolchain $RUST_CHANNEL $component (log: $LOGS/rustup.log)"
    fi
  done
  if ! rustup target list --installed --toolchain "$RUST_CHANNEL" 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding Rust target wasm32-unknown-unknown"
    logged rustup rustup target add --toolchain "$RUST_CHANNEL" wasm32-unknown-unknown ||
      fail "could not add the wasm32 target; install it by hand: rustup target add --toolchain $RUST_CHANNEL wasm32-unknown-unknown (log: $LOGS/rustup.log)"
  fi
}

cargo_tools() {
  if [ "$(version_of trunk)" != "$TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION with cargo (about 5 minutes; log: $LOGS/trunk.log)"
    logged trunk cargo install --locked "trunk@$TRUNK_VERSION" ||
      fail "could not install trunk $TRUNK_VERSION; install it by hand: cargo install --locked trunk@$TRUNK_VERSION (log: $LOGS/trunk.log)"
  fi
  if [ "$(version_of wasm-bindgen)" != "$WASM_BINDGEN_VERSION" ] ||
    [ "$(version_of wasm-bindgen-test-runner)" != "$WASM_BINDGEN_VERSION" ]; then
    # Not --locked: wasm-bindgen-cli's own lock file does not build with this toolchain.
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION with cargo (about 4 minutes; log: $LOGS/wasm-bindgen.log)"
    logged wasm-bindgen cargo install --force "wasm-bindgen-cli@$WASM_BINDGEN_VERSION" ||
      fail "could not install wasm-bindgen-cli $WASM_BINDGEN_VERSION; install it by hand: cargo install --force wasm-bindgen-cli@$WASM_BINDGEN_VERSION (log: $LOGS/wasm-bindgen.log)"
  fi
}

# ---- npm and crates -------------------------------------------------------

npm_packages() {
  local stamp="node_modules/.setup-stamp" want
  want="$(sha256sum package-lock.json | cut -d ' ' -f 1) node-$(node --version)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || [ ! -x node_modules/.bin/wasm-opt ]; then
    say "installing npm packages from package-lock.json (log: $LOGS/npm.log)"
    logged npm npm ci --no-audit --no-fund ||
      fail "could not install the npm packages; install them by hand: npm ci (log: $LOGS/npm.log)"
    echo "$want" >"$stamp"
  fi
  node_modules/.bin/wasm-opt --version >/dev/null 2>&1 ||
    fail "wasm-opt from npm binaryen does not run; reinstall by hand: rm -rf node_modules && npm ci"
}

crates() {
  logged cargo-fetch cargo fetch --locked ||
    fail "could not download the crates in Cargo.lock; fetch them by hand: cargo fetch --locked (log: $LOGS/cargo-fetch.log)"
}

debian_packages
check_browser_pair
check_node
rust_toolchain
cargo_tools
npm_packages
crates

say "ready in $((SECONDS - started))s: Rust $RUST_CHANNEL + wasm32, trunk $TRUNK_VERSION," \
  "wasm-bindgen $WASM_BINDGEN_VERSION, Chromium $(major_of "$CHROMIUM"), Node $(node --version)"
