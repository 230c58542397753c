#!/usr/bin/env bash
# What `make bench` needs beyond `make setup`: the api suite's load generator, which runs in a process of its own (a
# generator sharing the server's process charges its own pauses to the server). Idempotent.
#   build/openloop  - bench/loadgen/openloop.c, the open-loop HTTP/1.1 and HTTP/2 (gRPC) generator (C compiler: cc)
# Without it the api suite marks its fixed-rate rows skipped and says why.
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v cc >/dev/null 2>&1; then
  if [ ! -x build/openloop ] || [ bench/loadgen/openloop.c -nt build/openloop ]; then
    mkdir -p build
    cc -O2 -Wall -Wextra -Werror -o build/openloop bench/loadgen/openloop.c || { echo "setup-bench: building build/openloop failed" >&2; exit 1; }
  fi
else
  echo "setup-bench: no C compiler (cc): the api suite's fixed-rate rows will be skipped" >&2
fi
