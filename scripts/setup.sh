#!/usr/bin/env bash
# Installs what DePinChain needs beyond the .NET SDK: the native libraries we P/Invoke into and the
# Node packages our cross-check tests run. Idempotent: does nothing when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian package → a file it installs that we load at run time.
declare -A NATIVE=(
  [libleveldb1d]=libleveldb.so.1d
  [libsecp256k1-1]=libsecp256k1.so.1
  [libsodium23]=libsodium.so.23
)

missing=()
for pkg in "${!NATIVE[@]}"; do
  if ! ldconfig -p 2>/dev/null | grep -q "${NATIVE[$pkg]}"; then missing+=("$pkg"); fi
done
# Headless Chromium for the explorer's browser tests (driven by puppeteer-core from tests/js).
if ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "setup: missing native packages (${missing[*]}) and not root; install them with: apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: missing native libraries (${missing[*]}) and no apt-get here; install the equivalent packages for your OS" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq >/dev/null || { echo "setup: apt-get update failed (no network to the Debian mirror?)" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { echo "setup: apt-get install ${missing[*]} failed" >&2; exit 1; }
fi

command -v dotnet >/dev/null 2>&1 || { echo "setup: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }

# The explorer's bundled third-party files (Leaflet, Natural Earth countries): the Api project's build copies them.
if [ -f app/DePinChain.Api/Explorer/package.json ]; then
  command -v npm >/dev/null 2>&1 || { echo "setup: npm (Node.js) is needed for the explorer's Leaflet and basemap" >&2; exit 1; }
  if [ ! -d app/DePinChain.Api/Explorer/node_modules ] || [ app/DePinChain.Api/Explorer/package.json -nt app/DePinChain.Api/Explorer/node_modules ]; then
    echo "setup: installing the explorer's Node packages" >&2
    (cd app/DePinChain.Api/Explorer && npm install --no-audit --no-fund --loglevel=error >/dev/null) \
      || { echo "setup: npm install in app/DePinChain.Api/Explorer failed" >&2; exit 1; }
    touch app/DePinChain.Api/Explorer/node_modules
  fi
fi

# Node packages for the tests that check our output with clients we did not write (ICS-23, CosmJS).
if [ -f tests/js/package.json ]; then
  command -v npm >/dev/null 2>&1 || { echo "setup: npm (Node.js) is needed for the cross-check tests" >&2; exit 1; }
  if [ ! -d tests/js/node_modules ] || [ tests/js/package.json -nt tests/js/node_modules ]; then
    echo "setup: installing Node packages in tests/js" >&2
    (cd tests/js && npm install --no-audit --no-fund --loglevel=error >/dev/null) \
      || { echo "setup: npm install in tests/js failed" >&2; exit 1; }
    touch tests/js/node_modules
  fi
fi
