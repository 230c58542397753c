using DePinChain.Protos.Abci;
using DePinChain.Store;
using DePinChain.Store.Backend;
using DePinChain.Store.Backend.LevelDb;
using Google.Protobuf;

namespace DePinChain.App.Tests;

/// <summary>The app on the real multistore (IAVL trees), in memory and on LevelDB.</summary>
public sealed class RealStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "depin-app-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static MultiStore OpenMemory() => MultiStore.OpenOwning(new MemoryKeyValueStore(), AppModules.AllStoreNames, new MultiStoreOptions { CreateIfEmpty = true });

    private MultiStore OpenLevelDb()
        => MultiStore.OpenOwning(LevelDbStore.Open(_dir, new LevelDbOptions { CreateIfMissing = true }), AppModules.AllStoreNames, new MultiStoreOptions { CreateIfEmpty = true });

    [Fact]
    public void Blocks_on_the_iavl_multistore_commit_the_hash_finalize_reported()
    {
        using var store = OpenMemory();
        var chain = new TestChain(store: store);
        var block = chain.Finalize(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 77));
        Assert.Equal(0u, block.TxResults[0].Code);
        chain.App.Commit(new RequestCommit());
        Assert.Equal(block.AppHash.ToByteArray(), store.LastCommitId.Hash);
        Assert.Equal(1_077, chain.Balance(TestChain.Bob));
        Assert.Equal(1_000, chain.Balance(TestChain.Bob, height: 1));
    }

    [Fact]
    public void The_same_blocks_on_the_test_store_and_the_iavl_store_give_the_same_results()
    {
        using var store = OpenMemory();
        var real = new TestChain(store: store);
        var model = new TestChain();
        var txs = new[] { real.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 5), real.SendTx(TestChain.Bob, TestChain.Carol.Bech32, 1) };
        Assert.Equal(model.FinalizeAndCommit(txs).TxResults, real.FinalizeAndCommit(txs).TxResults);
    }

    [Fact]
    public void Store_queries_with_prove_return_the_iavl_then_simple_proof_chain()
    {
        using var store = OpenMemory();
        var chain = new TestChain(store: store);
        var response = chain.App.Query(new RequestQuery { Path = "store/baseapp/key", Data = ByteString.CopyFrom(0x01), Prove = true });
        Assert.Equal(0u, response.Code);
        Assert.Equal(TestChain.ChainId, response.Value.ToStringUtf8());
        Assert.Equal(["ics23:iavl", "ics23:simple"], response.ProofOps.Ops.Select(o => o.Type));
        Assert.Equal("baseapp", response.ProofOps.Ops[1].Key.ToStringUtf8());
        Assert.Equal(1, response.Height);
    }

    [Fact]
    public void Store_proofs_verify_against_the_app_hash_for_present_and_absent_keys()
    {
        using var store = OpenMemory();
        var chain = new TestChain(store: store);
        chain.Deliver(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 42));
        byte[] appHash = chain.App.Info(new RequestInfo()).LastBlockAppHash.ToByteArray();

        byte[] bobBalanceKey = [0x02, 20, .. TestChain.Bob.Address, .. "udpin"u8];
        var present = chain.App.Query(new RequestQuery { Path = "store/bank/key", Data = ByteString.CopyFrom(bobBalanceKey), Prove = true });
        Assert.Equal("1042", present.Value.ToStringUtf8());
        var ops = present.ProofOps.Ops.Select(o => new ProofOp(o.Type, o.Key.ToByteArray(), o.Data.ToByteArray())).ToArray();
        Assert.True(DePinChain.Store.Proofs.Ics23Verifier.VerifyChain(ops, appHash, "bank", bobBalanceKey, present.Value.ToByteArray()).IsValid);
        // The same proof does not prove another value.
        Assert.False(DePinChain.Store.Proofs.Ics23Verifier.VerifyChain(ops, appHash, "bank", bobBalanceKey, "9999"u8.ToArray()).IsValid);

        byte[] missingKey = [0x02, 20, .. TestChain.Carol.Address, .. "udpin"u8];
        var absent = chain.App.Query(new RequestQuery { Path = "store/bank/key", Data = ByteString.CopyFrom(missingKey), Prove = true });
        Assert.True(absent.Value.IsEmpty);
        var absentOps = absent.ProofOps.Ops.Select(o => new ProofOp(o.Type, o.Key.ToByteArray(), o.Data.ToByteArray())).ToArray();
        Assert.True(DePinChain.Store.Proofs.Ics23Verifier.VerifyChain(absentOps, appHash, "bank", missingKey, null).IsValid);
    }

    [Fact]
    public void Info_after_reopening_the_same_leveldb_reports_the_last_commit()
    {
        ResponseInfo before;
        using (var store = OpenLevelDb())
        {
            var chain = new TestChain(store: store);
            chain.Deliver(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 10));
            // A block finalized but never committed must not show up after the restart.
            chain.Finalize(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 20));
            before = chain.App.Info(new RequestInfo());
        }
        using (var store = OpenLevelDb())
        {
            var reopened = new TestChain(store: store, start: false);
            var after = reopened.App.Info(new RequestInfo());
            Assert.Equal(2, after.LastBlockHeight);
            Assert.Equal(before.LastBlockAppHash, after.LastBlockAppHash);
            Assert.Equal(TestChain.ChainId, reopened.App.ChainId);
            Assert.Equal(1_010, reopened.Balance(TestChain.Bob));
            // The mempool works right away on the reopened state.
            Assert.Equal(0u, reopened.App.CheckTx(new RequestCheckTx { Tx = ByteString.CopyFrom(reopened.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1)) }).Code);
        }
    }
}
