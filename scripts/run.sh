#!/usr/bin/env bash
# The main job: set up, build, and convert a real bank statement to clean CSV and JSON.
#   bash scripts/run.sh                       convert the sample and show the result
#   bash scripts/run.sh convert FILE --to json   run any bankflow command after set-up
source "$(dirname "$0")/setup.sh"
ensure_packages "${BASE_PACKAGES[@]}"
build bankflow_cli
bankflow=$BUILD_DIR/apps/cli/bankflow

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
