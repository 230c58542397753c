# shellcheck shell=bash
# Shared helpers for the localnet scripts; sourced, never run directly.
# Layout: localnet/.run/files (testnet init-files output), .run/logs, .run/pids ("name role pid" lines).

LOCALNET_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$LOCALNET_DIR/.." && pwd)"
# LOCALNET_RUN_DIR lets two localnets run side by side (localnet/ibc.sh: one directory per chain).
RUN_DIR="${LOCALNET_RUN_DIR:-$LOCALNET_DIR/.run}"
FILES_DIR="$RUN_DIR/files"
LOG_DIR="$RUN_DIR/logs"
PIDS_FILE="$RUN_DIR/pids"
NODES_FILE="$FILES_DIR/nodes.txt"
BIN_DIR="$ROOT_DIR/build/bin"
CHAIN_ID="${CHAIN_ID:-depinchain-localnet}"
STARTING_PORT="${STARTING_PORT:-26656}"
# How each node's CometBFT reaches its app: socket or grpc (testnet init-files --abci).
ABCI="${ABCI:-socket}"

# The CometBFT release start.sh downloads when no binary is found (v0.38.x: ABCI 2.0).
COMETBFT_VERSION="0.38.25"

log() { printf '%s\n' "$*" >&2; }
die() { log "localnet: $*"; exit 1; }

# depinchaind: $DEPINCHAIND if set, else the build output of app/DePinChain.Node.
depinchaind_path() {
  if [[ -n "${DEPINCHAIND:-}" ]]; then
    printf '%s\n' "$DEPINCHAIND"
  else
    printf '%s\n' "$ROOT_DIR/build/depinchaind/depinchaind"
  fi
}

build_depinchaind() {
  if [[ -n "${DEPINCHAIND:-}" ]]; then
    [[ -x "$DEPINCHAIND" ]] || die "DEPINCHAIND=$DEPINCHAIND is not an executable"
    return
  fi
  [[ -f "$ROOT_DIR/app/DePinChain.Node/DePinChain.Node.csproj" ]] || die "app/DePinChain.Node is missing; cannot build depinchaind"
  command -v dotnet >/dev/null 2>&1 || die "dotnet is not installed (run scripts/setup.sh)"
  log "building depinchaind (dotnet build app/DePinChain.Node -c Release)"
  dotnet build "$ROOT_DIR/app/DePinChain.Node" -c Release -o "$ROOT_DIR/build/depinchaind" -nologo -clp:ErrorsOnly >&2 \
    || die "building depinchaind failed"
  [[ -x "$(depinchaind_path)" ]] || die "build did not produce $(depinchaind_path)"
}

os_and_arch() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) die "no CometBFT release for $(uname -s); build cometbft v0.38.x yourself and set COMETBFT=" ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64 ;;
    armv7l | armv6l) arch=arm ;;
    *) die "no CometBFT release for CPU $(uname -m); build cometbft v0.38.x yourself and set COMETBFT=" ;;
  esac
  printf '%s_%s\n' "$os" "$arch"
}

sha256_check() {
  # Reads "hash  file" lines on stdin, checks them in the current directory.
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum -c -
  else
    shasum -a 256 -c -
  fi
}

