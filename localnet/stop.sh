#!/usr/bin/env bash
# Stops the localnet processes recorded in localnet/.run/pids, and nothing else.
set -euo pipefail
# shellcheck source=localnet/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ ! -s "$PIDS_FILE" ]]; then
  echo "no localnet running (no $PIDS_FILE)"
  exit 0
fi
count="$(wc -l <"$PIDS_FILE")"
stop_recorded ""
echo "stopped $count localnet processes"
