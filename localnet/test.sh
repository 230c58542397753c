#!/usr/bin/env bash
# End-to-end localnet test (4 validators):
#  1. CLI transfers between keys; every node reports the same balances and app hash at one height; node0's REST gateway,
#     gRPC server (with grpcurl, when installed) and explorer answer.
#  2. Stop one validator: the other three (30 of 40 power > 2/3) keep producing blocks.
#  3. Restart it: it catches up and agrees on the app hash.
#  4. DePIN through the CLI alone: a maker, three devices onboarded by the offline file flow and located, a beacon
#     with two witnesses (both valid), a router's traffic, and the epoch's rewards for both; all nodes agree.
#  5. Staking: a 5th node joins as a full node, its operator sends create-validator, CometBFT's /validators lists it
#     and it signs blocks; stopped for longer than the signing window it is jailed and leaves the set; restarted,
#     `tx slashing unjail` after the jail time brings it back. Delegator rewards can be withdrawn.
# Starts a localnet when none is running (over $ABCI: socket, or grpc) and stops it again at the end.
set -euo pipefail
# shellcheck source=localnet/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ "$ABCI" == socket || "$ABCI" == grpc ]] || die "ABCI must be socket or grpc, not '$ABCI'"
own_localnet=0
if [[ ! -s "$PIDS_FILE" ]]; then
  # Without the fleet: it sends from alice and bob, whose balances and sequences this test checks.
  FLEET=0 "$LOCALNET_DIR/start.sh" 4
  own_localnet=1
fi
finish() {
  local code=$?
  if ((own_localnet == 1)); then
    stop_recorded ""
  fi
  if ((code == 0)); then echo "localnet test: PASS (ABCI over $ABCI)"; else echo "localnet test: FAIL (logs in $LOG_DIR)"; fi
}
trap finish EXIT

