using System.Numerics;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using DePinChain.Store;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.App.Tests;

/// <summary>An app driven through its ABCI methods in-process, the way CometBFT drives it.</summary>
internal sealed class TestChain
{
    public const string ChainId = "depin-test-1";
    public const string Denom = "udpin";

    public static readonly TxSigner Alice = TxSigner.FromSeed("alice");
    public static readonly TxSigner Bob = TxSigner.FromSeed("bob");
    public static readonly TxSigner Carol = TxSigner.FromSeed("carol");

    public TestChain(AppOptions? options = null, ICommitMultiStore? store = null, bool start = true)
    {
        Store = store ?? new TestCommitMultiStore(AppModules.AllStoreNames);
        App = new DePinApp(Store, options);
        if (!start) return;
        InitChain();
        FinalizeAndCommit();
    }

    public ICommitMultiStore Store { get; }

    public DePinApp App { get; }

    public long Height => App.Info(new RequestInfo()).LastBlockHeight;

    public ResponseInitChain InitChain(long maxGas = 0)
    {
        var request = new RequestInitChain
        {
            ChainId = ChainId,
            InitialHeight = 1,
            Time = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddYears(56)),
            AppStateBytes = ByteString.CopyFromUtf8(TxBuilder.GenesisAppState([(Alice.Address, 1_000_000), (Bob.Address, 1_000)])),
            ConsensusParams = new DePinChain.Protos.Types.ConsensusParams { Block = new() { MaxBytes = 22020096, MaxGas = maxGas } },
        };
        return App.InitChain(request);
    }

    public ResponseFinalizeBlock Finalize(params byte[][] txs)
    {
        var request = new RequestFinalizeBlock
        {
            Height = Height + 1,
            Time = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddYears(56).AddSeconds(Height + 1)),
        };
        foreach (var tx in txs) request.Txs.Add(ByteString.CopyFrom(tx));
        return App.FinalizeBlock(request);
    }

    public ResponseFinalizeBlock FinalizeAndCommit(params byte[][] txs)
    {
        var response = Finalize(txs);
        App.Commit(new RequestCommit());
        return response;
    }

    public ExecTxResult Deliver(byte[] tx) => FinalizeAndCommit(tx).TxResults.Single();

    public ResponseQuery Query(string path, IMessage request, long height = 0)
        => App.Query(new RequestQuery { Path = path, Data = request.ToByteString(), Height = height });

    public BigInteger Balance(TxSigner who, long height = 0) => Balance(who.Bech32, height);

    public BigInteger Balance(string address, long height = 0)
    {
        var response = Query("/cosmos.bank.v1beta1.Query/Balance", new QueryBalanceRequest { Address = address, Denom = Denom }, height);
        Assert.Equal(0u, response.Code);
        return BigInteger.Parse(QueryBalanceResponse.Parser.ParseFrom(response.Value).Balance.Amount);
    }

    public BaseAccount Account(TxSigner who)
    {
        var response = Query("/cosmos.auth.v1beta1.Query/Account", new QueryAccountRequest { Address = who.Bech32 });
        Assert.Equal(0u, response.Code);
        return BaseAccount.Parser.ParseFrom(QueryAccountResponse.Parser.ParseFrom(response.Value).Account.Value);
    }

    /// <summary>A signed MsgSend with the sender's current account number and sequence.</summary>
    public byte[] SendTx(TxSigner from, string to, BigInteger amount, ulong? sequence = null, string chainId = ChainId,
        ulong gas = 200_000, BigInteger? fee = null, Action<TxBuilder>? edit = null)
    {
        var account = Account(from);
        var builder = new TxBuilder().AddMessage(TxBuilder.Send(from.Bech32, to, Denom, amount)).WithFee(Denom, fee ?? 500, gas);
        edit?.Invoke(builder);
        return builder.Sign(from, chainId, account.AccountNumber, sequence ?? account.Sequence).ToByteArray();
    }

    public static TxRaw Raw(byte[] tx) => TxRaw.Parser.ParseFrom(tx);
}
