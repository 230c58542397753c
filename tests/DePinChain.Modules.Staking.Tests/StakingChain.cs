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

/// <summary>
/// The app driven through InitChain / FinalizeBlock / Commit, one second per block, with staking's genesis. Each
/// FinalizeBlock carries decided_last_commit as CometBFT builds it: one vote per validator of the set that signed the
/// previous block (the set InitChain and validator_updates gave, updates of block H in force from H+2), COMMIT unless
/// the test marks the validator <see cref="Absent"/> or <see cref="Nil"/>; and the misbehavior queued in
/// <see cref="NextMisbehavior"/>.
/// </summary>
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

    /// <param name="edit">Changes to the app_state JSON (other modules' genesis) before InitChain.</param>
    /// <param name="evidence">The consensus params' evidence section (CometBFT's defaults when null).</param>
    /// <param name="genesisTime">Genesis time (block h at genesis time + h seconds).</param>
    public StakingChain(StakingParams? p = null, string? appState = null, Action<JsonObject>? edit = null,
        DePinChain.Protos.Types.EvidenceParams? evidence = null, DateTimeOffset? genesisTime = null)
    {
        Store = new TestCommitMultiStore(AppModules.AllStoreNames);
        App = new DePinApp(Store);
        Params = p ?? DefaultTestParams();
        GenesisTime = genesisTime ?? Genesis;
        var state = JsonNode.Parse(appState ?? AppState(Params))!.AsObject();
        edit?.Invoke(state);
        var request = new RequestInitChain
        {
            ChainId = ChainId,
            InitialHeight = 1,
            Time = Timestamp.FromDateTimeOffset(GenesisTime),
            AppStateBytes = ByteString.CopyFromUtf8(state.ToJsonString()),
            ConsensusParams = new DePinChain.Protos.Types.ConsensusParams
            {
                Block = new() { MaxBytes = 22020096, MaxGas = 0 },
                Evidence = evidence ?? new() { MaxAgeNumBlocks = 100_000, MaxAgeDuration = Duration.FromTimeSpan(TimeSpan.FromHours(48)), MaxBytes = 1_048_576 },
            },
        };
        InitChainResponse = App.InitChain(request);
        var initial = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var u in InitChainResponse.Validators) initial[Convert.ToHexString(u.PubKey.Ed25519.ToByteArray())] = u.Power;
        _sets[1] = initial;
        _sets[2] = initial;
        FirstBlock = Block();
    }

    // The validator set of each height, as CometBFT derives it from InitChain and each block's validator_updates.
    private readonly Dictionary<long, SortedDictionary<string, long>> _sets = [];

    /// <summary>Validators (consensus key hex) whose votes the next blocks' decided_last_commit lists as ABSENT.</summary>
    public HashSet<string> Absent { get; } = new(StringComparer.Ordinal);

    /// <summary>Validators (consensus key hex) whose votes the next blocks' decided_last_commit lists as NIL.</summary>
    public HashSet<string> Nil { get; } = new(StringComparer.Ordinal);

    /// <summary>Misbehavior the next block's request carries (then cleared).</summary>
    public List<DePinChain.Protos.Abci.Misbehavior> NextMisbehavior { get; } = [];

    /// <summary>The validator set (consensus key hex → power) CometBFT runs height <paramref name="height"/> with.</summary>
    public IReadOnlyDictionary<string, long> SetAt(long height) => _sets[height];

    /// <summary>The set after every validator update so far (the one CometBFT will run two heights after the last block).</summary>
    public IReadOnlyDictionary<string, long> LatestSet => _sets[Height + 2];

    public DateTimeOffset GenesisTime { get; }

    /// <summary>This chain's block time of <paramref name="height"/>.</summary>
    public DateTimeOffset BlockTime(long height) => GenesisTime.AddSeconds(height);

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
        long height = Height + 1;
        var request = new RequestFinalizeBlock { Height = height, Time = Timestamp.FromDateTimeOffset(BlockTime(height)), DecidedLastCommit = new CommitInfo() };
        foreach (var tx in txs) request.Txs.Add(ByteString.CopyFrom(tx));
        if (height > 1)
        {
            foreach (var (key, power) in _sets[height - 1])
            {
                var flag = Absent.Contains(key) ? DePinChain.Protos.Types.BlockIDFlag.Absent
                    : Nil.Contains(key) ? DePinChain.Protos.Types.BlockIDFlag.Nil : DePinChain.Protos.Types.BlockIDFlag.Commit;
                request.DecidedLastCommit.Votes.Add(new DePinChain.Protos.Abci.VoteInfo { Validator = Validator(Convert.FromHexString(key), power), BlockIdFlag = flag });
            }
        }
        request.Misbehavior.AddRange(NextMisbehavior);
        NextMisbehavior.Clear();
        var response = App.FinalizeBlock(request);
        App.Commit(new RequestCommit());
        var next = new SortedDictionary<string, long>(_sets[height + 1], StringComparer.Ordinal);
        foreach (var (key, power) in Updates(response))
        {
            if (power == 0) next.Remove(key);
            else next[key] = power;
        }
        _sets[height + 2] = next;
        return response;
    }

    /// <summary>CometBFT's validator (address = the key's consensus address) with its power.</summary>
    public static DePinChain.Protos.Abci.Validator Validator(byte[] consensusKey, long power)
        => new() { Address = ByteString.CopyFrom(ValidatorMath.ConsAddress(consensusKey)), Power = power };

    /// <summary>Evidence of <paramref name="who"/> double signing at <paramref name="height"/> (its time is that block's).</summary>
    public DePinChain.Protos.Abci.Misbehavior DoubleSign(TxSigner who, long height, MisbehaviorType type = MisbehaviorType.DuplicateVote)
    {
        long power = _sets[height].GetValueOrDefault(Hex(who));
        return new DePinChain.Protos.Abci.Misbehavior
        {
            Type = type,
            Validator = Validator(ConsKey(who), power),
            Height = height,
            Time = Timestamp.FromDateTimeOffset(BlockTime(height)),
            TotalVotingPower = _sets[height].Values.Sum(),
        };
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

    /// <summary>Any module's query at its full path; requires code 0.</summary>
    public T Ask<T>(string path, IMessage request, MessageParser<T> parser) where T : IMessage<T>
    {
        var response = Query(path, request);
        Assert.True(response.Code == 0, path + ": " + response.Log);
        return parser.ParseFrom(response.Value);
    }

    /// <summary>Mint's burn ledger: every udpin burned so far (slashes included).</summary>
    public BigInteger BurnedTotal()
        => BigInteger.Parse(Ask("/depin.mint.v1.Query/Minted", new DePinChain.Protos.Depin.Mint.V1.QueryMintedRequest(),
            DePinChain.Protos.Depin.Mint.V1.QueryMintedResponse.Parser).Minter.BurnedTotal);

    /// <summary>
    /// Supply conservation at the last committed height: the udpin of every account and module account (bank's
    /// balances, as the app's exporter writes them) adds up to the supply bank reports.
    /// </summary>
    public void AssertSupplyConserved()
    {
        var bank = JsonNode.Parse(App.ExportAppState())!["bank"]!;
        BigInteger sum = 0;
        foreach (var balance in bank["balances"]!.AsArray())
            foreach (var coin in balance!["coins"]!.AsArray())
                if ((string?)coin!["denom"] == Denom) sum += BigInteger.Parse((string)coin["amount"]!);
        Assert.True(sum == Supply(), $"height {Height}: balances add up to {sum}, supply is {Supply()}");
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
        var ctx = new Context(branch, new BlockHeader(ChainId, Height + 1, BlockTime(Height + 1)), ExecMode.Finalize, GasMeter.Infinite(), new EventManager());
        var result = action(ctx);
        branch.Write();
        return result;
    }
}
