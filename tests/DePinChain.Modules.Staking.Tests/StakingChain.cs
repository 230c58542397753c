using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.App.Tests;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;
using StakingParams = DePinChain.Protos.Cosmos.Staking.V1Beta1.Params;

namespace DePinChain.Modules.Staking.Tests;

/// <summary>The app driven through InitChain / FinalizeBlock / Commit, one second per block, with staking's genesis.</summary>
internal sealed class StakingChain
{
    public const string ChainId = "staking-test-1";
    public const string Denom = "udpin";
    public static readonly DateTimeOffset Genesis = DateTimeOffset.UnixEpoch.AddYears(56);

    public static readonly TxSigner Alice = TxSigner.FromSeed("alice");
    public static readonly TxSigner Bob = TxSigner.FromSeed("bob");
    public static readonly TxSigner Carol = TxSigner.FromSeed("carol");
    public static readonly TxSigner Dave = TxSigner.FromSeed("dave");

    public static readonly BigInteger Million = 1_000_000;
    public const long Fee = 500;

    public StakingChain(StakingParams? p = null, string? appState = null)
    {
        Store = new TestCommitMultiStore(AppModules.AllStoreNames);
        App = new DePinApp(Store);
        Params = p ?? DefaultTestParams();
        var request = new RequestInitChain
        {
            ChainId = ChainId,
            InitialHeight = 1,
            Time = Timestamp.FromDateTimeOffset(Genesis),
            AppStateBytes = ByteString.CopyFromUtf8(appState ?? AppState(Params)),
            ConsensusParams = new DePinChain.Protos.Types.ConsensusParams { Block = new() { MaxBytes = 22020096, MaxGas = 0 } },
        };
        InitChainResponse = App.InitChain(request);
        FirstBlock = Block();
    }

    public static StakingParams DefaultTestParams()
    {
        var p = StakingKeeper.DefaultParams();
        p.UnbondingTime = Duration.FromTimeSpan(TimeSpan.FromSeconds(10));
        return p;
    }

    public static string AppState(StakingParams p)
    {
        var json = JsonNode.Parse(TxBuilder.GenesisAppState([(Alice.Address, 1_000 * Million), (Bob.Address, 1_000 * Million), (Carol.Address, 1_000 * Million), (Dave.Address, 1_000 * Million)]))!;
        json["staking"] = JsonNode.Parse(StakingGenesis.Json.Format(new DePinChain.Protos.Cosmos.Staking.V1Beta1.GenesisState { Params = p }));
        return json.ToJsonString();
    }

    public TestCommitMultiStore Store { get; }
    public DePinApp App { get; }
    public StakingParams Params { get; }
    public ResponseInitChain InitChainResponse { get; }
    public ResponseFinalizeBlock FirstBlock { get; }
    public long Height => App.Info(new RequestInfo()).LastBlockHeight;
    public StakingKeeper Keeper => App.Modules.StakingKeeper;

    public static DateTimeOffset TimeAt(long height) => Genesis.AddSeconds(height);

    public ResponseFinalizeBlock Block(params byte[][] txs)
    {
        var request = new RequestFinalizeBlock { Height = Height + 1, Time = Timestamp.FromDateTimeOffset(TimeAt(Height + 1)) };
        foreach (var tx in txs) request.Txs.Add(ByteString.CopyFrom(tx));
        var response = App.FinalizeBlock(request);
        App.Commit(new RequestCommit());
        return response;
    }

    /// <summary>Delivers one tx in its own block and requires it to succeed.</summary>
    public ResponseFinalizeBlock Ok(byte[] tx)
    {
        var response = Block(tx);
        Assert.True(response.TxResults[0].Code == 0, response.TxResults[0].Log);
        return response;
    }

    public ResponseQuery Query(string path, IMessage request)
        => App.Query(new RequestQuery { Path = path, Data = request.ToByteString() });

    public T Query<T>(string method, IMessage request, MessageParser<T> parser) where T : IMessage<T>
    {
        var response = Query("/cosmos.staking.v1beta1.Query/" + method, request);
        Assert.True(response.Code == 0, response.Log);
        return parser.ParseFrom(response.Value);
    }

