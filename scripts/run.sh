#!/usr/bin/env bash
# The main job: set up, build, convert a real bank statement to clean CSV and JSON, then start
# bankflow-server (SQLite and the in-process queue, data in build/bankflow-data) in the foreground.
#   bash scripts/run.sh                       convert the sample, show it, serve http://127.0.0.1:8080
#   bash scripts/run.sh convert FILE --to json   run any bankflow command after set-up
# BANKFLOW_LISTEN, BANKFLOW_DATA_DIR and the other BANKFLOW_* variables configure the server.
source "$(dirname "$0")/setup.sh"
ensure_packages "${BASE_PACKAGES[@]}"
build bankflow_cli bankflow_server
bankflow=$BUILD_DIR/apps/cli/bankflow
server=$BUILD_DIR/apps/server/bankflow-server

# the server's data directory, also for commands: `bash scripts/run.sh accounts create …` writes
# into the database of the server this script starts
export BANKFLOW_DATA_DIR=${BANKFLOW_DATA_DIR:-$BUILD_DIR/bankflow-data}

if [ $# -gt 0 ]; then
  exec "$bankflow" "$@"
fi

sample=$BANKFLOW_ROOT/tests/corpus/bb/bb-ofx-2017-two-statements-cp1252.ofx
out=$(mktemp)
trap 'rm -f "$out"' EXIT
log "bankflow detect $sample"
"$bankflow" detect "$sample"
# whole outputs to a file first: `| head` would end bankflow with SIGPIPE under pipefail
log "bankflow convert $sample   (normalized CSV, first rows)"
"$bankflow" convert "$sample" >"$out"
head -n 6 "$out"
log "bankflow convert --to json $sample   (first lines)"
"$bankflow" convert --to json "$sample" >"$out"
head -n 9 "$out"
cat <<MSG

The bankflow command is at $bankflow. Try:
  $bankflow convert YOUR-EXTRATO.ofx -o limpo.csv
  $bankflow convert YOUR-EXTRATO.ofx --excel-br -o planilha.csv
  $bankflow banks

MSG
listen=${BANKFLOW_LISTEN:-127.0.0.1:8080}
log "bankflow-server on http://$listen  (web app at /, the API under /api/v1; README shows a curl session; Ctrl-C stops it)"
exec "$server"
