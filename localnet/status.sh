#!/usr/bin/env bash
# Prints height, app hash and peer count of every localnet node (via CometBFT RPC).
set -euo pipefail
# shellcheck source=localnet/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

printf '%-8s %-24s %8s %-66s %s\n' NODE RPC HEIGHT APP_HASH PEERS
for name in $(node_names); do
  rpc="$(node_field "$name" 4)"
  height="$(rpc_height "$rpc")"
  if [[ -z "$height" ]]; then
    printf '%-8s %-24s %8s %-66s %s\n' "$name" "http://127.0.0.1:$rpc" "-" "(not reachable)" "-"
    continue
  fi
  printf '%-8s %-24s %8s %-66s %s\n' "$name" "http://127.0.0.1:$rpc" "$height" \
    "$(rpc_app_hash "$rpc" "$height")" "$(rpc_peers "$rpc")"
done
