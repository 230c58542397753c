#!/usr/bin/env bash
# Starts an N-validator DePinChain localnet on 127.0.0.1 (default N=4):
# build depinchaind, write N homes with `testnet init-files` into localnet/.run/files,
# start N depinchaind + N cometbft in the background, wait for blocks, print endpoints and keys, then start a
# simulated fleet of ~200 hotspots around Berlin (FLEET=0 leaves it out; FLEET_* knobs in lib.sh's start_fleet).
# The genesis makes alice the authority of the DePIN modules and sets short epochs (30 blocks) so rewards show soon.
# ABCI=grpc (environment, or `make localnet ABCI=grpc`) connects every node's CometBFT to its app over gRPC instead
# of the socket transport (default ABCI=socket).
# Needs: dotnet (scripts/setup.sh), curl, and CometBFT v0.38.x ($COMETBFT, PATH, build/bin, or downloaded).
set -euo pipefail
# shellcheck source=localnet/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

N="${1:-4}"
[[ "$N" =~ ^[1-9][0-9]*$ ]] || die "usage: localnet/start.sh [N] (N = number of validators, default 4)"
[[ "$ABCI" == socket || "$ABCI" == grpc ]] || die "ABCI must be socket or grpc, not '$ABCI'"

if [[ -s "$PIDS_FILE" ]]; then
  while read -r _ _ pid; do
    pid_alive "$pid" && die "a localnet is already running (localnet/.run/pids); run localnet/stop.sh first"
  done <"$PIDS_FILE"
  rm -f "$PIDS_FILE"
fi

COMETBFT_BIN="$(find_cometbft)"
build_depinchaind
DEPIN="$(depinchaind_path)"

rm -rf "$FILES_DIR" "$LOG_DIR"
mkdir -p "$RUN_DIR" "$LOG_DIR"
"$DEPIN" testnet init-files --validators "$N" --output-dir "$FILES_DIR" \
  --starting-port "$STARTING_PORT" --chain-id "$CHAIN_ID" --abci "$ABCI" --authority alice --short-epochs >"$LOG_DIR/init-files.log"

started=0
cleanup() {
  if ((started == 0)); then
    log "localnet: start failed; stopping what was started (logs in $LOG_DIR)"
    stop_recorded ""
  fi
}
trap cleanup EXIT
for name in $(node_names); do
  start_node "$name" "$COMETBFT_BIN"
done

first_rpc="$(node_field node0 4)"
if ! wait_height "$first_rpc" 2 90; then
  die "no block 2 within 90s"
fi
started=1

echo "DePinChain localnet '$CHAIN_ID' is producing blocks ($N validators, ABCI over $ABCI)."
echo "RPC endpoints:"
for name in $(node_names); do
  echo "  $name  http://127.0.0.1:$(node_field "$name" 4)   home $(node_field "$name" 2)"
done
echo "gRPC endpoints (every module's Query service, reflection: grpcurl -plaintext ADDRESS list):"
for name in $(node_names); do
  echo "  $name  127.0.0.1:$(node_field "$name" 7)"
done
echo "REST endpoints (the SDK's routes, e.g. curl http://127.0.0.1:$(node_field node0 8)/cosmos/bank/v1beta1/supply):"
for name in $(node_names); do
  echo "  $name  http://127.0.0.1:$(node_field "$name" 8)"
done
echo "Funded keys (keyring-backend test, in every node home): validator (per node), alice, bob, carol"
echo "Mnemonics: $FILES_DIR/keys.txt"
echo "Example: $DEPIN query bank balances \$($DEPIN keys show alice --address --keyring-backend test --home $(node_field node0 2)) --node http://127.0.0.1:$first_rpc"
if [[ "${FLEET:-1}" != "0" ]]; then
  start_fleet "$first_rpc" "$(node_field node0 2)"
  echo "Simulated fleet: ${FLEET_DEVICES:-200} devices around ${FLEET_CENTER:-52.520008,13.404954} (log $LOG_DIR/fleet.log; FLEET=0 leaves it out)."
fi
echo "Stop with localnet/stop.sh; status with localnet/status.sh."
