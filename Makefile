# tradewar - top-level entry points.  Each target installs what is missing
# (scripts/install-deps), then builds with CMake.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX     ?= /usr/local
TW         := $(BUILD)/tradewar
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60

.PHONY: all deps build run test test-fast test-asan bench stress install clean fuzz load lint calibrate world2023

all: build

deps:
	@bash scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=$(PREFIX)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	@bash scripts/run-main

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory test-asan
	$(MAKE) --no-print-directory lint

test-fast: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTW_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  TW_TEST_LEVEL=asan ctest --output-on-failure -j $(JOBS)

bench: build
	@bash bench/run

# docs/calibration.md: each named elasticity set's answers beside published ones
calibrate: build
	/usr/bin/python3 scripts/calibrate --tradewar $(TW)

# data/world2023 rebuilt from data/world2011 and data/sources
world2023: build
	bash scripts/build-world2023 --tradewar $(TW)

# 10,000 random scenarios (make test runs 300 of them); replay one with
# TW_STRESS_SEED=S TW_STRESS_FIRST=K TW_STRESS_CASES=1 build/test_stress
stress: build
	cd $(BUILD) && TW_STRESS_CASES=$${TW_STRESS_CASES:-10000} ./test_stress

# libFuzzer targets (clang; fuzz/Makefile), each run for FUZZ_SECONDS; fails on
# any crash, leak, timeout or broken property (docs/testing.md)
fuzz:
	@bash scripts/install-deps fuzz
	$(MAKE) --no-print-directory -C fuzz OUT=$(abspath $(FUZZ_BUILD)) -j $(JOBS)
	$(MAKE) --no-print-directory -C fuzz OUT=$(abspath $(FUZZ_BUILD)) seeds
	bash fuzz/run.sh $(abspath $(FUZZ_BUILD)) $(FUZZ_SECONDS)

# the server under load: 50 clients for 60 s (make test runs 20 for 10 s)
load: build
	LOAD_CLIENTS=$${LOAD_CLIENTS:-50} LOAD_SECONDS=$${LOAD_SECONDS:-60} \
	  bash tests/server/load.sh $(TW)

# cppcheck and clang-tidy on src/ cli/ server/ (scripts/lint); part of make test
lint: build
	@bash scripts/lint $(BUILD)

# configured again each time, so PREFIX holds even for a build tree made
# with another one (the installed data directory is compiled in)
install: deps $(BUILD)/CMakeCache.txt
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
