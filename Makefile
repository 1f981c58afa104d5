# Thin wrapper around CMake (as neovim has). The real build is CMakeLists.txt.
#   make          build into build/
#   make setup    install the Debian packages for building and testing (sudo when not root)
#   make setup-run  only what building and running the kiosk needs
#   make demo     set up, build and start the kiosk on embedded defaults
#   make test     set up, build and run every test
#   make test-asan  the same with AddressSanitizer + UndefinedBehaviorSanitizer
#   make fuzz     run each libFuzzer target for FUZZ_SECONDS (default 60);
#                 FUZZ_RUNS=N instead runs N inputs from a fixed seed (CI)
#   make bench    build and run the benchmarks in tests/bench/
BUILD ?= build
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?=

.PHONY: all setup setup-run build demo test test-asan fuzz bench format clean

all: build

setup:
	@bash -c '. tests/lib/deps.sh && deps_install test'

setup-run:
	@bash -c '. tests/lib/deps.sh && deps_install run'

build:
	cmake -S . -B $(BUILD) -DKIOSK_WERROR=ON >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

demo: setup-run build
	./$(BUILD)/kiosk run

test: setup build
	bash tests/lib/run-all.sh $(BUILD)

test-asan: setup
	cmake -S . -B $(BUILD)-asan -DKIOSK_WERROR=ON -DKIOSK_SANITIZE=ON \
	  -DCMAKE_BUILD_TYPE=Debug >/dev/null
	cmake --build $(BUILD)-asan -j $(JOBS)
	bash tests/lib/run-all.sh $(BUILD)-asan

fuzz: setup
	CC=clang cmake -S . -B $(BUILD)-fuzz -DKIOSK_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	cmake --build $(BUILD)-fuzz -j $(JOBS)
	FUZZ_RUNS=$(FUZZ_RUNS) bash tests/fuzz/run.sh $(BUILD)-fuzz $(FUZZ_SECONDS)

bench: build
	bash tests/bench/run.sh $(BUILD)

format:
	clang-format -i kiosk/*.c kiosk/*/*.c kiosk/*/*.h tests/*.c tests/*/*.c

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-fuzz
