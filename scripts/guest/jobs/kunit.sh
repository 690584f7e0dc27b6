#!/bin/sh
# KUnit results of a kernel built with the kunit flavour
# (configs/kunit.config): the suites ran at boot; each suite's KTAP log
# (debugfs, CONFIG_KUNIT_DEBUGFS) goes to the result channel as
#   kunit TAB ktap TAB <suite> TAB <KTAP line>
# No suite at all is an error: the flavour did not build them in.
n=0
for r in /sys/kernel/debug/kunit/*/results; do
	[ -f "$r" ] || continue
	suite=${r%/results}
	suite=${suite##*/}
	n=$((n + 1))
	awk -v s="$suite" 'BEGIN { OFS = "\t" } { print "kunit", "ktap", s, $0 }' "$r"
done
[ "$n" -gt 0 ] || gdie "no KUnit suite in /sys/kernel/debug/kunit (CONFIG_KUNIT_DEBUGFS and a test built in?)"
