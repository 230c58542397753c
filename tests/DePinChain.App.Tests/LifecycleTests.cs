using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.App.Tests;

public class LifecycleTests
{
    [Fact]
    public void Info_reports_the_last_commit()
    {
        var chain = new TestChain();
        chain.Deliver(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1));
        var info = chain.App.Info(new RequestInfo());
        Assert.Equal(2, info.LastBlockHeight);
        Assert.Equal(chain.Store.LastCommitId.Hash, info.LastBlockAppHash.ToByteArray());
        Assert.Equal(DePinApp.AppVersion, info.AppVersion);
    }

    [Fact]
    public void A_fresh_app_reports_height_zero_and_an_empty_hash()
    {
        var chain = new TestChain(start: false);
        var info = chain.App.Info(new RequestInfo());
        Assert.Equal(0, info.LastBlockHeight);
        Assert.True(info.LastBlockAppHash.IsEmpty);
    }

    [Fact]
    public void InitChain_returns_the_working_hash_and_persists_nothing_until_commit()
    {
        var chain = new TestChain(start: false);
        var init = chain.InitChain();
        Assert.Equal(chain.Store.WorkingHash(), init.AppHash.ToByteArray());
        Assert.Equal(0, chain.Store.LastCommitId.Version);
        var block = chain.Finalize();
        Assert.Equal(0, chain.Store.LastCommitId.Version);
        chain.App.Commit(new RequestCommit());
        Assert.Equal(block.AppHash.ToByteArray(), chain.Store.LastCommitId.Hash);
    }

    [Fact]
    public void InitChain_again_after_a_crash_before_the_first_commit_gives_the_same_hash()
    {
        var store = new TestCommitMultiStore(AppModules.AllStoreNames);
        var first = new TestChain(store: store, start: false);
        var hash = first.InitChain().AppHash;
        first.Finalize();
        store.DropWorkingState();
        var second = new TestChain(store: store, start: false);
        Assert.Equal(hash, second.InitChain().AppHash);
    }

    [Fact]
    public void InitChain_passes_the_validators_through()
    {
        var chain = new TestChain(start: false);
        var request = new RequestInitChain { ChainId = TestChain.ChainId, AppStateBytes = ByteString.CopyFromUtf8("{}") };
        request.Validators.Add(new ValidatorUpdate { Power = 10, PubKey = new DePinChain.Protos.Crypto.PublicKey { Ed25519 = ByteString.CopyFrom(new byte[32]) } });
        Assert.Equal(request.Validators, chain.App.InitChain(request).Validators);
    }

    [Fact]
    public void InitChain_with_an_invalid_genesis_fails_loudly()
    {
        var chain = new TestChain(start: false);
        var request = new RequestInitChain { ChainId = TestChain.ChainId, AppStateBytes = ByteString.CopyFromUtf8("{\"bank\":{\"balances\":[{\"address\":\"nope\"}]}}") };
        var error = Assert.Throws<InvalidOperationException>(() => chain.App.InitChain(request));
        Assert.Contains("bank", error.Message);
    }

    [Fact]
    public void Same_blocks_give_the_same_app_hashes()
    {
        var a = new TestChain();
        var b = new TestChain();
        var tx = a.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 99);
        Assert.Equal(a.Finalize(tx).AppHash, b.Finalize(tx).AppHash);
    }

    [Fact]
    public void Genesis_export_reproduces_the_state_in_a_new_chain()
    {
        var chain = new TestChain();
        chain.Deliver(chain.SendTx(TestChain.Alice, TestChain.Carol.Bech32, 1234));
        string exported = chain.App.ExportAppState();
        var fresh = new TestChain(start: false);
        fresh.App.InitChain(new RequestInitChain { ChainId = TestChain.ChainId, AppStateBytes = ByteString.CopyFromUtf8(exported) });
        fresh.FinalizeAndCommit();
        Assert.Equal(exported, fresh.App.ExportAppState());
        Assert.Equal(1234, fresh.Balance(TestChain.Carol));
    }

    [Fact]
    public void Commit_retain_height_follows_min_retain_blocks()
    {
        var chain = new TestChain(new AppOptions { MinRetainBlocks = 2 });
        chain.Finalize();
        Assert.Equal(0, chain.App.Commit(new RequestCommit()).RetainHeight);
        chain.Finalize();
        Assert.Equal(1, chain.App.Commit(new RequestCommit()).RetainHeight);
        var keepAll = new TestChain();
        keepAll.Finalize();
        Assert.Equal(0, keepAll.App.Commit(new RequestCommit()).RetainHeight);
    }

    [Fact]
    public void FinalizeBlock_for_the_wrong_height_is_fatal()
    {
        var chain = new TestChain();
        Assert.Throws<InvalidOperationException>(() => chain.App.FinalizeBlock(new RequestFinalizeBlock { Height = 7 }));
    }

    [Fact]
    public void The_block_gas_limit_fails_txs_that_do_not_fit()
    {
        var chain = new TestChain(start: false);
        chain.InitChain(maxGas: 300_000);
        chain.FinalizeAndCommit();
        var first = chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1, gas: 200_000);
        var second = chain.SendTx(TestChain.Bob, TestChain.Alice.Bech32, 1, gas: 200_000);
        var results = chain.FinalizeAndCommit(first, second).TxResults;
        Assert.Equal(0u, results[0].Code);
        Assert.Equal(SdkErrors.OutOfGasCode, results[1].Code);
    }
}

