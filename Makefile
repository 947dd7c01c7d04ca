# The two commands: `make up` (run the suite locally) and `make test`.
#   make up    installs what the product needs (scripts/install-deps.sh
#              --product), builds only what up.sh runs (the `product` target:
#              the services, gateway, simulator, ttads-health, ttadsctl) and
#              starts it; no tests, benchmarks, clang or wrk.
#   make test  installs everything, builds everything and runs every test.
BUILD_DIR ?= build
JOBS ?= 2
BUILD_TYPE ?= RelWithDebInfo

.PHONY: deps deps-product configure configure-product build build-product \
        test up down status clean format

deps:
	@bash scripts/install-deps.sh

deps-product:
	@bash scripts/install-deps.sh --product

# ccache is used when the machine has it (CI does not need it).
LAUNCHER := $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache,)
CMAKE_BASE := cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(LAUNCHER)

# Tests and benchmarks on: everything `make test` needs.
configure: deps
	@$(CMAKE_BASE) -DTTADS_BUILD_TESTS=ON -DTTADS_BUILD_BENCH=ON >/dev/null

# A build directory made by `make up` first has tests and benchmarks off (so
# configuring needs no GoogleTest); one `make test` has configured keeps its
# settings, and `make up` still builds only the product there.
configure-product: deps-product
	@$(CMAKE_BASE) $(if $(wildcard $(BUILD_DIR)/CMakeCache.txt),,-DTTADS_BUILD_TESTS=OFF -DTTADS_BUILD_BENCH=OFF) >/dev/null

build: configure
	@ninja -C $(BUILD_DIR) -j$(JOBS)

build-product: configure-product
	@ninja -C $(BUILD_DIR) -j$(JOBS) product

# Builds and runs every test (unit, service, black-box, manifest validation).
test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j3 --timeout 300

# Brings the whole suite up on localhost and prints how to call it.
up: build-product
	@bash scripts/up.sh $(BUILD_DIR)

down:
	@bash scripts/down.sh

status:
	@bash scripts/status.sh

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
