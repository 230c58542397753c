#!/usr/bin/env bash
# Prints height, app hash and peer count of every localnet node (via CometBFT RPC), then the fleet: devices,
# reports and the last epoch's rewards as the chain has them, and the simulator's last epoch line.
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

first_rpc="$(node_field node0 4)"
pid="$(fleet_pid)"
echo
if [[ -n "$pid" ]] && pid_alive "$pid"; then
  echo "fleet: running (pid $pid), log $LOG_DIR/fleet.log"
else
  echo "fleet: not running (FLEET=0, stopped, or failed: see $LOG_DIR/fleet.log)"
fi
if [[ -n "$(rpc_height "$first_rpc")" ]]; then
  "$(depinchaind_path)" simulate status --node "http://127.0.0.1:$first_rpc" || echo "(chain status of the fleet unavailable)"
fi
if [[ -f "$LOG_DIR/fleet.log" ]]; then
  last_epoch="$(grep '^epoch ' "$LOG_DIR/fleet.log" | tail -n 1 || true)"
  if [[ -n "$last_epoch" ]]; then
    echo "simulator, last epoch: $last_epoch"
  fi
fi
