# DePinChain developer entry points. `make test` and `make localnet` are the two README commands.
.PHONY: setup build test bench clean localnet localnet-stop localnet-test localnet-ibc localnet-ibc-stop

CONFIG ?= Release

setup:
	@bash scripts/setup.sh

build: setup
	dotnet build DePinChain.sln -c $(CONFIG) -nologo -clp:ErrorsOnly

test: setup
	@bash scripts/test.sh

# Benchmarks print one table. BENCH="store" (etc.) picks suites; BENCH_ARGS passes options.
bench: setup
	@bash scripts/setup-bench.sh
	dotnet run -c Release --project bench/DePinChain.Bench -- $(BENCH) $(BENCH_ARGS)

# Local multi-validator network (localnet/README in the top README): N validators, default 4.
# ABCI=grpc connects every node's CometBFT to its app over gRPC (default: socket).
N ?= 4
ABCI ?= socket
localnet: setup
	@ABCI=$(ABCI) bash localnet/start.sh $(N)

localnet-stop:
	@bash localnet/stop.sh

localnet-test: setup
	@ABCI=$(ABCI) bash localnet/test.sh

# Two localnets (depin-a-1, depin-b-1) linked by IBC: rly or Hermes when found (RLY=, HERMES=), else the in-repo relayer.
localnet-ibc: setup
	@bash localnet/ibc.sh

localnet-ibc-stop:
	@bash localnet/ibc.sh stop

clean:
	dotnet clean DePinChain.sln -nologo -v q
	rm -rf build
