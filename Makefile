# ctip: the two commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
JOBS ?= $(shell nproc)
# Compiles one job more than there are cores: a core waiting on I/O or a link still has work.
BUILD_JOBS ?= $(shell echo $$(( $$(nproc) + 1 )))
DATA ?= ./ctip-data
PORT ?= 8080
# Debian's python3 (with python3-jsonschema and python3-yaml) even when another one is first on
# the PATH.
PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)
# Where the servers under test record their API answers (CTIP_API_RECORD) for openapi-check.
API_RECORD := $(CURDIR)/build/api-record

.PHONY: demo test build web deps test-deps cpp-build cpp-test asan-build asan-test format-check e2e \
        bench format clean typecheck openapi-check openapi-selftest node18-check tidy fuzz-build fuzz

## demo: install what is missing, build Release, load demo data into $(DATA), serve on :$(PORT)
demo: build
	./build-release/ctip demo --data $(DATA) --port $(PORT)

## build: the binary at build-release/ctip and the front end at web/dist (each preset has its
## own build folder: release build-release/, ci build/, asan build-asan/)
build: deps web
	cmake --preset release >/dev/null
	cmake --build build-release -j$(JOBS)

deps:
	@bash scripts/install-deps.sh build

web: deps
	cd web && npm run build --silent

## test: warnings as errors, unit + integration tests (store tests on SQLite and PostgreSQL),
## sanitizers, format check, browser tests, the TypeScript typecheck, the OpenAPI check and the
## front-end build on Node 18
# scripts/make-test.sh runs the targets below in two lanes: the ci build and the tests in the
# foreground; asan-build, fuzz-build and tidy, which only need the ci build's configuration, one
# after another in the background at idle priority, on the cores that the tests leave idle.
# Inside make test, Node 18 type-checks and builds the front end; the browser tests run once
# (e2e). `make node18-check` alone also runs them under Node 18.
test:
	@MAKE="$(MAKE)" bash scripts/make-test.sh

test-deps:
	@bash scripts/install-deps.sh test

# Every test, the store-using ones twice: on SQLite and (label pg) on a throw-away PostgreSQL
# that scripts/with-postgres.sh starts for the run and removes afterwards.
cpp-build: test-deps
	cmake --preset ci >/dev/null
	cmake --build build -j$(BUILD_JOBS)

cpp-test: cpp-build
	rm -rf $(API_RECORD)/ctest && mkdir -p $(API_RECORD)/ctest
	CTIP_API_RECORD_DIR=$(API_RECORD)/ctest bash scripts/with-postgres.sh ctest --preset ci -j$(JOBS)

asan-build: test-deps
	cmake --preset asan >/dev/null
	cmake --build build-asan -j$(BUILD_JOBS) --target unit_tests

asan-test: asan-build
	ctest --preset asan -j$(JOBS)

## fuzz: the libFuzzer targets of fuzz/ (clang-19, ASan, UBSan; only they and the libraries they
## link are built), each run for FUZZ_SECONDS from its seed corpus; prints executions per target
FUZZ_SECONDS ?= 8
fuzz-build: test-deps
	CMAKE_CXX_COMPILER_LAUNCHER=ccache cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j$(BUILD_JOBS)

fuzz: fuzz-build
	bash fuzz/run.sh $(FUZZ_SECONDS)

format-check:
	@files=$$(git ls-files 'src/*.cpp' 'src/*.h' 'bench/*.cpp' 'bench/*.h'); \
	clang-format --dry-run --Werror $$files && echo "clang-format: $$(echo $$files | wc -w) files clean"

## tidy: clang-tidy-19 (.clang-tidy: bugprone, performance, analyzer) over every non-test source,
## on the compile commands of the ci build, one translation unit per library
## (scripts/tidy_units.py says why); any finding fails. It needs the ci build's configuration only.
# make test configures the ci build before and passes TIDY_CONFIGURE=true.
TIDY_CONFIGURE ?= cmake --preset ci >/dev/null
tidy: test-deps
	@$(TIDY_CONFIGURE)
	@files=$$(git ls-files 'src/*.cpp' | grep -v '_test\.cpp$$'); \
	$(PYTHON) scripts/tidy_units.py build build/tidy $$files >/dev/null || exit 1; \
	run-clang-tidy-19 -p build/tidy -j$(JOBS) -quiet -extra-arg=-Wno-unknown-warning-option \
	  > build/clang-tidy.log 2>&1 || { grep -E 'error:|warning:' build/clang-tidy.log; exit 1; }; \
	echo "clang-tidy: $$(echo $$files | wc -w) files clean ($$(ls build/tidy/*.cpp | wc -l) units)"

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.h' 'bench/*.cpp' 'bench/*.h')

e2e: test-deps web cpp-build
	rm -rf $(API_RECORD)/e2e && mkdir -p $(API_RECORD)/e2e
	cd tests/e2e && CTIP_API_RECORD_DIR=$(API_RECORD)/e2e node --test

## typecheck: generate web/src/api/schema.d.ts from docs/openapi.yaml, then tsc --noEmit
typecheck: test-deps
	cd web && npm run typecheck --silent

## openapi-selftest: the OpenAPI check's own tests (recorded samples it must pass, drift it must catch)
openapi-selftest: test-deps
	$(PYTHON) tests/openapi/openapi_check_test.py

## openapi-check: every response that the tests of cpp-test (server, integration and security
## tests, on SQLite and PostgreSQL) and the browser tests got is documented in docs/openapi.yaml,
## and the document and `ctip api routes` list the same routes. The servers recorded their
## answers while those tests ran (CTIP_API_RECORD_DIR, one file per server); fails when a folder
## has no record.
openapi-check: openapi-selftest cpp-test e2e
	./build/ctip api routes > $(API_RECORD)/routes.json
	$(PYTHON) scripts/openapi_check.py --routes $(API_RECORD)/routes.json \
	  --record-dir $(API_RECORD)/ctest --record-dir $(API_RECORD)/e2e

## node18-check: type-check and build the front end, and run the browser tests against that
## build, with Node 18 (Debian 12's major version; npm's `node` package, scripts/node18/)
node18-check: test-deps cpp-build
	bash scripts/node18-check.sh $(NODE18_FLAGS)

## bench: micro-benchmarks, the HTTP load test, the 10 M-record flows benchmark and the
## 1 M-ad `ctip ads analyze` benchmark (figures in bench/README.md)
bench: build
	@bash scripts/install-deps.sh bench
	./build-release/bench/ctip_bench --benchmark_min_time=0.3
	bash bench/verify_1m.sh
	bash bench/run.sh
	bash bench/run.sh --store pg
	bash bench/flows_10m.sh
	bash bench/ads_analyze.sh 1000000
	bash bench/build_time.sh

clean:
	rm -rf build build-release build-asan build-fuzz web/dist
