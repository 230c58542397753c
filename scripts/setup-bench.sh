#!/usr/bin/env bash
# What `make bench` needs beyond `make setup`: the api suite's load generators, which run in processes of their own
# (a generator sharing the server's process charges its own pauses to the server). Idempotent.
#   build/openloop  - bench/loadgen/openloop.c, the open-loop HTTP/1.1 generator (C compiler: cc)
#   h2load          - Debian's nghttp2-client, the HTTP/2 (gRPC) generator
# A missing generator is not fatal: the api suite then marks its row skipped and says why.
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v cc >/dev/null 2>&1; then
  if [ ! -x build/openloop ] || [ bench/loadgen/openloop.c -nt build/openloop ]; then
    mkdir -p build
    cc -O2 -Wall -Wextra -Werror -o build/openloop bench/loadgen/openloop.c || { echo "setup-bench: building build/openloop failed" >&2; exit 1; }
  fi
else
  echo "setup-bench: no C compiler (cc): the api suite's REST rate row will be skipped" >&2
fi

if ! command -v h2load >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; }; then
    echo "setup-bench: installing nghttp2-client (h2load)" >&2
    { $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nghttp2-client >/dev/null; } \
      || echo "setup-bench: could not install nghttp2-client: the api suite's gRPC rate row will be skipped" >&2
  else
    echo "setup-bench: h2load not found (Debian: nghttp2-client): the api suite's gRPC rate row will be skipped" >&2
  fi
fi