public class MempoolAndProposalTests
{
    [Fact]
    public void CheckTx_tracks_sequences_and_resets_after_commit()
    {
        var chain = new TestChain();
        var tx0 = chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1, sequence: 0);
        var tx1 = chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1, sequence: 1);
        Assert.Equal(0u, chain.App.CheckTx(new RequestCheckTx { Tx = ByteString.CopyFrom(tx0) }).Code);
        Assert.Equal(SdkErrors.WrongSequenceCode, chain.App.CheckTx(new RequestCheckTx { Tx = ByteString.CopyFrom(tx0) }).Code);
        Assert.Equal(0u, chain.App.CheckTx(new RequestCheckTx { Tx = ByteString.CopyFrom(tx1) }).Code);

        // tx0 is committed; the recheck of tx1 against the new state still passes, tx0's fails.
        chain.FinalizeAndCommit(tx0);
        Assert.Equal(0u, chain.App.CheckTx(new RequestCheckTx { Tx = ByteString.CopyFrom(tx1), Type = CheckTxType.Recheck }).Code);
        Assert.Equal(SdkErrors.WrongSequenceCode, chain.App.CheckTx(new RequestCheckTx { Tx = ByteString.CopyFrom(tx0), Type = CheckTxType.Recheck }).Code);
    }

    [Fact]
    public void CheckTx_does_not_run_messages()
    {
        var chain = new TestChain();
        var tx = chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1);
        var response = chain.App.CheckTx(new RequestCheckTx { Tx = ByteString.CopyFrom(tx) });
        Assert.Equal(0u, response.Code);
        Assert.Equal(200_000, response.GasWanted);
        Assert.Equal(1_000, chain.Balance(TestChain.Bob));
    }

    [Fact]
    public void CheckTx_enforces_the_node_min_gas_price_but_blocks_do_not()
    {
        var chain = new TestChain(new AppOptions { MinGasPrices = AppOptions.ParseGasPrices("0.025udpin") });
        // 200000 gas × 0.025 = 5000 udpin required.
        var cheap = chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1, fee: 4_999);
        var check = chain.App.CheckTx(new RequestCheckTx { Tx = ByteString.CopyFrom(cheap) });
        Assert.Equal(SdkErrors.InsufficientFeeCode, check.Code);
        Assert.Contains("5000udpin", check.Log);
        var enough = chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1, fee: 5_000);
        Assert.Equal(0u, chain.App.CheckTx(new RequestCheckTx { Tx = ByteString.CopyFrom(enough) }).Code);
        Assert.Equal(0u, chain.Deliver(cheap).Code);
    }

    [Fact]
    public void CheckTx_rejects_garbage_with_code_2()
    {
        var chain = new TestChain();
        Assert.Equal(SdkErrors.TxDecodeCode, chain.App.CheckTx(new RequestCheckTx { Tx = ByteString.CopyFrom(9, 9, 9) }).Code);
    }

    [Fact]
    public void CheckTx_before_the_first_commit_is_refused_with_a_reason()
    {
        var chain = new TestChain(start: false);
        chain.InitChain();
        var response = chain.App.CheckTx(new RequestCheckTx { Tx = ByteString.CopyFrom(1) });
        Assert.NotEqual(0u, response.Code);
        Assert.Contains("first block", response.Log);
    }

    [Fact]
    public void PrepareProposal_drops_invalid_txs_and_respects_max_tx_bytes_and_ProcessProposal_accepts_it()
    {
        var chain = new TestChain();
        var good0 = chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1, sequence: 0);
        var badSequence = chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1, sequence: 7);
        var good1 = chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1, sequence: 1);
        var bobTx = chain.SendTx(TestChain.Bob, TestChain.Alice.Bech32, 1);
        var request = new RequestPrepareProposal { Height = 2, MaxTxBytes = good0.Length + good1.Length + 10 };
        foreach (var tx in new[] { good0, [1, 2, 3], badSequence, good1, bobTx }) request.Txs.Add(ByteString.CopyFrom(tx));

        var prepared = chain.App.PrepareProposal(request);
        Assert.Equal([good0, good1], prepared.Txs.Select(t => t.ToByteArray()));

        var process = new RequestProcessProposal { Height = 2, Txs = { prepared.Txs } };
        Assert.Equal(ResponseProcessProposal.Types.ProposalStatus.Accept, chain.App.ProcessProposal(process).Status);
        // Preparing changed nothing.
        Assert.Equal(0UL, chain.Account(TestChain.Alice).Sequence);
    }

    [Fact]
    public void ProcessProposal_rejects_undecodable_and_oversized_txs()
    {
        var chain = new TestChain(new AppOptions { MaxTxBytes = 2_000 });
        var garbage = new RequestProcessProposal { Height = 2, Txs = { ByteString.CopyFrom(0xFF, 0x01) } };
        Assert.Equal(ResponseProcessProposal.Types.ProposalStatus.Reject, chain.App.ProcessProposal(garbage).Status);
        var huge = new RequestProcessProposal { Height = 2, Txs = { ByteString.CopyFrom(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1, edit: b => b.Memo = new string('x', 3_000))) } };
        Assert.Equal(ResponseProcessProposal.Types.ProposalStatus.Reject, chain.App.ProcessProposal(huge).Status);
    }
}

