#!/usr/bin/env bash
# Remake the gate's baseline: run configs/matrix-quick on every variant,
# report it, and put the report in reports/baseline (whole or not at all).
#
# usage: baseline.sh [RUN_ID]
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

main() {
	local id=${1:-baseline-quick-$(date -u +%Y%m%dT%H%M%SZ)} reports=$REPORTS_DIR old
	# --force: a baseline is measured now, never resumed from older boots
	"$DAXBENCH_TOP/scripts/bench-all.sh" --matrix "$CONFIGS_DIR/matrix-quick" --run "$id" --force >/dev/null
	DAXBENCH_REPORTS=$reports/.baseline-new "$DAXBENCH_TOP/scripts/report.sh" "$id"
	old=$(mktemp -d "$reports/.baseline-old.XXXXXX")
	[ ! -d "$reports/baseline" ] || mv "$reports/baseline" "$old/"
	mv "$reports/.baseline-new/$id" "$reports/baseline"
	rm -rf "$old" "$reports/.baseline-new"
	log "reports/baseline is now run $id; commit it"
}

main "$@"
