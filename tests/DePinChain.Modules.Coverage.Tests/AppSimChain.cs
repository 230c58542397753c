using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Modules.Devices.Tests;
using DePinChain.Modules.Mint;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Store;
using DePinChain.Store.Backend;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using MintGenesisState = DePinChain.Protos.Depin.Mint.V1.GenesisState;

namespace DePinChain.Modules.Coverage.Tests;

/// <summary>
/// The real app driven in-process the way CometBFT drives it: InitChain, then per block one
/// FinalizeBlock (with the block hash the sim's entropy uses) and Commit; every message is a signed
/// Cosmos tx built by <see cref="TxBuilder"/>; queries go through ABCI Query.
/// </summary>
public sealed class AppSimChain : ISimChain, IDisposable
{
    public const ulong GasPerTx = 3_000_000;
    private static readonly DateTimeOffset GenesisTime = DateTimeOffset.UnixEpoch.AddYears(56);
    private readonly MultiStore _store;
    private readonly List<byte[]> _queued = [];
    private readonly Dictionary<string, (ulong Number, ulong Sequence)> _accounts = new(StringComparer.Ordinal);

    public DePinApp App { get; }

    /// <param name="modules">The app's modules (default: the node's own wiring, "gov" authority).</param>
    /// <param name="editAppState">Changes to the genesis app state before InitChain (other modules' genesis, for one).</param>
    public AppSimChain(SimGenesis genesis, IKeyValueStore? db = null, AppModules? modules = null, Action<JsonObject>? editAppState = null)
    {
        _store = MultiStore.OpenOwning(db ?? new MemoryKeyValueStore(), AppModules.AllStoreNames, new MultiStoreOptions { CreateIfEmpty = true });
        App = new DePinApp(_store, modules: modules);
        var appState = TxBuilder.GenesisAppState([.. genesis.Balances.Select(b => (b.Address, (System.Numerics.BigInteger)b.Amount))]);
        // The chain's epochs are mint's: its schedule sets the epoch length the sim counts in.
        var schedule = MintKeeper.DefaultSchedule();
        schedule.EpochBlocks = genesis.EpochBlocks;
        var mint = MintGenesis.Json.Format(new MintGenesisState { Params = MintKeeper.DefaultParams(), Schedule = schedule, Minter = MintKeeper.InitialMinter() });
        appState = appState[..^1] + $",\"devices\":{genesis.DevicesJson},\"coverage\":{genesis.CoverageJson},\"mint\":{mint}}}";
        App.InitChain(new RequestInitChain
        {
            ChainId = SimWorld.ChainId,
            InitialHeight = 1,
            Time = Timestamp.FromDateTimeOffset(GenesisTime),
            AppStateBytes = ByteString.CopyFromUtf8(Edited(appState, editAppState)),
            ConsensusParams = new Protos.Types.ConsensusParams { Block = new() { MaxBytes = 100 * 1024 * 1024, MaxGas = -1 } },
        });
        FinishBlock(); // block 1, empty: queries need committed state
    }

    private static string Edited(string appState, Action<JsonObject>? edit)
    {
        if (edit is null) return appState;
        var state = JsonNode.Parse(appState)!.AsObject();
        edit(state);
        return state.ToJsonString();
    }

    public long Height => App.Info(new RequestInfo()).LastBlockHeight + 1;

    /// <summary>Validators (consensus address, power) that signed the previous block, sent as each block's DecidedLastCommit.</summary>
    public List<(byte[] Address, long Power)> Signers { get; } = [];

    public void Queue(IMessage msg, byte[] signerSecret)
    {
        var signer = new TxSigner(signerSecret);
        if (!_accounts.TryGetValue(signer.Bech32, out var account))
        {
            var response = Query("/cosmos.auth.v1beta1.Query/Account", new QueryAccountRequest { Address = signer.Bech32 }, QueryAccountResponse.Parser);
            account = (BaseAccount.Parser.ParseFrom(response.Account.Value).AccountNumber, BaseAccount.Parser.ParseFrom(response.Account.Value).Sequence);
        }
        var tx = new TxBuilder().AddMessage(msg).WithFee(ModuleChain.Denom, 0, GasPerTx).Sign(signer, SimWorld.ChainId, account.Number, account.Sequence);
        _accounts[signer.Bech32] = (account.Number, account.Sequence + 1);
        _queued.Add(tx.ToByteArray());
    }

    public IReadOnlyList<(uint Code, string Codespace, string Log)> FinishBlock()
    {
        var height = Height;
        var request = new RequestFinalizeBlock
        {
            Height = height,
            Time = Timestamp.FromDateTimeOffset(GenesisTime.AddSeconds(5 * height)),
            Hash = ByteString.CopyFrom(ModuleChain.BlockHashOf(height)),
            DecidedLastCommit = new Protos.Abci.CommitInfo(),
        };
        foreach (var (address, power) in Signers)
            request.DecidedLastCommit.Votes.Add(new Protos.Abci.VoteInfo
            {
                Validator = new Protos.Abci.Validator { Address = ByteString.CopyFrom(address), Power = power }, BlockIdFlag = Protos.Types.BlockIDFlag.Commit,
            });
        foreach (var tx in _queued) request.Txs.Add(ByteString.CopyFrom(tx));
        _queued.Clear();
        var response = App.FinalizeBlock(request);
        App.Commit(new RequestCommit());
        return [.. response.TxResults.Select(r => (r.Code, r.Codespace, r.Log))];
    }

    public TResp Query<TResp>(string path, IMessage request, MessageParser<TResp> parser) where TResp : IMessage<TResp>
    {
        var response = App.Query(new RequestQuery { Path = path, Data = request.ToByteString() });
        if (response.Code != 0) throw new InvalidOperationException($"query {path} failed: {response.Codespace}/{response.Code}: {response.Log}");
        return parser.ParseFrom(response.Value);
    }

    public void Dispose() => _store.Dispose();
}
