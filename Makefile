# Thin wrappers over CMake for the README's quick start. CMake is the build; this is a shortcut.
BUILD ?= build
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all build demo test format check-format bench clean deps

all: build

deps:
	scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j$(JOBS)

# Builds, then shows the built-in demo exporter: what the tool prints for a real service.
demo: deps build
	$(BUILD)/e2e3d-metrics show --demo

# Builds and runs every test.
test: deps build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

check-format:
	scripts/check-format.sh

bench: build
	bench/parse_bench.sh

clean:
	rm -rf $(BUILD)
