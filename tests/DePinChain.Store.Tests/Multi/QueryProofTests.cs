using DePinChain.Protos.Ics23;
using DePinChain.Store.Backend;
using DePinChain.Store.Proofs;
using DePinChain.Store.Tests.Proofs;
using Google.Protobuf;
using static DePinChain.Store.Tests.Bytes;

namespace DePinChain.Store.Tests.Multi;

/// <summary>
/// Store queries with proofs, checked end to end (key → store root → app hash) by our verifier and by the
/// reference TypeScript ICS-23 implementation, at the latest and at past versions, for present and absent keys.
/// </summary>
public class QueryProofTests
{
    private static readonly string[] Names = ["acc", "bank", "devices", "ibc", "staking"];

    /// <summary>Five versions of state in five stores; returns the store and each version's app hash.</summary>
    private static (MultiStore Store, Dictionary<long, byte[]> AppHashes) Build()
    {
        var store = MultiStore.Open(new MemoryKeyValueStore(), Names, new MultiStoreOptions { CreateIfEmpty = true });
        var hashes = new Dictionary<long, byte[]>();
        for (var v = 1; v <= 5; v++)
        {
            foreach (var name in Names)
                for (var i = 0; i < 40; i++)
                    if ((i + v) % 3 != 0) store.GetStore(name).Set(Of($"key{i:D3}"), Of($"{name}-{v}-{i}"));
            store.GetStore("bank").Delete(Of($"key{v * 5:D3}"));
            hashes[v] = store.Commit().Hash;
        }
        return (store, hashes);
    }

    // Present keys, absent keys between, before and after all keys.
    private static readonly string[] Keys = ["key000", "key001", "key017", "key039", "key010x", "a", "zzz", "key025"];

    private static IEnumerable<(long Version, string Store, byte[] Key, StoreQueryResult Result)> Queries(MultiStore store)
    {
        foreach (var version in new long[] { 0, 1, 3, 5 })
            foreach (var name in new[] { "acc", "bank", "staking" })
                foreach (var key in Keys)
                    yield return (version, name, Of(key), store.Query(name, Of(key), version, prove: true));
    }

    [Fact]
    public void Query_returns_the_value_of_the_asked_version_with_the_two_proof_ops()
    {
        var (store, _) = Build();
        using (store)
        {
            var latest = store.Query("bank", Of("key000"), 0, prove: true);
            Assert.Equal(5, latest.Version);
            Assert.Equal("bank-5-0", Str(latest.Value));
            Assert.Equal([ProofOpTypes.Iavl, ProofOpTypes.Simple], latest.ProofOps.Select(o => o.Type));
            Assert.Equal(Of("key000"), latest.ProofOps[0].Key);
            Assert.Equal(Of("bank"), latest.ProofOps[1].Key);
            Assert.Equal("bank-2-0", Str(store.Query("bank", Of("key000"), 2, prove: false).Value));
            Assert.Empty(store.Query("bank", Of("key000"), 2, prove: false).ProofOps);
            Assert.Null(store.Query("bank", Of("key025"), 5, prove: true).Value); // deleted at version 5
            Assert.Equal("bank-4-25", Str(store.Query("bank", Of("key025"), 4, prove: true).Value));
        }
    }

    [Fact]
    public void Our_verifier_accepts_every_proof_against_the_app_hash_of_its_version()
    {
        var (store, hashes) = Build();
        using (store)
        {
            var count = 0;
            foreach (var (version, name, key, result) in Queries(store))
            {
                var appHash = hashes[result.Version];
                var verdict = Ics23Verifier.VerifyChain(result.ProofOps, appHash, name, key, result.Value);
                Assert.True(verdict.IsValid, $"v{version} {name}/{Str(key)}: {verdict}");
                count++;
            }
            Assert.Equal(96, count);
        }
    }

    [Fact]
    public void The_reference_verifier_accepts_every_proof_against_the_app_hash_of_its_version()
    {
        var (store, hashes) = Build();
        using (store)
        {
            var cases = Queries(store).SelectMany(q => ReferenceCases(q.Result, hashes[q.Result.Version], q.Store, q.Key, q.Result.Value)).ToList();
            var verdicts = ReferenceIcs23Verifier.VerifyWithReasons(cases);
            for (var i = 0; i < verdicts.Count; i++)
                Assert.True(verdicts[i].Ok, $"case {i} ({cases[i].Spec}, key {Convert.ToHexString(cases[i].Key)}): {verdicts[i].Error}");
        }
    }

