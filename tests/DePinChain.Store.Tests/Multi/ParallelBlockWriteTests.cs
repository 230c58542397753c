using DePinChain.Store.Backend;
using DePinChain.Store.Cache;

namespace DePinChain.Store.Tests.Multi;

/// <summary>
/// A block branch writes its large stores into the trees on all cores: the trees, their hashes and the app hash must
/// equal those of writing the same stores one after another on one thread.
/// </summary>
public class ParallelBlockWriteTests
{
    private static readonly string[] Names = ["auth", "bank", "coverage", "devices"];

    [Fact]
    public void A_block_written_on_all_cores_gives_the_same_app_hash_and_state_as_writing_store_by_store()
    {
        using var parallel = MultiStore.Open(new MemoryKeyValueStore(), Names, new MultiStoreOptions { CreateIfEmpty = true });
        using var sequential = MultiStore.Open(new MemoryKeyValueStore(), Names, new MultiStoreOptions { CreateIfEmpty = true });
        var random = new Random(7);
        for (int height = 1; height <= 4; height++)
        {
            var block = parallel.Branch();
            // Three stores above the parallel threshold, one small one; some keys deleted again.
            foreach (var (name, count) in new[] { ("auth", 900), ("bank", 1_500), ("coverage", CacheMultiStore.ParallelWriteThreshold), ("devices", 3) })
            {
                // The reference writes one store per branch, so its writes take the one-thread path.
                var reference = sequential.Branch();
                for (int i = 0; i < count; i++)
                {
                    var key = BitConverter.GetBytes(random.Next(0, 4_000));
                    var value = BitConverter.GetBytes(random.Next());
                    bool delete = random.Next(10) == 0;
                    foreach (var branch in new[] { block, reference })
                    {
                        if (delete) branch.GetStore(name).Delete(key);
                        else branch.GetStore(name).Set(key, value);
                    }
                }
                reference.Write();
            }
            block.Write();
            Assert.Equal(Convert.ToHexString(sequential.WorkingHash()), Convert.ToHexString(parallel.WorkingHash()));
            var (expected, actual) = (sequential.Commit(), parallel.Commit());
            Assert.Equal(expected.Version, actual.Version);
            Assert.Equal(Convert.ToHexString(expected.Hash), Convert.ToHexString(actual.Hash));
        }
        foreach (var name in Names)
            Assert.Equal(sequential.GetStore(name).Iterate(null, null).Select(e => Convert.ToHexString(e.Key) + "=" + Convert.ToHexString(e.Value)),
                parallel.GetStore(name).Iterate(null, null).Select(e => Convert.ToHexString(e.Key) + "=" + Convert.ToHexString(e.Value)));
    }
}
