// Usage: DePinChain.Store.CrashWriter <dir> [max-version] [--write-behind] [--changesets]
// Opens (or creates) the LevelDB multistore in <dir>, then commits one deterministic block after another,
// printing "committed <version> <app hash hex>" after each commit, until killed or max-version is reached.
// With --write-behind, commits are written behind (MultiStoreOptions.WriteBehind); every fifth one is then
// flushed and "durable <version>" printed, so the kill test knows a version the database must have reached.
// With --changesets the store uses the changeset format (snapshots beside <dir>, every CrashStores.SnapshotInterval versions).
using DePinChain.Store;
using DePinChain.Store.CrashWriter;

var writeBehind = args.Contains("--write-behind");
var format = args.Contains("--changesets") ? StoreFormat.Changesets : StoreFormat.Nodes;
var positional = args.Where(a => a is not "--write-behind" and not "--changesets").ToArray();
if (positional.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: DePinChain.Store.CrashWriter <dir> [max-version] [--write-behind] [--changesets]");
    return 2;
}
var maxVersion = positional.Length == 2 ? long.Parse(positional[1], System.Globalization.CultureInfo.InvariantCulture) : long.MaxValue;
var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
using var store = CrashStores.OpenLevelDb(positional[0], writeBehind, format);
stdout.WriteLine($"opened {store.LastCommitId.Version} {Convert.ToHexStringLower(store.LastCommitId.Hash)}");
for (var height = store.LastCommitId.Version + 1; height <= maxVersion; height++)
{
    CrashWorkload.ApplyBlock(store, height);
    var id = store.Commit();
    stdout.WriteLine($"committed {id.Version} {Convert.ToHexStringLower(id.Hash)}");
    if (writeBehind && height % 5 == 0)
    {
        store.Flush();
        stdout.WriteLine($"durable {id.Version}");
    }
}
return 0;
