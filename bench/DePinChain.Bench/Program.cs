// `make bench` entry point: runs the selected suites, each in a process of its own when there are several, and prints one table.
// Usage: DePinChain.Bench [suite ...] [--option=value | --option value ...]   (no suite = every suite)
// store: --store-sizes 100000,1000000,10000000 --dir PATH --build-budget-minutes 20 --store-blocks 20
using DePinChain.Bench;

return BenchRunner.Run(args);
