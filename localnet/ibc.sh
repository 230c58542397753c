#!/usr/bin/env bash
# Two DePinChain localnets linked by IBC (make localnet-ibc): chain depin-a-1 (ports from 26656) and depin-b-1 (ports
# from 36656), each with IBC_VALIDATORS validators (default 1) and no fleet, in localnet/.run-ibc/{a,b}. Then a relayer:
#   - rly (the Go relayer) when RLY=/path/to/rly is set or `rly` is on PATH: its config written under
#     localnet/.run-ibc/rly, the relayer key restored on both chains, `rly tx link` (clients, connection, transfer
#     channel) and `rly start` in the background;
#   - else Hermes when HERMES=/path/to/hermes is set or `hermes` is on PATH: config.toml written under
#     localnet/.run-ibc/hermes, keys added, `hermes create channel --new-client-connection`, `hermes start`;
#   - else the in-repo test relayer (tests/DePinChain.TestRelayer), which talks to both chains as rly does.
# The relayer key is each chain's funded `carol` (mnemonics in .run-ibc/{a,b}/files/keys.txt). Stop everything with
# localnet/ibc.sh stop. Needs what localnet/start.sh needs.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
IBC_DIR="$HERE/.run-ibc"
RELAYER_DIR="$IBC_DIR/relayer"
VALIDATORS="${IBC_VALIDATORS:-1}"
CHAIN_A=depin-a-1
CHAIN_B=depin-b-1
PORT_A=26656
PORT_B=36656
PATH_NAME=depin-a-b

log() { printf '%s\n' "$*" >&2; }
die() { log "localnet-ibc: $*"; exit 1; }

# Runs a localnet script for chain $1 ("a" or "b").
net() {
  local which="$1"; shift
  local chain port
  if [[ "$which" == a ]]; then chain="$CHAIN_A"; port="$PORT_A"; else chain="$CHAIN_B"; port="$PORT_B"; fi
  LOCALNET_RUN_DIR="$IBC_DIR/$which" CHAIN_ID="$chain" STARTING_PORT="$port" FLEET=0 bash "$@"
}

# Column $2 of node0 in chain $1's nodes.txt (name home p2p rpc abci node_id grpc api explorer).
node0() { awk -v c="$2" '$1 == "node0" { print $c }' "$IBC_DIR/$1/files/nodes.txt"; }

relayer_mnemonic() { awk '$1 == "all" && $2 == "carol" { $1 = $2 = $3 = ""; sub(/^ +/, ""); print }' "$IBC_DIR/$1/files/keys.txt"; }

stop_all() {
  if [[ -s "$RELAYER_DIR/pid" ]]; then
    kill "$(cat "$RELAYER_DIR/pid")" 2>/dev/null || true
    rm -f "$RELAYER_DIR/pid"
  fi
  [[ -d "$IBC_DIR/a" ]] && net a "$HERE/stop.sh"
  [[ -d "$IBC_DIR/b" ]] && net b "$HERE/stop.sh"
  return 0
}

if [[ "${1:-}" == stop ]]; then
  stop_all
  exit 0
fi

[[ "$VALIDATORS" =~ ^[1-9]$ ]] || die "IBC_VALIDATORS must be 1..9, not '$VALIDATORS'"
rm -rf "$IBC_DIR"
mkdir -p "$RELAYER_DIR"
net a "$HERE/start.sh" "$VALIDATORS"
net b "$HERE/start.sh" "$VALIDATORS" || { net a "$HERE/stop.sh"; exit 1; }

RPC_A="http://127.0.0.1:$(node0 a 4)"
RPC_B="http://127.0.0.1:$(node0 b 4)"
GRPC_A="http://127.0.0.1:$(node0 a 7)"
GRPC_B="http://127.0.0.1:$(node0 b 7)"
relayer_mnemonic a >"$RELAYER_DIR/a.mnemonic"
relayer_mnemonic b >"$RELAYER_DIR/b.mnemonic"
[[ -s "$RELAYER_DIR/a.mnemonic" && -s "$RELAYER_DIR/b.mnemonic" ]] || die "no carol key in the localnets' keys.txt"

RLY_BIN="${RLY:-$(command -v rly || true)}"
HERMES_BIN="${HERMES:-$(command -v hermes || true)}"

# The chain entry of rly's config (`rly chains add --file`), in the shape its cosmos provider reads.
rly_chain_json() {
  local chain="$1" rpc="$2"
  cat <<JSON
{"type":"cosmos","value":{"key":"relayer","chain-id":"$chain","rpc-addr":"$rpc","account-prefix":"depin",
"keyring-backend":"test","gas-adjustment":1.5,"gas-prices":"0.025udpin","debug":false,"timeout":"20s",
"output-format":"json","sign-mode":"direct"}}
JSON
}

