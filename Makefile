# daxbench: DAX page-fault paths, measured.  See README.md.
#
# Caches (kernel sources, builds, images, runs) live outside the repository
# in DAXBENCH_CACHE (default ~/.cache/daxbench); CI reuses them when warm.
SHELL := /bin/bash
export DAXBENCH_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/daxbench
VARIANTS := $(patsubst kernels/%.conf,%,$(filter-out kernels/base.conf,$(wildcard kernels/*.conf)))
REFERENCE := $(shell . kernels/base.conf && echo "$$REFERENCE_VARIANT")
RUN ?= latest
MAIL_RUN ?= ref-full

.PHONY: all deps source kernels initramfs bench tools bench-all bench-quick fault-profile report \
	bench-apps bench-threads gate compare baseline rebase-base mail test test-full test-unit test-harness test-kernel shellcheck clean

all: bench

deps:
	scripts/deps.sh

source:
	scripts/kernel-source.sh

kernels:
	for v in $(VARIANTS); do scripts/kernel-build.sh $$v || exit 1; done

kernel-%:
	scripts/kernel-build.sh $*

initramfs:
	scripts/initramfs.sh

bench:
	$(MAKE) -s -C bench

# host tools that measure (the QEMU plugin of fault-profile)
tools:
	$(MAKE) -C tools

bench-all: bench
	scripts/bench-all.sh --matrix configs/matrix-full $(if $(BENCH_RUN),--run $(BENCH_RUN))

bench-quick: bench
	scripts/bench-all.sh --matrix configs/matrix-quick $(if $(BENCH_RUN),--run $(BENCH_RUN))

bench-apps: bench
	scripts/bench-all.sh --matrix configs/matrix-apps $(if $(BENCH_RUN),--run $(BENCH_RUN))

bench-threads: bench
	scripts/bench-all.sh --matrix configs/matrix-threads $(if $(BENCH_RUN),--run $(BENCH_RUN))

# icount profiles of the re-fault cells: where each kernel's instructions go
fault-profile: bench tools
	scripts/fault-profile.sh

report:
	scripts/report.sh $(RUN)

gate:
	scripts/gate.sh $(RUN)

compare:
	scripts/compare.sh $(A) $(B)

rebase-base:
	scripts/rebase-base.sh $(VERSION)

baseline: bench
	scripts/baseline.sh

mail:
	for v in $(filter-out $(REFERENCE),$(VARIANTS)); do scripts/mail.sh $$v $(MAIL_RUN) || exit 1; done

test:
	tests/run.sh

test-full:
	DAXBENCH_TEST_MODE=full tests/run.sh

test-unit:
	DAXBENCH_TEST_KERNEL=0 DAXBENCH_TEST_HARNESS=0 tests/run.sh

test-harness:
	DAXBENCH_TEST_KERNEL=0 tests/run.sh

shellcheck:
	tests/run.sh lint

clean:
	$(MAKE) -s -C bench clean
	$(MAKE) -s -C tests/unit clean
	$(MAKE) -s -C tools clean