# Downloads the pinned release into build/bin and checks it against the release's checksum file.
download_cometbft() {
  command -v curl >/dev/null 2>&1 || die "curl is needed to download CometBFT; or set COMETBFT=/path/to/cometbft"
  local platform archive base tmp sums
  platform="$(os_and_arch)"
  archive="cometbft_${COMETBFT_VERSION}_${platform}.tar.gz"
  # COMETBFT_RELEASE_URL points at a mirror holding the same files (tests use an unreachable one).
  base="${COMETBFT_RELEASE_URL:-https://github.com/cometbft/cometbft/releases/download/v${COMETBFT_VERSION}}"
  tmp="$(mktemp -d)"
  # shellcheck disable=SC2064 # expand $tmp now: it is local to this function
  trap "rm -rf '$tmp'" RETURN
  if ! curl -fsSL --connect-timeout 10 --max-time 300 -o "$tmp/$archive" "$base/$archive" 2>/dev/null; then
    log "localnet: no cometbft found and cannot download CometBFT v${COMETBFT_VERSION} from ${base%%/releases/*} (no network?); set COMETBFT=/path/to/cometbft (v0.38.x)"
    exit 1
  fi
  # CometBFT's goreleaser names the file SHA256SUMS-<version>.txt; also accept goreleaser's default name.
  sums=""
  for name in "SHA256SUMS-${COMETBFT_VERSION}.txt" "cometbft_${COMETBFT_VERSION}_checksums.txt"; do
    if curl -fsSL --connect-timeout 10 --max-time 60 -o "$tmp/sums.txt" "$base/$name" 2>/dev/null; then
      sums="$tmp/sums.txt"
      break
    fi
  done
  [[ -n "$sums" ]] || die "downloaded $archive but found no checksum file in release v${COMETBFT_VERSION}; refusing to use it"
  grep -E "[[:space:]]\*?${archive}\$" "$sums" >"$tmp/expected.txt" || die "$archive is not listed in the release checksums"
  (cd "$tmp" && sha256_check <expected.txt >/dev/null) || die "checksum mismatch for $archive; refusing to use it"
  tar -xzf "$tmp/$archive" -C "$tmp" cometbft || die "$archive has no cometbft binary"
  mkdir -p "$BIN_DIR"
  install -m 0755 "$tmp/cometbft" "$BIN_DIR/cometbft"
  log "installed CometBFT v${COMETBFT_VERSION} (checksum verified) at $BIN_DIR/cometbft"
}