    public BigInteger Balance(TxSigner who)
    {
        var response = Query("/cosmos.bank.v1beta1.Query/Balance", new QueryBalanceRequest { Address = who.Bech32, Denom = Denom });
        return BigInteger.Parse(QueryBalanceResponse.Parser.ParseFrom(response.Value).Balance.Amount);
    }

    public BigInteger Supply()
    {
        var response = Query("/cosmos.bank.v1beta1.Query/SupplyOf", new QuerySupplyOfRequest { Denom = Denom });
        return BigInteger.Parse(QuerySupplyOfResponse.Parser.ParseFrom(response.Value).Amount.Amount);
    }

    public BaseAccount Account(TxSigner who)
    {
        var response = Query("/cosmos.auth.v1beta1.Query/Account", new QueryAccountRequest { Address = who.Bech32 });
        return BaseAccount.Parser.ParseFrom(QueryAccountResponse.Parser.ParseFrom(response.Value).Account.Value);
    }

    /// <summary>Signed txs of one signer, with consecutive sequences from its current one.</summary>
    public byte[][] Txs(TxSigner from, params IMessage[] msgs)
    {
        var account = Account(from);
        return [.. msgs.Select((m, i) => new TxBuilder().AddMessage(m).WithFee(Denom, Fee, 400_000).Sign(from, ChainId, account.AccountNumber, account.Sequence + (ulong)i).ToByteArray())];
    }

    public byte[] Tx(TxSigner from, IMessage msg) => Txs(from, msg)[0];

    public static string Valoper(TxSigner s) => ValidatorAddress.ToOperatorBech32(s.Address);

    public static byte[] ConsKey(TxSigner s) => SHA256.HashData(s.PrivateKey.Concat("cons"u8.ToArray()).ToArray());

    public static ProtoCoin Coin(BigInteger amount) => new() { Denom = Denom, Amount = amount.ToString() };

    public static MsgCreateValidator CreateValidator(TxSigner s, BigInteger amount, string rate = "100000000000000000", BigInteger? minSelf = null) => new()
    {
        Description = new Description { Moniker = "val-" + s.Bech32[^4..] },
        Commission = new CommissionRates { Rate = rate, MaxRate = "200000000000000000", MaxChangeRate = "10000000000000000" },
        MinSelfDelegation = (minSelf ?? 1).ToString(),
        ValidatorAddress = Valoper(s),
        Pubkey = ValidatorMath.PackEd25519(ConsKey(s)),
        Value = Coin(amount),
    };

    public static MsgDelegate Delegate(TxSigner d, TxSigner v, BigInteger amount) => new() { DelegatorAddress = d.Bech32, ValidatorAddress = Valoper(v), Amount = Coin(amount) };

    public static MsgUndelegate Undelegate(TxSigner d, TxSigner v, BigInteger amount) => new() { DelegatorAddress = d.Bech32, ValidatorAddress = Valoper(v), Amount = Coin(amount) };

    public static MsgBeginRedelegate Redelegate(TxSigner d, TxSigner src, TxSigner dst, BigInteger amount)
        => new() { DelegatorAddress = d.Bech32, ValidatorSrcAddress = Valoper(src), ValidatorDstAddress = Valoper(dst), Amount = Coin(amount) };

    /// <summary>The (pubkey hex → power) of a block's validator updates, in order.</summary>
    public static List<(string Key, long Power)> Updates(ResponseFinalizeBlock r)
        => [.. r.ValidatorUpdates.Select(u => (Convert.ToHexString(u.PubKey.Ed25519.ToByteArray()), u.Power))];

    public static string Hex(TxSigner s) => Convert.ToHexString(ConsKey(s));

    /// <summary>Runs <paramref name="action"/> on the app's working state as a module would inside the next block
    /// (what slashing does in its BeginBlock), at the next block's height and time; the next FinalizeBlock and Commit
    /// carry the writes.</summary>
    public T InBlockState<T>(Func<Context, T> action)
    {
        var branch = Store.Branch();
        var ctx = new Context(branch, new BlockHeader(ChainId, Height + 1, TimeAt(Height + 1)), ExecMode.Finalize, GasMeter.Infinite(), new EventManager());
        var result = action(ctx);
        branch.Write();
        return result;
    }
}