if [[ -n "$RLY_BIN" ]]; then
  [[ -x "$RLY_BIN" ]] || die "RLY=$RLY_BIN is not an executable"
  home="$RELAYER_DIR/rly"
  "$RLY_BIN" config init --home "$home" >/dev/null
  rly_chain_json "$CHAIN_A" "$RPC_A" >"$RELAYER_DIR/$CHAIN_A.json"
  rly_chain_json "$CHAIN_B" "$RPC_B" >"$RELAYER_DIR/$CHAIN_B.json"
  "$RLY_BIN" chains add --home "$home" --file "$RELAYER_DIR/$CHAIN_A.json" "$CHAIN_A"
  "$RLY_BIN" chains add --home "$home" --file "$RELAYER_DIR/$CHAIN_B.json" "$CHAIN_B"
  "$RLY_BIN" keys restore "$CHAIN_A" relayer "$(cat "$RELAYER_DIR/a.mnemonic")" --home "$home" >/dev/null
  "$RLY_BIN" keys restore "$CHAIN_B" relayer "$(cat "$RELAYER_DIR/b.mnemonic")" --home "$home" >/dev/null
  "$RLY_BIN" paths new "$CHAIN_A" "$CHAIN_B" "$PATH_NAME" --home "$home"
  "$RLY_BIN" tx link "$PATH_NAME" --src-port transfer --dst-port transfer --version ics20-1 --home "$home" \
    >"$RELAYER_DIR/link.log" 2>&1 || die "rly tx link failed (log: $RELAYER_DIR/link.log)"
  nohup "$RLY_BIN" start "$PATH_NAME" --home "$home" >"$RELAYER_DIR/relayer.log" 2>&1 &
  echo $! >"$RELAYER_DIR/pid"
  relayer="rly ($RLY_BIN), config $home"
elif [[ -n "$HERMES_BIN" ]]; then
  [[ -x "$HERMES_BIN" ]] || die "HERMES=$HERMES_BIN is not an executable"
  config="$RELAYER_DIR/hermes.toml"
  {
    cat <<TOML
[global]
log_level = 'info'
[mode.clients]
enabled = true
refresh = true
misbehaviour = true
[mode.connections]
enabled = false
[mode.channels]
enabled = false
[mode.packets]
enabled = true
clear_interval = 100
clear_on_start = true
tx_confirmation = false
[rest]
enabled = false
[telemetry]
enabled = false
TOML
    for entry in "$CHAIN_A $RPC_A $GRPC_A" "$CHAIN_B $RPC_B $GRPC_B"; do
      read -r chain rpc grpc <<<"$entry"
      cat <<TOML

[[chains]]
id = '$chain'
type = 'CosmosSdk'
rpc_addr = '$rpc'
grpc_addr = '$grpc'
event_source = { mode = 'push', url = '${rpc/http/ws}/websocket', batch_delay = '500ms' }
rpc_timeout = '10s'
trusted_node = false
account_prefix = 'depin'
key_name = 'relayer'
key_store_type = 'Test'
store_prefix = 'ibc'
default_gas = 200000
max_gas = 4000000
gas_price = { price = 0.025, denom = 'udpin' }
gas_multiplier = 1.5
max_msg_num = 30
max_tx_size = 180000
clock_drift = '5s'
max_block_time = '30s'
trust_threshold = { numerator = '1', denominator = '3' }
address_type = { derivation = 'cosmos' }
TOML
    done
  } >"$config"
  "$HERMES_BIN" --config "$config" keys add --chain "$CHAIN_A" --key-name relayer --mnemonic-file "$RELAYER_DIR/a.mnemonic" >/dev/null
  "$HERMES_BIN" --config "$config" keys add --chain "$CHAIN_B" --key-name relayer --mnemonic-file "$RELAYER_DIR/b.mnemonic" >/dev/null
  "$HERMES_BIN" --config "$config" create channel --a-chain "$CHAIN_A" --b-chain "$CHAIN_B" --a-port transfer --b-port transfer \
    --new-client-connection --yes >"$RELAYER_DIR/link.log" 2>&1 || die "hermes create channel failed (log: $RELAYER_DIR/link.log)"
  nohup "$HERMES_BIN" --config "$config" start >"$RELAYER_DIR/relayer.log" 2>&1 &
  echo $! >"$RELAYER_DIR/pid"
  relayer="Hermes ($HERMES_BIN), config $config"
else
  project="$HERE/../tests/DePinChain.TestRelayer"
  [[ -f "$project/DePinChain.TestRelayer.csproj" ]] \
    || die "no rly or hermes (set RLY= or HERMES=), and the in-repo test relayer ($project) is not built yet"
  dotnet build "$project" -c Release -o "$RELAYER_DIR/bin" -nologo -clp:ErrorsOnly >&2 || die "building the test relayer failed"
  args=(--a-rpc "$RPC_A" --b-rpc "$RPC_B" --a-mnemonic-file "$RELAYER_DIR/a.mnemonic" --b-mnemonic-file "$RELAYER_DIR/b.mnemonic")
  "$RELAYER_DIR/bin/DePinChain.TestRelayer" link "${args[@]}" >"$RELAYER_DIR/link.log" 2>&1 \
    || die "the test relayer could not link the chains (log: $RELAYER_DIR/link.log)"
  nohup "$RELAYER_DIR/bin/DePinChain.TestRelayer" start "${args[@]}" >"$RELAYER_DIR/relayer.log" 2>&1 &
  echo $! >"$RELAYER_DIR/pid"
  relayer="the in-repo test relayer"
fi

echo "IBC localnets: $CHAIN_A (RPC $RPC_A) and $CHAIN_B (RPC $RPC_B), transfer channel linked by $relayer."
echo "Relayer log: $RELAYER_DIR/relayer.log. Send tokens across, e.g.:"
echo "  $(LOCALNET_RUN_DIR="$IBC_DIR/a" bash -c "source '$HERE/lib.sh'; depinchaind_path") tx ibc-transfer transfer transfer channel-0 DEPIN1_ADDRESS_ON_B 1000udpin --from alice --keyring-backend test --home $(node0 a 2) --node $RPC_A"
echo "Stop with: localnet/ibc.sh stop (or make localnet-ibc-stop)."
