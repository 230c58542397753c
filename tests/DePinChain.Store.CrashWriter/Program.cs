// Usage: DePinChain.Store.CrashWriter <dir> [max-version]
// Opens (or creates) the LevelDB multistore in <dir>, then commits one deterministic block after another,
// printing "committed <version> <app hash hex>" after each commit, until killed or max-version is reached.
using DePinChain.Store;
using DePinChain.Store.CrashWriter;


if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: DePinChain.Store.CrashWriter <dir> [max-version]");
    return 2;
}
var maxVersion = args.Length == 2 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : long.MaxValue;
var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
using var store = CrashStores.OpenLevelDb(args[0]);
stdout.WriteLine($"opened {store.LastCommitId.Version} {Convert.ToHexStringLower(store.LastCommitId.Hash)}");
for (var height = store.LastCommitId.Version + 1; height <= maxVersion; height++)
{
    CrashWorkload.ApplyBlock(store, height);
    var id = store.Commit();
    stdout.WriteLine($"committed {id.Version} {Convert.ToHexStringLower(id.Hash)}");
}
return 0;
