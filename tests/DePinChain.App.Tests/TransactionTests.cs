using System.Numerics;
using DePinChain.Modules.Auth;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.App.Tests;

public class TransactionTests
{
    private static readonly string FeeCollector = Bech32Address.ToBech32(AuthKeys.ModuleAddress(AuthKeys.FeeCollectorName));

    [Fact]
    public void A_signed_send_moves_funds_pays_the_fee_and_increments_the_sequence()
    {
        var chain = new TestChain();
        var result = chain.Deliver(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 12_345, fee: 500));

        Assert.Equal(0u, result.Code);
        Assert.True(result.GasUsed > 0 && result.GasUsed <= result.GasWanted);
        Assert.Equal(1_000_000 - 12_345 - 500, chain.Balance(TestChain.Alice));
        Assert.Equal(1_000 + 12_345, chain.Balance(TestChain.Bob));
        Assert.Equal(500, chain.Balance(FeeCollector));
        Assert.Equal(1UL, chain.Account(TestChain.Alice).Sequence);
        Assert.NotNull(chain.Account(TestChain.Alice).PubKey);
        Assert.Contains(result.Events, e => e.Type == "transfer");
        var data = DePinChain.Protos.Cosmos.Base.Abci.V1Beta1.TxMsgData.Parser.ParseFrom(result.Data);
        Assert.Equal("/cosmos.bank.v1beta1.MsgSendResponse", data.MsgResponses.Single().TypeUrl);
    }

    [Fact]
    public void Sending_to_a_new_address_creates_its_account_which_can_then_send()
    {
        var chain = new TestChain();
        Assert.Equal(0u, chain.Deliver(chain.SendTx(TestChain.Alice, TestChain.Carol.Bech32, 10_000)).Code);
        var result = chain.Deliver(chain.SendTx(TestChain.Carol, TestChain.Bob.Bech32, 1_000, fee: 0));
        Assert.Equal(0u, result.Code);
        Assert.Equal(9_000, chain.Balance(TestChain.Carol));
    }

    /// <summary>Failures before or inside the ante chain leave no trace: no fee, no sequence.</summary>
    private static void AssertNoStateChange(TestChain chain, ExecTxResult result, uint code)
    {
        Assert.Equal(code, result.Code);
        Assert.Equal("sdk", result.Codespace);
        Assert.False(string.IsNullOrEmpty(result.Log));
        Assert.Equal(1_000_000, chain.Balance(TestChain.Alice));
        Assert.Equal(1_000, chain.Balance(TestChain.Bob));
        Assert.Equal(0UL, chain.Account(TestChain.Alice).Sequence);
    }

    /// <summary>Failures in a message keep the ante's effects (fee and sequence) and nothing else.</summary>
    private static void AssertOnlyFeeAndSequence(TestChain chain, ExecTxResult result, uint code, BigInteger fee)
    {
        Assert.Equal(code, result.Code);
        Assert.False(string.IsNullOrEmpty(result.Log));
        Assert.Equal(1_000_000 - fee, chain.Balance(TestChain.Alice));
        Assert.Equal(1_000, chain.Balance(TestChain.Bob));
        Assert.Equal(1UL, chain.Account(TestChain.Alice).Sequence);
    }

    [Fact]
    public void A_tampered_signature_is_unauthorized()
    {
        var chain = new TestChain();
        var raw = TestChain.Raw(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1));
        var sig = raw.Signatures[0].ToByteArray();
        sig[10] ^= 1;
        raw.Signatures[0] = ByteString.CopyFrom(sig);
        AssertNoStateChange(chain, chain.Deliver(raw.ToByteArray()), SdkErrors.UnauthorizedCode);
    }

    [Fact]
    public void A_high_s_signature_is_unauthorized()
    {
        var chain = new TestChain();
        var raw = TestChain.Raw(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1));
        var sig = raw.Signatures[0].ToByteArray();
        // s' = n - s: the same signature in its malleable high-S form.
        var n = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);
        var s = new BigInteger(sig.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var high = (n - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        Array.Clear(sig, 32, 32);
        high.CopyTo(sig, 64 - high.Length);
        raw.Signatures[0] = ByteString.CopyFrom(sig);
        AssertNoStateChange(chain, chain.Deliver(raw.ToByteArray()), SdkErrors.UnauthorizedCode);
    }

    [Fact]
    public void A_tx_signed_for_another_chain_is_unauthorized()
    {
        var chain = new TestChain();
        AssertNoStateChange(chain, chain.Deliver(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1, chainId: "other-chain")), SdkErrors.UnauthorizedCode);
    }

    [Fact]
    public void A_wrong_sequence_is_code_32()
    {
        var chain = new TestChain();
        var result = chain.Deliver(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1, sequence: 5));
        AssertNoStateChange(chain, result, SdkErrors.WrongSequenceCode);
        Assert.Contains("incorrect account sequence", result.Log);
    }

    [Fact]
    public void A_replayed_tx_fails_on_sequence()
    {
        var chain = new TestChain();
        var tx = chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1);
        Assert.Equal(0u, chain.Deliver(tx).Code);
        Assert.Equal(SdkErrors.WrongSequenceCode, chain.Deliver(tx).Code);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639936")]
    [InlineData("12abc")]
    public void Bad_amounts_are_invalid_coins_and_change_nothing(string amount)
    {
        var chain = new TestChain();
        var tx = chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1, edit: b =>
        {
            b.AddMessage(new MsgSend { FromAddress = TestChain.Alice.Bech32, ToAddress = TestChain.Bob.Bech32, Amount = { new DePinChain.Protos.Cosmos.Base.V1Beta1.Coin { Denom = "udpin", Amount = amount } } });
        });
        AssertNoStateChange(chain, chain.Deliver(tx), SdkErrors.InvalidCoinsCode);
    }

    [Fact]
    public void An_unknown_denom_fails_the_message_but_keeps_fee_and_sequence()
    {
        var chain = new TestChain();
        var account = chain.Account(TestChain.Alice);
        var tx = new TxBuilder().AddMessage(TxBuilder.Send(TestChain.Alice.Bech32, TestChain.Bob.Bech32, "unobody", 5))
            .WithFee("udpin", 500, 200_000).Sign(TestChain.Alice, TestChain.ChainId, account.AccountNumber, 0).ToByteArray();
        AssertOnlyFeeAndSequence(chain, chain.Deliver(tx), SdkErrors.InvalidCoinsCode, 500);
    }

    [Fact]
    public void Sending_to_a_module_account_is_refused_but_keeps_fee_and_sequence()
    {
        var chain = new TestChain();
        AssertOnlyFeeAndSequence(chain, chain.Deliver(chain.SendTx(TestChain.Alice, FeeCollector, 5, fee: 500)), SdkErrors.UnauthorizedCode, 500);
        Assert.Equal(500, chain.Balance(FeeCollector));
    }

    [Fact]
    public void Sending_more_than_the_balance_is_insufficient_funds()
    {
        var chain = new TestChain();
        AssertOnlyFeeAndSequence(chain, chain.Deliver(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 2_000_000, fee: 500)), SdkErrors.InsufficientFundsCode, 500);
    }

    [Fact]
    public void A_fee_larger_than_the_balance_is_insufficient_funds_with_no_state_change()
    {
        var chain = new TestChain();
        AssertNoStateChange(chain, chain.Deliver(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1, fee: 2_000_000)), SdkErrors.InsufficientFundsCode);
    }

    [Fact]
    public void Running_out_of_gas_in_the_ante_changes_nothing()
    {
        var chain = new TestChain();
        var result = chain.Deliver(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1, gas: 1_000));
        AssertNoStateChange(chain, result, SdkErrors.OutOfGasCode);
        Assert.Equal(1_000, result.GasWanted);
        Assert.True(result.GasUsed > result.GasWanted);
    }

    [Fact]
    public void Running_out_of_gas_in_a_message_keeps_fee_and_sequence()
    {
        var chain = new TestChain();
        // Enough for the ante (size, fee transfer, pubkey, signature) but not for the transfer itself.
        var probe = chain.App.Query(new RequestQuery
        {
            Path = "/cosmos.tx.v1beta1.Service/Simulate",
            Data = new SimulateRequest { TxBytes = ByteString.CopyFrom(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1)) }.ToByteString(),
        });
        Assert.Equal(0u, probe.Code);
        ulong needed = SimulateResponse.Parser.ParseFrom(probe.Value).GasInfo.GasUsed;
        var result = chain.Deliver(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1, gas: needed - 3_000, fee: 500));
        AssertOnlyFeeAndSequence(chain, result, SdkErrors.OutOfGasCode, 500);
    }

    [Fact]
    public void A_memo_over_the_limit_is_code_12()
    {
        var chain = new TestChain();
        AssertNoStateChange(chain, chain.Deliver(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1, edit: b => b.Memo = new string('m', 257))), SdkErrors.MemoTooLargeCode);
    }

    [Fact]
    public void An_expired_timeout_height_is_code_30()
    {
        var chain = new TestChain();
        AssertNoStateChange(chain, chain.Deliver(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1, edit: b => b.TimeoutHeight = 1)), SdkErrors.TxTimeoutHeightCode);
    }

    [Fact]
    public void A_public_key_of_someone_else_is_an_invalid_pubkey()
    {
        var chain = new TestChain();
        var account = chain.Account(TestChain.Alice);
        var builder = new TxBuilder().AddMessage(TxBuilder.Send(TestChain.Alice.Bech32, TestChain.Bob.Bech32, "udpin", 1)).WithFee("udpin", 0, 200_000);
        var body = builder.BuildBody().ToByteString();
        var authInfo = builder.BuildAuthInfo([(TestChain.Bob, 0UL)]).ToByteString();
        var hash = SignModeDirect.SignBytesHash(body, authInfo, TestChain.ChainId, account.AccountNumber);
        var raw = new TxRaw { BodyBytes = body, AuthInfoBytes = authInfo, Signatures = { ByteString.CopyFrom(DePinChain.Crypto.Secp256k1.Sign(TestChain.Bob.PrivateKey, hash)) } };
        AssertNoStateChange(chain, chain.Deliver(raw.ToByteArray()), SdkErrors.InvalidPubKeyCode);
    }

    [Fact]
    public void Undecodable_txs_get_code_2_and_every_tx_gets_exactly_one_result()
    {
        var chain = new TestChain();
        var good = chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 7);
        var response = chain.FinalizeAndCommit([0xFF, 0xFF, 0xFF], good, [], new TxRaw { BodyBytes = ByteString.CopyFrom(1, 2, 3) }.ToByteArray());
        Assert.Equal(4, response.TxResults.Count);
        Assert.Equal(SdkErrors.TxDecodeCode, response.TxResults[0].Code);
        Assert.Equal(0u, response.TxResults[1].Code);
        Assert.NotEqual(0u, response.TxResults[2].Code);
        Assert.Equal(SdkErrors.TxDecodeCode, response.TxResults[3].Code);
        Assert.Equal(1_007, chain.Balance(TestChain.Bob));
    }

    [Fact]
    public void A_message_type_nobody_registered_is_a_decode_error()
    {
        var chain = new TestChain();
        var tx = chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 1, edit: b => b.AddMessage(new DePinChain.Protos.Cosmos.Bank.V1Beta1.MsgUpdateParams()));
        Assert.Equal(SdkErrors.TxDecodeCode, chain.Deliver(tx).Code);
    }

    [Fact]
    public void A_multi_send_pays_every_output()
    {
        var chain = new TestChain();
        var msg = new MsgMultiSend
        {
            Inputs = { new Input { Address = TestChain.Alice.Bech32, Coins = { new DePinChain.Protos.Cosmos.Base.V1Beta1.Coin { Denom = "udpin", Amount = "300" } } } },
            Outputs =
            {
                new Output { Address = TestChain.Bob.Bech32, Coins = { new DePinChain.Protos.Cosmos.Base.V1Beta1.Coin { Denom = "udpin", Amount = "100" } } },
                new Output { Address = TestChain.Carol.Bech32, Coins = { new DePinChain.Protos.Cosmos.Base.V1Beta1.Coin { Denom = "udpin", Amount = "200" } } },
            },
        };
        var account = chain.Account(TestChain.Alice);
        var tx = new TxBuilder().AddMessage(msg).WithFee("udpin", 0, 300_000).Sign(TestChain.Alice, TestChain.ChainId, account.AccountNumber, 0);
        Assert.Equal(0u, chain.Deliver(tx.ToByteArray()).Code);
        Assert.Equal(1_100, chain.Balance(TestChain.Bob));
        Assert.Equal(200, chain.Balance(TestChain.Carol));
    }
}