public class QueryTests
{
    [Fact]
    public void Queries_at_past_heights_see_past_state()
    {
        var chain = new TestChain();
        chain.Deliver(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 500));
        Assert.Equal(1_000, chain.Balance(TestChain.Bob, height: 1));
        Assert.Equal(1_500, chain.Balance(TestChain.Bob, height: 2));
        Assert.Equal(1_500, chain.Balance(TestChain.Bob));
        var response = chain.Query("/cosmos.bank.v1beta1.Query/Balance", new QueryBalanceRequest { Address = TestChain.Bob.Bech32, Denom = "udpin" });
        Assert.Equal(2, response.Height);
    }

    [Fact]
    public void An_unknown_path_is_code_6()
    {
        var chain = new TestChain();
        var response = chain.App.Query(new RequestQuery { Path = "/cosmos.nothing.v1/Nope" });
        Assert.Equal(SdkErrors.UnknownRequestCode, response.Code);
        Assert.Contains("/cosmos.nothing.v1/Nope", response.Log);
        Assert.NotEqual(0, response.Height);
    }

    [Fact]
    public void A_query_before_the_first_commit_is_an_error_with_a_nonzero_height()
    {
        var chain = new TestChain(start: false);
        var response = chain.App.Query(new RequestQuery { Path = "/cosmos.bank.v1beta1.Query/Balance" });
        Assert.NotEqual(0u, response.Code);
        Assert.NotEqual(0, response.Height);
    }

    [Fact]
    public void A_future_height_is_an_error()
    {
        var chain = new TestChain();
        Assert.Equal(SdkErrors.InvalidRequestCode, chain.Query("/cosmos.bank.v1beta1.Query/Balance", new QueryBalanceRequest(), height: 99).Code);
    }

    [Fact]
    public void A_bad_address_in_a_query_is_code_7()
    {
        var chain = new TestChain();
        Assert.Equal(SdkErrors.InvalidAddressCode, chain.Query("/cosmos.bank.v1beta1.Query/Balance", new QueryBalanceRequest { Address = "x", Denom = "udpin" }).Code);
    }

    [Fact]
    public void Store_queries_return_raw_values()
    {
        var chain = new TestChain();
        var response = chain.App.Query(new RequestQuery { Path = "store/baseapp/key", Data = ByteString.CopyFrom(0x01) });
        Assert.Equal(0u, response.Code);
        Assert.Equal(TestChain.ChainId, response.Value.ToStringUtf8());
        Assert.Equal(SdkErrors.UnknownRequestCode, chain.App.Query(new RequestQuery { Path = "store/nope/key", Data = ByteString.CopyFrom(1) }).Code);
    }

    [Fact]
    public void The_query_service_gives_any_server_the_answers_ABCI_Query_gives()
    {
        var chain = new TestChain();
        chain.Deliver(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 500));
        var balance = new QueryBalanceRequest { Address = TestChain.Bob.Bech32, Denom = "udpin" }.ToByteString();
        foreach (var (path, data, height) in new[]
        {
            ("/cosmos.bank.v1beta1.Query/Balance", balance, 0L),
            ("/cosmos.bank.v1beta1.Query/Balance", balance, 1L),
            ("/cosmos.bank.v1beta1.Query/Balance", balance, 99L),
            ("/cosmos.nothing.v1/Nope", ByteString.Empty, 0L),
            ("store/baseapp/key", ByteString.CopyFrom(0x01), 0L),
            ("app/version", ByteString.Empty, 0L),
        })
        {
            var abci = chain.App.Query(new RequestQuery { Path = path, Data = data, Height = height });
            var direct = chain.App.Queries.Query(new AppQuery(path, data, height));
            Assert.Equal((abci.Code, abci.Codespace, abci.Log, abci.Height, abci.Key, abci.Value),
                (direct.Code, direct.Codespace, direct.Log, direct.Height, direct.Key, direct.Value));
        }
    }

    [Fact]
    public void App_version_is_served()
    {
        var chain = new TestChain();
        Assert.Equal("dev", chain.App.Query(new RequestQuery { Path = "app/version" }).Value.ToStringUtf8());
    }

    [Fact]
    public void Simulate_accepts_what_cosmjs_sends_an_empty_fee_no_gas_limit_and_an_empty_signature()
    {
        var chain = new TestChain();
        var builder = new TxBuilder().AddMessage(TxBuilder.Send(TestChain.Alice.Bech32, TestChain.Bob.Bech32, "udpin", 10));
        var authInfo = builder.BuildAuthInfo([(TestChain.Alice, 0UL)]);
        authInfo.Fee = new Fee();
        authInfo.SignerInfos[0].ModeInfo.Single.Mode = DePinChain.Protos.Cosmos.Tx.Signing.V1Beta1.SignMode.Unspecified;
        var raw = new TxRaw { BodyBytes = builder.BuildBody().ToByteString(), AuthInfoBytes = authInfo.ToByteString(), Signatures = { ByteString.Empty } };
        var response = chain.App.Query(new RequestQuery
        {
            Path = "/cosmos.tx.v1beta1.Service/Simulate",
            Data = new SimulateRequest { TxBytes = raw.ToByteString() }.ToByteString(),
        });
        Assert.Equal(0u, response.Code);
        Assert.True(SimulateResponse.Parser.ParseFrom(response.Value).GasInfo.GasUsed > 10_000);
        // The same tx in a block is refused: a real tx needs a gas limit and a signature.
        Assert.Equal(SdkErrors.InvalidGasLimitCode, chain.Deliver(raw.ToByteArray()).Code);
        authInfo.Fee.GasLimit = 200_000;
        raw.AuthInfoBytes = authInfo.ToByteString();
        Assert.Equal(SdkErrors.NotSupportedCode, chain.Deliver(raw.ToByteArray()).Code);
    }

    [Fact]
    public void Simulate_reports_gas_without_changing_state_and_needs_no_signature()
    {
        var chain = new TestChain();
        var raw = TestChain.Raw(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 10));
        raw.Signatures[0] = ByteString.Empty;
        var response = chain.App.Query(new RequestQuery
        {
            Path = "/cosmos.tx.v1beta1.Service/Simulate",
            Data = new SimulateRequest { TxBytes = raw.ToByteString() }.ToByteString(),
        });
        Assert.Equal(0u, response.Code);
        var simulated = SimulateResponse.Parser.ParseFrom(response.Value);
        Assert.True(simulated.GasInfo.GasUsed > 10_000);
        Assert.Contains(simulated.Result.Events, e => e.Type == "transfer");
        Assert.Equal(1_000, chain.Balance(TestChain.Bob));
    }
}
