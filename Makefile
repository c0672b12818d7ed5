# ctip: the two commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
JOBS ?= $(shell nproc)
DATA ?= ./ctip-data
PORT ?= 8080

.PHONY: demo test build web deps test-deps cpp-test asan-test format-check e2e bench format clean

## demo: install what is missing, build Release, load demo data into $(DATA), serve on :$(PORT)
demo: build
	./build/ctip demo --data $(DATA) --port $(PORT)

## build: the binary at build/ctip and the front end at web/dist
build: deps web
	cmake --preset release >/dev/null
	cmake --build build -j$(JOBS)

deps:
	@bash scripts/install-deps.sh build

web: deps
	cd web && npm run build --silent

## test: warnings as errors, unit + integration tests (store tests on SQLite and PostgreSQL),
## sanitizers, format check, browser tests
test: test-deps web cpp-test asan-test format-check e2e
	@echo "make test: all suites passed"

test-deps:
	@bash scripts/install-deps.sh test

# Every test, the store-using ones twice: on SQLite and (label pg) on a throw-away PostgreSQL
# that scripts/with-postgres.sh starts for the run and removes afterwards.
cpp-test: test-deps
	cmake --preset ci >/dev/null
	cmake --build build -j$(JOBS)
	bash scripts/with-postgres.sh ctest --preset ci -j$(JOBS)

asan-test: test-deps
	cmake --preset asan >/dev/null
	cmake --build build-asan -j$(JOBS) --target unit_tests
	ctest --preset asan -j$(JOBS)

format-check:
	@files=$$(git ls-files 'src/*.cpp' 'src/*.h' 'bench/*.cpp' 'bench/*.h'); \
	clang-format --dry-run --Werror $$files && echo "clang-format: $$(echo $$files | wc -w) files clean"

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.h' 'bench/*.cpp' 'bench/*.h')

e2e: test-deps web cpp-test
	cd tests/e2e && node --test

## bench: micro-benchmarks and the HTTP load test (figures in README.md)
bench: build
	@bash scripts/install-deps.sh bench
	./build/bench/ctip_bench --benchmark_min_time=0.3
	bash bench/run.sh
	bash bench/run.sh --store pg

clean:
	rm -rf build build-asan web/dist