    [Fact]
    public void Tampered_proofs_wrong_values_and_wrong_app_hashes_are_rejected_by_both_verifiers()
    {
        var (store, hashes) = Build();
        using (store)
        {
            var present = store.Query("bank", Of("key017"), 3, prove: true);
            var absent = store.Query("bank", Of("key010x"), 3, prove: true);
            var appHash = hashes[3];
            var otherHash = hashes[4];
            Assert.NotNull(present.Value);
            Assert.Null(absent.Value);

            var bad = new List<(string What, IReadOnlyList<ProofOp> Ops, byte[] AppHash, string Store, byte[] Key, byte[]? Value)>
            {
                ("wrong app hash", present.ProofOps, otherHash, "bank", Of("key017"), present.Value),
                ("wrong value", present.ProofOps, appHash, "bank", Of("key017"), Of("forged")),
                ("present key claimed absent", present.ProofOps, appHash, "bank", Of("key017"), null),
                ("absent key claimed present", absent.ProofOps, appHash, "bank", Of("key010x"), Of("x")),
                ("absence proof with wrong app hash", absent.ProofOps, otherHash, "bank", Of("key010x"), null),
                ("store proof byte flipped", [Tamper(present.ProofOps[0], FlipInnerPrefixByte), present.ProofOps[1]], appHash, "bank", Of("key017"), present.Value),
                ("multistore proof sibling flipped", [present.ProofOps[0], Tamper(present.ProofOps[1], FlipInnerPrefixByte)], appHash, "bank", Of("key017"), present.Value),
                ("another store's multistore proof", [present.ProofOps[0], store.Query("acc", Of("key017"), 3, prove: true).ProofOps[1]], appHash, "bank", Of("key017"), present.Value),
                ("absence neighbour tampered", [Tamper(absent.ProofOps[0], FlipInnerPrefixByte), absent.ProofOps[1]], appHash, "bank", Of("key010x"), null),
            };

            foreach (var (what, ops, hash, name, key, value) in bad)
                Assert.False(Ics23Verifier.VerifyChain(ops, hash, name, key, value).IsValid, $"our verifier accepted: {what}");

            // The reference checks one proof at a time; a chain is rejected when either of its steps is.
            var cases = bad.Select(b => ReferenceCases(new StoreQueryResult(3, b.Key, b.Value, b.Ops), b.AppHash, b.Store, b.Key, b.Value)).ToList();
            var verdicts = ReferenceIcs23Verifier.Verify(cases.SelectMany(c => c));
            for (var i = 0; i < bad.Count; i++)
                Assert.False(verdicts[2 * i] && verdicts[2 * i + 1], $"the reference accepted: {bad[i].What}");
        }
    }

    [Fact]
    public async Task Proofs_queried_on_another_thread_during_commits_and_pruning_verify()
    {
        using var store = MultiStore.Open(new MemoryKeyValueStore(), Names,
            new MultiStoreOptions { CreateIfEmpty = true, Pruning = PruningOptions.Everything });
        store.GetStore("bank").Set(Of("key000"), Of("v0"));
        store.Commit();
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            var verified = 0;
            while (!stop.IsCancellationRequested || verified == 0)
            {
                var id = store.LastCommitId;
                StoreQueryResult result;
                try
                {
                    result = store.Query("bank", Of("key000"), id.Version, prove: true);
                }
                catch (Exception) when (store.EarliestVersion > id.Version)
                {
                    continue; // pruned while it was being read: reading a pruned version may fail, nothing else may
                }
                var verdict = Ics23Verifier.VerifyChain(result.ProofOps, id.Hash, "bank", Of("key000"), result.Value);
                Assert.True(verdict.IsValid, $"version {id.Version}: {verdict}");
                Assert.Equal($"v{id.Version - 1}", Str(result.Value));
                verified++;
            }
            return verified;
        });
        for (var v = 2; v <= 60; v++)
        {
            store.GetStore("bank").Set(Of("key000"), Of($"v{v - 1}"));
            for (var i = 0; i < 20; i++) store.GetStore("acc").Set(Of($"k{v}-{i}"), Of("x"));
            store.Commit();
        }
        stop.Cancel();
        Assert.True(await reader > 0);
    }

    /// <summary>
    /// The chain as the reference checks it, step by step like ibc-go: the store proof against the store root
    /// that the multistore proof carries, and the multistore proof (store name → that root) against the app hash.
    /// </summary>
    private static ReferenceProofCase[] ReferenceCases(StoreQueryResult result, byte[] appHash, string storeName, byte[] key, byte[]? value)
    {
        var rootProof = CommitmentProof.Parser.ParseFrom(result.ProofOps[1].Data);
        var storeRoot = rootProof.Exist.Value.ToByteArray();
        return
        [
            ReferenceProofCase.Iavl(storeRoot, result.ProofOps[0].Data, key, value),
            ReferenceProofCase.Tendermint(appHash, result.ProofOps[1].Data, Of(storeName), storeRoot),
        ];
    }

    private static ProofOp Tamper(ProofOp op, Action<CommitmentProof> change)
    {
        var proof = CommitmentProof.Parser.ParseFrom(op.Data);
        change(proof);
        return op with { Data = proof.ToByteArray() };
    }

    // Flips the last byte of the prefix of the top inner op (a sibling hash or the node header) of every
    // existence proof inside.
    private static void FlipInnerPrefixByte(CommitmentProof proof)
    {
        static void Flip(ExistenceProof? exist)
        {
            if (exist is null || exist.Path.Count == 0) return;
            var top = exist.Path[^1];
            var prefix = top.Prefix.ToByteArray();
            prefix[^1] ^= 0x01;
            top.Prefix = ByteString.CopyFrom(prefix);
        }
        switch (proof.ProofCase)
        {
            case CommitmentProof.ProofOneofCase.Exist:
                Flip(proof.Exist);
                break;
            case CommitmentProof.ProofOneofCase.Nonexist:
                Flip(proof.Nonexist.Left);
                Flip(proof.Nonexist.Right);
                break;
        }
    }
}
