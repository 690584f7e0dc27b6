# Check every KTAP plan in a correctness job's result.tsv against the
# results that follow it: one line per program (and filesystem) whose
# count of "ok"/"not ok" results differs from its plan, or that printed
# results without a plan.  No output when every plan is met.
#
# input: result.tsv rows  <fs> TAB ktap TAB <program> TAB <KTAP line>
# usage: awk -f ktap-plan.awk result.tsv
BEGIN { FS = "\t" }

$2 == "ktap" {
	k = $1 " " $3
	if (!(k in seen))
		order[++nk] = k
	seen[k] = 1
	if ($4 ~ /^1\.\.[0-9]+$/)
		plan[k] = substr($4, 4) + 0
	else if ($4 ~ /^(not )?ok [0-9]+( |$)/)
		n[k]++
}

END {
	for (i = 1; i <= nk; i++) {
		k = order[i]
		if (!(k in plan))
			print k ": " n[k] + 0 " results and no KTAP plan"
		else if (n[k] + 0 != plan[k])
			print k ": plan 1.." plan[k] ", " n[k] + 0 " results"
	}
}
