using DePinChain.Protos.Abci;
using Google.Protobuf;

namespace DePinChain.App.Tests;

public class ParallelVerificationTests
{
    /// <summary>
    /// A block mixing valid txs, a bad signature, a key rotation within the block (an account created and then
    /// spending in the same block, whose key is unknown before execution), and a replay: precomputing verdicts in
    /// parallel must give exactly the sequential results.
    /// </summary>
    [Fact]
    public void Parallel_precheck_gives_the_same_results_as_sequential_execution()
    {
        var parallel = new TestChain(new AppOptions { ParallelSignatureVerification = true });
        var sequential = new TestChain(new AppOptions { ParallelSignatureVerification = false });

        var txs = new List<byte[]>();
        var alice = parallel.Account(TestChain.Alice);
        for (ulong seq = 0; seq < 6; seq++)
            txs.Add(new TxBuilder().AddMessage(TxBuilder.Send(TestChain.Alice.Bech32, TestChain.Bob.Bech32, "udpin", 10 + seq))
                .WithFee("udpin", 100, 200_000).Sign(TestChain.Alice, TestChain.ChainId, alice.AccountNumber, seq).ToByteArray());
        var bad = TestChain.Raw(parallel.SendTx(TestChain.Bob, TestChain.Alice.Bech32, 1));
        var sig = bad.Signatures[0].ToByteArray();
        sig[5] ^= 0x40;
        bad.Signatures[0] = ByteString.CopyFrom(sig);
        txs.Add(bad.ToByteArray());
        txs.Add(txs[0]);
        // Carol's account is created by tx 8 in this very block, so her account number is unknown beforehand.
        // It follows the two genesis accounts and every declared module account.
        ulong carolNumber = 2 + (ulong)parallel.App.Modules.AccountKeeper.ModuleAccounts.Count;
        txs.Add(new TxBuilder().AddMessage(TxBuilder.Send(TestChain.Alice.Bech32, TestChain.Carol.Bech32, "udpin", 5_000))
            .WithFee("udpin", 100, 200_000).Sign(TestChain.Alice, TestChain.ChainId, alice.AccountNumber, 6).ToByteArray());
        txs.Add(new TxBuilder().AddMessage(TxBuilder.Send(TestChain.Carol.Bech32, TestChain.Bob.Bech32, "udpin", 1))
            .WithFee("udpin", 0, 200_000).Sign(TestChain.Carol, TestChain.ChainId, carolNumber, 0).ToByteArray());

        var a = parallel.FinalizeAndCommit([.. txs]);
        var b = sequential.FinalizeAndCommit([.. txs]);

        Assert.Equal(b.TxResults.Select(r => (r.Code, r.GasUsed, r.GasWanted)), a.TxResults.Select(r => (r.Code, r.GasUsed, r.GasWanted)));
        Assert.Equal(b.AppHash, a.AppHash);
        // The block really contains both outcomes, so the comparison means something.
        Assert.Contains(a.TxResults, r => r.Code == 0);
        Assert.Contains(a.TxResults, r => r.Code == DePinChain.Sdk.SdkErrors.UnauthorizedCode);
        Assert.Contains(a.TxResults, r => r.Code == DePinChain.Sdk.SdkErrors.WrongSequenceCode);
        Assert.Equal(0u, a.TxResults[^1].Code);
    }
}
