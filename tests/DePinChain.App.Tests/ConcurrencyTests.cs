using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Store;
using DePinChain.Store.Backend;
using Google.Protobuf;

namespace DePinChain.App.Tests;

public class ConcurrencyTests
{
    /// <summary>
    /// CheckTx and Query run on other threads while blocks execute and commit (as CometBFT's mempool and query
    /// connections do); they must neither fail nor disturb the blocks.
    /// </summary>
    [Fact]
    public async Task CheckTx_and_queries_during_blocks_are_safe_and_do_not_change_block_results()
    {
        using var store = MultiStore.OpenOwning(new MemoryKeyValueStore(), AppModules.AllStoreNames, new MultiStoreOptions { CreateIfEmpty = true });
        var chain = new TestChain(store: store);
        var reference = new TestChain();
        var bobAccount = chain.Account(TestChain.Bob);
        var aliceAccount = chain.Account(TestChain.Alice);

        using var stop = new CancellationTokenSource();
        var errors = new List<string>();
        var background = Task.Run(() =>
        {
            ulong seq = 0;
            while (!stop.IsCancellationRequested)
            {
                // Bob's txs only enter the mempool; the blocks carry Alice's.
                var tx = new TxBuilder().AddMessage(TxBuilder.Send(TestChain.Bob.Bech32, TestChain.Carol.Bech32, "udpin", 1))
                    .WithFee("udpin", 0, 200_000).Sign(TestChain.Bob, TestChain.ChainId, bobAccount.AccountNumber, seq++).ToByteString();
                var check = chain.App.CheckTx(new RequestCheckTx { Tx = tx });
                if (check.Code is not (0 or 32)) lock (errors) errors.Add("CheckTx: " + check.Log);
                var query = chain.App.Query(new RequestQuery
                {
                    Path = "/cosmos.bank.v1beta1.Query/Balance",
                    Data = new QueryBalanceRequest { Address = TestChain.Alice.Bech32, Denom = "udpin" }.ToByteString(),
                });
                if (query.Code != 0 || query.Height == 0) lock (errors) errors.Add("Query: " + query.Log);
            }
        });

        for (ulong i = 0; i < 15; i++)
        {
            var tx = new TxBuilder().AddMessage(TxBuilder.Send(TestChain.Alice.Bech32, TestChain.Carol.Bech32, "udpin", 10))
                .WithFee("udpin", 10, 200_000).Sign(TestChain.Alice, TestChain.ChainId, aliceAccount.AccountNumber, i).ToByteArray();
            var a = chain.FinalizeAndCommit(tx);
            var b = reference.FinalizeAndCommit(tx);
            Assert.Equal(b.TxResults.Single().Code, a.TxResults.Single().Code);
            Assert.Equal(0u, a.TxResults.Single().Code);
        }
        stop.Cancel();
        await background;
        Assert.Empty(errors);
        Assert.Equal(reference.Balance(TestChain.Carol), chain.Balance(TestChain.Carol));
    }
}
