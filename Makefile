# The two commands: `make up` (run the suite locally) and `make test`.
BUILD_DIR ?= build
JOBS ?= 2
BUILD_TYPE ?= RelWithDebInfo

.PHONY: deps configure build test up down status clean format

deps:
	@bash scripts/install-deps.sh

# ccache is used when the machine has it (CI does not need it).
LAUNCHER := $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache,)

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(LAUNCHER) >/dev/null

build: configure
	@ninja -C $(BUILD_DIR) -j$(JOBS)

# Builds and runs every test (unit, service, black-box, manifest validation).
test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j3 --timeout 300

# Brings the whole suite up on localhost and prints how to call it.
up: build
	@bash scripts/up.sh $(BUILD_DIR)

down:
	@bash scripts/down.sh

status:
	@bash scripts/status.sh

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
