# DePinChain developer entry points. `make test` and `make localnet` are the two README commands.
.PHONY: setup build test bench clean

CONFIG ?= Release

setup:
	@bash scripts/setup.sh

build: setup
	dotnet build DePinChain.sln -c $(CONFIG) -nologo -clp:ErrorsOnly

test: setup
	@bash scripts/test.sh

# Benchmarks print one table. BENCH="store" (etc.) picks suites; BENCH_ARGS passes options.
bench: setup
	dotnet run -c Release --project bench/DePinChain.Bench -- $(BENCH) $(BENCH_ARGS)

clean:
	dotnet clean DePinChain.sln -nologo -v q
	rm -rf build