DEPIN="$(depinchaind_path)"
mapfile -t NODES < <(node_names)
((${#NODES[@]} >= 4)) || die "test.sh needs a localnet of at least 4 validators (running: ${#NODES[@]})"
# A localnet that was already running was started with its own transport: test the one asked for.
running_abci="$(node_abci node0)"
[[ "$running_abci" == "$ABCI" ]] || die "the running localnet uses ABCI over '$running_abci', not $ABCI; stop it (localnet/stop.sh) first"
HOME0="$(node_field node0 2)"
RPC0="$(node_field node0 4)"
KEYS=(--keyring-backend test --home "$HOME0")
fail() { log "FAIL: $*"; exit 1; }

addr() { "$DEPIN" keys show "$1" --address "${KEYS[@]}"; }
balances_at() { # node rpc port, address, height
  "$DEPIN" query bank balances "$2" --node "http://127.0.0.1:$1" --height "$3" --output json | tr -d ' \n'
}

# Highest height every listed node has reached.
common_height() {
  local min="" h rpc
  for name in "$@"; do
    rpc="$(node_field "$name" 4)"
    h="$(rpc_height "$rpc")"
    [[ -n "$h" ]] || fail "$name is not answering on port $rpc"
    if [[ -z "$min" ]] || ((h < min)); then min="$h"; fi
  done
  printf '%s\n' "$min"
}

# All listed nodes agree on app hash and on the balances of $ALICE and $BOB at one height.
check_agreement() {
  local height hash0 bal0 hash bal rpc
  height="$(common_height "$@")"
  ((height >= 2)) || fail "chain too short to compare (height $height)"
  hash0="$(rpc_app_hash "$RPC0" "$height")"
  bal0="$(balances_at "$RPC0" "$BOB" "$height")$(balances_at "$RPC0" "$ALICE" "$height")"
  [[ -n "$hash0" ]] || fail "node0 has no app hash at height $height"
  for name in "$@"; do
    rpc="$(node_field "$name" 4)"
    hash="$(rpc_app_hash "$rpc" "$height")"
    bal="$(balances_at "$rpc" "$BOB" "$height")$(balances_at "$rpc" "$ALICE" "$height")"
    [[ "$hash" == "$hash0" ]] || fail "$name app hash $hash != node0 $hash0 at height $height"
    [[ "$bal" == "$bal0" ]] || fail "$name balances differ from node0 at height $height"
  done
  echo "ok: ${*} agree at height $height (app hash $hash0)"
}

ALICE="$(addr alice)"
BOB="$(addr bob)"
CAROL="$(addr carol)"

echo "== transfers"
"$DEPIN" tx bank send alice "$BOB" 12345udpin --chain-id "$CHAIN_ID" --node "http://127.0.0.1:$RPC0" \
  "${KEYS[@]}" --yes --broadcast-mode commit >/dev/null || fail "alice -> bob transfer failed"
"$DEPIN" tx bank send bob "$CAROL" 345udpin --chain-id "$CHAIN_ID" --node "http://127.0.0.1:$(node_field node1 4)" \
  --keyring-backend test --home "$(node_field node1 2)" --yes --broadcast-mode commit >/dev/null || fail "bob -> carol transfer failed"
bob_balance="$("$DEPIN" query bank balances "$BOB" --node "http://127.0.0.1:$RPC0" --output json | tr -d ' \n')"
[[ "$bob_balance" == *'"denom":"udpin","amount":"1000012000"'* ]] || fail "bob's balance is not 1000012000udpin: $bob_balance"
echo "ok: bob has 1000012000udpin"
check_agreement "${NODES[@]}"

echo "== node API: node0's REST gateway, gRPC server and explorer"
API0="$(node_field node0 8)"
GRPC0="$(node_field node0 7)"
EXPLORER0="$(node_field node0 9)"
rest_get() { curl -fsS --max-time 5 "http://127.0.0.1:$API0$1" | tr -d ' \n'; }
rest_balance="$(rest_get "/cosmos/bank/v1beta1/balances/$BOB")" || fail "REST on port $API0 did not answer /cosmos/bank/v1beta1/balances"
[[ "$rest_balance" == *'"denom":"udpin","amount":"1000012000"'* ]] || fail "REST balances of bob: $rest_balance"
rest_block="$(rest_get /cosmos/base/tendermint/v1beta1/blocks/latest)" || fail "REST did not answer blocks/latest"
[[ "$rest_block" == *"\"chain_id\":\"$CHAIN_ID\""* ]] || fail "REST blocks/latest names no chain $CHAIN_ID: ${rest_block:0:300}"
rest_validators="$(rest_get /cosmos/base/tendermint/v1beta1/validatorsets/latest)" || fail "REST did not answer validatorsets/latest"
[[ "$rest_validators" == *'"@type":"/cosmos.crypto.ed25519.PubKey"'* ]] || fail "REST validatorsets/latest: ${rest_validators:0:300}"
rest_get /cosmos/base/node/v1beta1/status | grep -q '"app_hash":"' || fail "REST did not answer the node status"
rest_get "/depin/devices/v1/devices?pagination.limit=1" | grep -q '"pagination":' || fail "REST did not answer the paginated devices"
echo "ok: REST on 127.0.0.1:$API0 answers balances, the latest block, the validator set, the node status and the devices"
if command -v grpcurl >/dev/null 2>&1; then
  grpcurl -plaintext "127.0.0.1:$GRPC0" list | grep -qx cosmos.bank.v1beta1.Query || fail "grpcurl list on 127.0.0.1:$GRPC0 does not list cosmos.bank.v1beta1.Query"
  grpc_balance="$(grpcurl -plaintext -d "{\"address\":\"$BOB\",\"denom\":\"udpin\"}" "127.0.0.1:$GRPC0" cosmos.bank.v1beta1.Query/Balance | tr -d ' \n')" \
    || fail "grpcurl Balance on 127.0.0.1:$GRPC0 failed"
  [[ "$grpc_balance" == *'"amount":"1000012000"'* ]] || fail "gRPC balance of bob: $grpc_balance"
  echo "ok: gRPC on 127.0.0.1:$GRPC0 (grpcurl: reflection lists the services, Balance answers)"
else
  echo "skip: grpcurl is not installed (the gRPC server is covered by tests/DePinChain.Api.Tests)"
fi
if [[ -n "$EXPLORER0" && "$EXPLORER0" != 0 ]]; then
  page="$(curl -fsS --max-time 5 "http://127.0.0.1:$EXPLORER0/")" || fail "the explorer on port $EXPLORER0 did not answer"
  [[ "$page" == *"<title>DePinChain explorer</title>"* ]] || fail "the explorer's page is not served on port $EXPLORER0"
  explorer_config="$(curl -fsS --max-time 5 "http://127.0.0.1:$EXPLORER0/config.json")" || fail "the explorer has no config.json"
  [[ "$explorer_config" == *"\"api\":\"http://127.0.0.1:$API0\""* ]] || fail "the explorer's config.json does not name node0's REST: $explorer_config"
  for asset in explorer.js vendor/leaflet/leaflet.js vendor/world-atlas/countries-110m.json; do
    curl -fsS --max-time 5 -o /dev/null "http://127.0.0.1:$EXPLORER0/$asset" || fail "the explorer does not serve $asset"
  done
  cors="$(curl -fsS --max-time 5 -D - -o /dev/null -H "Origin: http://127.0.0.1:$EXPLORER0" "http://127.0.0.1:$API0/cosmos/bank/v1beta1/supply" | tr -d '\r')"
  grep -qi "^access-control-allow-origin: http://127.0.0.1:$EXPLORER0$" <<<"$cors" || fail "REST does not allow the explorer's origin: $cors"
  echo "ok: the explorer is served on http://127.0.0.1:$EXPLORER0 with Leaflet and the basemap, and REST lets it read"
else
  echo "skip: node0 serves no explorer (nodes.txt has no explorer port)"
fi

echo "== stop node3"
stop_recorded node3
before="$(rpc_height "$RPC0")"
wait_height "$RPC0" $((before + 3)) 60 || fail "chain stalled with node3 down (height $(rpc_height "$RPC0"))"
"$DEPIN" tx bank send alice "$BOB" 1udpin --chain-id "$CHAIN_ID" --node "http://127.0.0.1:$RPC0" \
  "${KEYS[@]}" --yes --broadcast-mode commit >/dev/null || fail "transfer with node3 down failed"
echo "ok: chain went on from height $before to $(rpc_height "$RPC0") without node3"
check_agreement node0 node1 node2

echo "== restart node3"
COMETBFT_BIN="$(find_cometbft)"
start_node node3 "$COMETBFT_BIN"
target="$(rpc_height "$RPC0")"
wait_height "$(node_field node3 4)" "$target" 90 || fail "node3 did not catch up to height $target"
echo "ok: node3 caught up to height $target"
check_agreement "${NODES[@]}"

echo "== DePIN: a maker, three devices, a proof of coverage, traffic and the epoch's rewards (CLI alone)"
# alice is the DePIN modules' authority (testnet init-files --authority alice --short-epochs: 30-block epochs).
NODE=(--node "http://127.0.0.1:$RPC0" --chain-id "$CHAIN_ID")
WORK="$RUN_DIR/depin-test"
rm -rf "$WORK"
mkdir -p "$WORK"
run_id="$(date +%s)"  # key and maker names are new on every run of the same localnet
maker="test-maker-$run_id"
json() { tr -d ' \n'; }
tx() { "$DEPIN" tx "$@" "${NODE[@]}" "${KEYS[@]}" --yes --broadcast-mode commit --output json | json; }
tx_height() { sed -E 's/.*"height":"([0-9]+)".*/\1/'; }
epoch_at() { "$DEPIN" query mint current-epoch --node "http://127.0.0.1:$RPC0" --height "$1" --output json | json | sed -E 's/.*"epoch":"([0-9]+)".*/\1/'; }
for key in "d1-$run_id" "d2-$run_id" "d3-$run_id" "$maker-key"; do
  "$DEPIN" device keys add "$key" "${KEYS[@]}" >/dev/null || fail "device keys add $key failed"
done
tx devices add-maker "$maker" "$maker-key" --key-type secp256k1 --fee-payer alice --from alice | grep -q '"code":0' \
  || fail "the authority could not add a maker"
# Three hotspots around Munich, 2 km apart: each signs offline, the maker countersigns, the owner (bob) submits.
for spec in "d1 48.137 11.575" "d2 48.155 11.575" "d3 48.137 11.602"; do
  read -r device lat lon <<<"$spec"
  device="$device-$run_id"
  "$DEPIN" device sign-onboarding "$device" --chain-id "$CHAIN_ID" --owner bob --maker "$maker" "${KEYS[@]}" \
    --output-document "$WORK/$device.json" || fail "device sign-onboarding $device failed"
  "$DEPIN" maker sign-onboarding "$WORK/$device.json" --key "$maker-key" "${KEYS[@]}" \
    --output-document "$WORK/$device-maker.json" || fail "maker sign-onboarding $device failed"
  tx devices onboard --device-signature "$WORK/$device.json" --maker-signature "$WORK/$device-maker.json" --from bob \
    | grep -q '"code":0' || fail "onboarding $device failed"
  tx devices assert-location "$device" "$lat" "$lon" --antenna-gain 3 --elevation-metres 20 --from bob \
    | grep -q '"code":0' || fail "asserting $device's location failed"
done
"$DEPIN" device beacon "d1-$run_id" --node "http://127.0.0.1:$RPC0" "${KEYS[@]}" >"$WORK/beacon.json" || fail "device beacon failed"
for witness in d2 d3; do
  "$DEPIN" device witness "$WORK/beacon.json" --key "$witness-$run_id" --rssi -95.5 --snr 7.2 "${KEYS[@]}" \
    --output-document "$WORK/witness-$witness.json" || fail "device witness $witness failed"
done
submitted="$(tx coverage submit-poc "$WORK/beacon.json" "$WORK/witness-d2.json" "$WORK/witness-d3.json" --from bob --gas 1000000)" || true
[[ "$submitted" == *'"code":0'* ]] || fail "submit-poc failed: $submitted"
poc_epoch="$(epoch_at "$(tx_height <<<"$submitted")")"
reports="$("$DEPIN" query coverage reports "d1-$run_id" --epoch "$poc_epoch" --node "http://127.0.0.1:$RPC0" "${KEYS[@]}" --output json | json)"
valid="$(grep -o '"verdict":0,' <<<"$reports" | wc -l)"
[[ "$reports" == *'"beacon_verdict":0,'* ]] && ((valid == 2)) || fail "expected a valid beacon and 2 valid witnesses: $reports"
echo "ok: the beacon and both witnesses are valid (epoch $poc_epoch)"

tx datacredits register-router carol "router-$run_id" --from alice | grep -q '"code":0' || fail "register-router failed"
tx datacredits buy 1000000udpin --from carol | grep -q '"code":0' || fail "buying data credits failed"
traffic="$(tx datacredits report-traffic "d1-$run_id" 1000000 --payer carol --from carol)" || true
[[ "$traffic" == *'"code":0'* ]] || fail "report-traffic failed: $traffic"
traffic_epoch="$(epoch_at "$(tx_height <<<"$traffic")")"

last_epoch="$traffic_epoch"
end="$("$DEPIN" query mint current-epoch --node "http://127.0.0.1:$RPC0" --output json | json | sed -E 's/.*"epoch_end_height":"([0-9]+)".*/\1/')"
((traffic_epoch < $(epoch_at "$(rpc_height "$RPC0")"))) || wait_height "$RPC0" $((end + 1)) 90 || fail "epoch $last_epoch did not end"
reward="$("$DEPIN" query rewards device "d1-$run_id" --epoch "$poc_epoch" --node "http://127.0.0.1:$RPC0" "${KEYS[@]}" --output json | json)"
[[ "$reward" =~ \"beacon_amount\":\"[1-9] ]] || fail "d1 earned nothing for its beacon in epoch $poc_epoch: $reward"
data="$("$DEPIN" query rewards device "d1-$run_id" --epoch "$traffic_epoch" --node "http://127.0.0.1:$RPC0" "${KEYS[@]}" --output json | json)"
[[ "$data" =~ \"data_amount\":\"[1-9] ]] || fail "d1 earned nothing for its traffic in epoch $traffic_epoch: $data"
echo "ok: d1 was paid for its beacon (epoch $poc_epoch) and its traffic (epoch $traffic_epoch)"
check_agreement "${NODES[@]}"

echo "== staking: a 5th node joins, becomes a validator, is jailed for downtime and unjailed"
# testnet init-files --short-epochs: slashing's window is 20 blocks (10 must be signed) and the jail lasts 60 s.
set_toml() { # file section key value: sets key = value in [section] ("" = the top) of a TOML file
  awk -v s="$2" -v k="$3" -v v="$4" '/^\[/ { sec = substr($0, 2, length($0) - 2) } { if (sec == s && $1 == k) { print k " = " v; next } print }' \
    "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}
validators_json() { curl -fsS --max-time 2 "http://127.0.0.1:$RPC0/validators?per_page=100" | tr -d ' \n'; }
NEW=node4
if [[ -n "$(node_field "$NEW" 2)" ]]; then stop_recorded "$NEW"; awk -v n="$NEW" '$1 != n' "$NODES_FILE" >"$NODES_FILE.tmp" && mv "$NODES_FILE.tmp" "$NODES_FILE"; fi
H4="$FILES_DIR/$NEW"
rm -rf "$H4"
base=$((STARTING_PORT + 10 * ${#NODES[@]}))
"$DEPIN" init "$NEW" --chain-id "$CHAIN_ID" --home "$H4" --abci "$ABCI" --proxy-app "127.0.0.1:$((base + 2))" >/dev/null || fail "init $NEW failed"
cp "$HOME0/config/genesis.json" "$H4/config/genesis.json"
set_toml "$H4/config/config.toml" rpc laddr "\"tcp://127.0.0.1:$((base + 1))\""
set_toml "$H4/config/config.toml" p2p laddr "\"tcp://127.0.0.1:$base\""
set_toml "$H4/config/config.toml" p2p persistent_peers "\"$(node_field node0 6)@127.0.0.1:$(node_field node0 3)\""
set_toml "$H4/config/config.toml" p2p addr_book_strict false
set_toml "$H4/config/config.toml" p2p allow_duplicate_ip true
node4_id="$("$DEPIN" comet show-node-id --home "$H4")"
set_toml "$H4/config/app.toml" grpc address "\"127.0.0.1:$((base + 3))\""
set_toml "$H4/config/app.toml" api address "\"127.0.0.1:$((base + 4))\""
printf '%s %s %s %s %s %s %s %s\n' "$NEW" "$H4" "$base" "$((base + 1))" "$((base + 2))" "$node4_id" "$((base + 3))" "$((base + 4))" >>"$NODES_FILE"
start_node "$NEW" "$COMETBFT_BIN"
RPC4="$((base + 1))"
wait_height "$RPC4" "$(rpc_height "$RPC0")" 120 || fail "$NEW did not catch up as a full node"
echo "ok: $NEW caught up as a full node"

op="val4-$run_id"
"$DEPIN" keys add "$op" "${KEYS[@]}" >/dev/null || fail "keys add $op failed"
OP="$(addr "$op")"
tx bank send alice "$OP" 20000000udpin | grep -q '"code":0' || fail "funding $op failed"
cat >"$WORK/validator.json" <<JSON
{"pubkey": $("$DEPIN" comet show-validator --home "$H4"), "amount": "10000000udpin", "moniker": "$NEW",
 "commission-rate": "0.10", "commission-max-rate": "0.20", "commission-max-change-rate": "0.01", "min-self-delegation": "1"}
JSON
created="$(tx staking create-validator "$WORK/validator.json" --from "$op")" || true
[[ "$created" == *'"code":0'* ]] || fail "create-validator failed: $created"
cons="$(tr -d ' \n' <"$H4/config/priv_validator_key.json" | sed -E 's/.*"address":"([0-9A-F]+)".*/\1/')"
for _ in $(seq 1 30); do [[ "$(validators_json)" == *"\"address\":\"$cons\""* ]] && break; sleep 1; done
[[ "$(validators_json)" == *"\"address\":\"$cons\",\"pub_key\""*'"voting_power":"10"'* ]] || fail "CometBFT's /validators does not list $NEW with power 10: $(validators_json)"
h="$(rpc_height "$RPC0")"
wait_height "$RPC0" $((h + 3)) 30 || fail "chain stalled after $NEW joined"
commit="$(curl -fsS "http://127.0.0.1:$RPC0/commit?height=$((h + 2))" | tr -d ' \n')"
[[ "$commit" == *"\"validator_address\":\"$cons\""* ]] || fail "$NEW did not sign block $((h + 2))"
echo "ok: $NEW is a validator (power 10) and signs blocks"

VALOPER="$("$DEPIN" query staking validator "$op" --node "http://127.0.0.1:$RPC0" "${KEYS[@]}" --output json | json | sed -E 's/.*"operator_address":"([a-z0-9]+)".*/\1/')"
tx staking delegate "$VALOPER" 5000000udpin --from bob | grep -q '"code":0' || fail "bob could not delegate to $NEW"
wait_height "$RPC0" $(($(rpc_height "$RPC0") + 3)) 30 || fail "chain stalled"
withdrawn="$(tx distribution withdraw-rewards "$VALOPER" --from bob)" || true
[[ "$withdrawn" == *'"code":0'* ]] || fail "bob could not withdraw his rewards: $withdrawn"
echo "ok: bob delegated to $NEW and withdrew rewards"

stop_recorded "$NEW"
jailed=""
for _ in $(seq 1 120); do
  jailed="$("$DEPIN" query staking validator "$VALOPER" --node "http://127.0.0.1:$RPC0" --output json | json)"
  [[ "$jailed" == *'"jailed":true'* ]] && break
  sleep 1
done
[[ "$jailed" == *'"jailed":true'* ]] || fail "$NEW was not jailed after missing the signing window: $jailed"
for _ in $(seq 1 10); do [[ "$(validators_json)" != *"\"address\":\"$cons\""* ]] && break; sleep 1; done
[[ "$(validators_json)" != *"\"address\":\"$cons\""* ]] || fail "jailed $NEW is still in CometBFT's validator set"
echo "ok: $NEW was jailed for downtime and left the set"

start_node "$NEW" "$COMETBFT_BIN"
wait_height "$RPC4" "$(rpc_height "$RPC0")" 120 || fail "$NEW did not catch up after its restart"
sleep 61  # the downtime jail (60 s on this localnet)
unjailed="$(tx slashing unjail --from "$op")" || true
[[ "$unjailed" == *'"code":0'* ]] || fail "unjail failed: $unjailed"
for _ in $(seq 1 30); do [[ "$(validators_json)" == *"\"address\":\"$cons\""* ]] && break; sleep 1; done
[[ "$(validators_json)" == *"\"address\":\"$cons\""* ]] || fail "$NEW is not back in the set after unjail"
echo "ok: $NEW unjailed and back in the set"
stop_recorded "$NEW"
