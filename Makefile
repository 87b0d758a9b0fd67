# The two commands a new user needs: `make demo` and `make test`.
# Both install any missing Debian packages first (scripts/install-deps).
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all deps configure build test demo format check_format asan clean

all: build

deps:
	@scripts/install-deps

# Configured every time (it takes a second), so BUILD_TYPE and CMAKE_FLAGS
# always hold for the build that follows.
configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS) >/dev/null

build: configure
	cmake --build $(BUILD_DIR) -j$(JOBS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

# The main job on the bundled sample: a team lead's pick-up list for the South
# team against the sample capacity, as of the published scenario's date; then
# the chief operating officer's summary, and the whole list scored to a file.
DEMO = $(BUILD_DIR)/reablement
DEMO_ARGS = sample-data/referrals.csv --as-of 2019-12-16
demo: build
	@echo '$$ reablement rank $(DEMO_ARGS) --team South --capacity sample-data/capacity.toml --top 12'
	@$(DEMO) rank $(DEMO_ARGS) --team South --capacity sample-data/capacity.toml --top 12 -q
	@echo
	@echo '$$ reablement summary $(DEMO_ARGS) --capacity sample-data/capacity.toml --pickups-per-week 10'
	@$(DEMO) summary $(DEMO_ARGS) --capacity sample-data/capacity.toml --pickups-per-week 10 -q
	@echo
	@mkdir -p $(BUILD_DIR)/demo
	@echo '$$ reablement score $(DEMO_ARGS) -o $(BUILD_DIR)/demo/referrals-scored.csv'
	@$(DEMO) score $(DEMO_ARGS) -o $(BUILD_DIR)/demo/referrals-scored.csv

format: configure
	cmake --build $(BUILD_DIR) --target format

check_format: configure
	cmake --build $(BUILD_DIR) --target check_format

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	$(MAKE) test BUILD_DIR=build-asan BUILD_TYPE=Debug \
	  CMAKE_FLAGS="-DENABLE_SANITIZER_ADDRESS=ON -DENABLE_SANITIZER_UNDEFINED=ON"

clean:
	rm -rf $(BUILD_DIR) build-asan
