// `make bench` entry point: runs the selected suites, each in a process of its own when there are several, and prints one table.
// Usage: DePinChain.Bench [suite ...] [--option=value | --option value ...]   (no suite = every suite)
// store: --store-sizes 100000,1000000,10000000 --dir PATH --build-budget-minutes 20 --store-blocks 20
// staking: --staking-delegations=100000,1000000 (1M is opt-in: ~2 min and several GB to set up) --staking-blocks=5 --staking-block-size=5000
using DePinChain.Bench;

return BenchRunner.Run(args);
