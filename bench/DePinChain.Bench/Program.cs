// `make bench` entry point: runs the selected suites and prints one table.
// Usage: DePinChain.Bench [suite ...]   (no argument = every suite)
using DePinChain.Bench;

return BenchRunner.Run(args);