# cometbft: $COMETBFT, then PATH, then build/bin, else download the pinned release.
find_cometbft() {
  local candidate=""
  if [[ -n "${COMETBFT:-}" ]]; then
    [[ -x "$COMETBFT" ]] || die "COMETBFT=$COMETBFT is not an executable"
    candidate="$COMETBFT"
  elif command -v cometbft >/dev/null 2>&1; then
    candidate="$(command -v cometbft)"
  elif [[ -x "$BIN_DIR/cometbft" ]]; then
    candidate="$BIN_DIR/cometbft"
  else
    download_cometbft
    candidate="$BIN_DIR/cometbft"
  fi
  local version
  version="$("$candidate" version 2>/dev/null | head -n 1)" || die "$candidate does not run"
  [[ "$version" == 0.38.* || "$version" == v0.38.* ]] || die "$candidate is CometBFT '$version'; DePinChain needs v0.38.x (ABCI 2.0)"
  printf '%s\n' "$candidate"
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_port() {
  local port="$1" seconds="$2" what="$3" i
  for ((i = 0; i < seconds * 4; i++)); do
    port_open "$port" && return 0
    sleep 0.25
  done
  die "$what did not open port $port within ${seconds}s (see $LOG_DIR)"
}

# Latest block height reported by the CometBFT RPC on port $1 (empty when unreachable).
rpc_height() {
  curl -fsS --max-time 2 "http://127.0.0.1:$1/status" 2>/dev/null \
    | tr -d ' \n' | sed -n 's/.*"latest_block_height":"\([0-9]*\)".*/\1/p'
}

# App hash in the header of block $2 on the node whose RPC port is $1.
rpc_app_hash() {
  curl -fsS --max-time 2 "http://127.0.0.1:$1/block?height=$2" 2>/dev/null \
    | tr -d ' \n' | sed -n 's/.*"app_hash":"\([0-9A-Fa-f]*\)".*/\1/p'
}

rpc_peers() {
  curl -fsS --max-time 2 "http://127.0.0.1:$1/net_info" 2>/dev/null \
    | tr -d ' \n' | sed -n 's/.*"n_peers":"\([0-9]*\)".*/\1/p'
}

wait_height() {
  local port="$1" target="$2" seconds="$3" i height
  for ((i = 0; i < seconds * 2; i++)); do
    height="$(rpc_height "$port")"
    if [[ -n "$height" ]] && ((height >= target)); then
      return 0
    fi
    sleep 0.5
  done
  return 1
}

# Fields of nodes.txt: name home p2p_port rpc_port abci_port node_id grpc_port api_port explorer_port
node_field() {
  local name="$1" column="$2"
  [[ -f "$NODES_FILE" ]] || die "no localnet files ($NODES_FILE); run localnet/start.sh"
  awk -v n="$name" -v c="$column" '$1 == n { print $c }' "$NODES_FILE"
}

node_names() {
  [[ -f "$NODES_FILE" ]] || die "no localnet files ($NODES_FILE); run localnet/start.sh"
  awk '!/^#/ { print $1 }' "$NODES_FILE"
}

pid_alive() { kill -0 "$1" 2>/dev/null; }

# The ABCI transport (socket or grpc) node $1's config.toml sets, empty when unknown.
node_abci() {
  local config
  config="$(node_field "$1" 2)/config/config.toml"
  [[ -f "$config" ]] || return 0
  sed -n 's/^abci[[:space:]]*=[[:space:]]*"\([a-z]*\)".*/\1/p' "$config" | head -n 1
}

# Starts node $1's app and CometBFT in the background and records their PIDs.
start_node() {
  local name="$1" cometbft="$2" home abci rpc pid
  home="$(node_field "$name" 2)"
  abci="$(node_field "$name" 5)"
  rpc="$(node_field "$name" 4)"
  mkdir -p "$LOG_DIR"
  port_open "$abci" && die "port $abci (abci of $name) is already in use"
  nohup "$(depinchaind_path)" start --home "$home" >>"$LOG_DIR/$name-app.log" 2>&1 &
  pid=$!
  printf '%s app %s\n' "$name" "$pid" >>"$PIDS_FILE"
  wait_port "$abci" 60 "depinchaind of $name"
  nohup "$cometbft" start --home "$home" >>"$LOG_DIR/$name-cometbft.log" 2>&1 &
  pid=$!
  printf '%s cometbft %s\n' "$name" "$pid" >>"$PIDS_FILE"
  wait_port "$rpc" 60 "cometbft of $name"
}

# Starts the simulated fleet (depinchaind simulate fleet) against the RPC on port $1, with node home $2's test keyring:
# alice is the genesis authority (adds the maker, registers the routers), bob funds owners and routers. Knobs:
# FLEET_DEVICES (200), FLEET_SEED (1), FLEET_CENTER (Berlin, 52.520008,13.404954), FLEET_RADIUS_KM (10), FLEET_CHEATERS (0.1).
start_fleet() {
  local rpc="$1" home="$2" pid
  mkdir -p "$LOG_DIR"
  nohup "$(depinchaind_path)" simulate fleet --node "http://127.0.0.1:$rpc" --home "$home" --keyring-backend test \
    --authority alice --funder bob --devices "${FLEET_DEVICES:-200}" --seed "${FLEET_SEED:-1}" \
    --center "${FLEET_CENTER:-52.520008,13.404954}" --radius-km "${FLEET_RADIUS_KM:-10}" --cheaters "${FLEET_CHEATERS:-0.1}" \
    >>"$LOG_DIR/fleet.log" 2>&1 &
  pid=$!
  printf 'fleet sim %s\n' "$pid" >>"$PIDS_FILE"
}

# PID of the recorded fleet simulator (empty when none is recorded).
fleet_pid() {
  [[ -f "$PIDS_FILE" ]] || return 0
  awk '$2 == "sim" { print $3 }' "$PIDS_FILE"
}

# Stops the processes recorded for node $1 (or every node when $1 is empty); never anything else.
stop_recorded() {
  local only="${1:-}" name role pid remaining=""
  [[ -f "$PIDS_FILE" ]] || return 0
  # The fleet first (it prints its summary on SIGTERM), then CometBFT, so it does not log the app's disappearance as an error.
  for wanted in sim cometbft app; do
    while read -r name role pid; do
      [[ -n "$pid" && "$role" == "$wanted" ]] || continue
      [[ -z "$only" || "$name" == "$only" ]] || continue
      if pid_alive "$pid"; then
        kill "$pid" 2>/dev/null || true
      fi
    done <"$PIDS_FILE"
  done
  # Wait up to 10 s for them to exit, then force.
  local i
  for ((i = 0; i < 40; i++)); do
    remaining=""
    while read -r name role pid; do
      [[ -n "$pid" ]] || continue
      [[ -z "$only" || "$name" == "$only" ]] || continue
      pid_alive "$pid" && remaining="$remaining $pid"
    done <"$PIDS_FILE"
    [[ -z "$remaining" ]] && break
    sleep 0.25
  done
  for pid in $remaining; do
    kill -9 "$pid" 2>/dev/null || true
  done
  if [[ -n "$only" ]]; then
    awk -v n="$only" '$1 != n' "$PIDS_FILE" >"$PIDS_FILE.tmp" && mv "$PIDS_FILE.tmp" "$PIDS_FILE"
  else
    rm -f "$PIDS_FILE"
  fi
}
