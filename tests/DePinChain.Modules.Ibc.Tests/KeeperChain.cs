using DePinChain.Modules.Ibc.Channel;
using DePinChain.Modules.Ibc.Client;
using DePinChain.Modules.Ibc.Client.Tendermint;
using DePinChain.Modules.Ibc.Commitment;
using DePinChain.Modules.Ibc.Connection;
using DePinChain.Modules.Ibc.Host;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Protos.Ibc.Core.Client.V1;
using DePinChain.Protos.Ibc.Core.Commitment.V1;
using DePinChain.Sdk;
using DePinChain.Store;
using DePinChain.Store.Backend;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using TmClientState = DePinChain.Protos.Ibc.LightClients.Tendermint.V1.ClientState;
using TmConsensusState = DePinChain.Protos.Ibc.LightClients.Tendermint.V1.ConsensusState;

namespace DePinChain.Modules.Ibc.Tests;

/// <summary>
/// The IBC keepers on a real multistore (ICS-23 proofs), one block per <see cref="Block"/>: a chain without the rest
/// of the app, for the handshake and packet paths. Its own past headers (time, app hash of the previous commit) stand
/// in for staking's historical info.
/// </summary>
internal sealed class KeeperChain : IIbcStakingKeeper
{
    public static readonly DateTimeOffset Genesis = DateTimeOffset.UnixEpoch.AddYears(56);
    public static readonly TimeSpan Unbonding = TimeSpan.FromDays(21);

    private readonly MultiStore _store = MultiStore.OpenOwning(new MemoryKeyValueStore(), [IbcStore.StoreName], new MultiStoreOptions { CreateIfEmpty = true });
    private readonly Dictionary<long, byte[]> _commitHashes = new() { [0] = MultiStore.EmptyAppHash };

    public KeeperChain(string chainId, IIbcModule app)
    {
        ChainId = chainId;
        Ports = new PortRouter().Bind("mock", app);
        Clients = new ClientKeeper(new TendermintLightClient());
        Connections = new ConnectionKeeper(Clients, this);
        Channels = new ChannelKeeper(Connections, Ports);
    }

    public string ChainId { get; }
    public PortRouter Ports { get; }
    public ClientKeeper Clients { get; }
    public ConnectionKeeper Connections { get; }
    public ChannelKeeper Channels { get; }

    /// <summary>The last committed height.</summary>
    public long Height { get; private set; }

    public List<SdkEvent> Events { get; } = [];

    public static DateTimeOffset TimeAt(long height) => Genesis.AddSeconds(height);

    /// <summary>Runs <paramref name="step"/> in block Height+1 and commits it (nothing is kept when it throws). Blocks do
    /// not nest: build relayed messages (which may seed a block) before.</summary>
    public T Block<T>(Func<Context, T> step)
    {
        var height = Height + 1;
        var branch = _store.Branch();
        var events = new EventManager();
        var ctx = new Context(branch, new BlockHeader(ChainId, height, TimeAt(height)), ExecMode.Finalize, GasMeter.Infinite(), events);
        var result = step(ctx);
        branch.Write();
        var commit = _store.Commit();
        Assert.Equal(height, commit.Version);
        _commitHashes[height] = commit.Hash;
        Height = height;
        Events.Clear();
        Events.AddRange(events.Events);
        return result;
    }

    public void Block(Action<Context> step) => Block<bool>(ctx => { step(ctx); return true; });

    public void Block() => Block(_ => { });

    /// <summary>A mempool's state as the app keeps one: a branch of the last commit that passing CheckTx writes accumulate on.</summary>
    public ICacheMultiStore MempoolState() => _store.ViewAt(Height).Branch();

    /// <summary>CheckTx (or its recheck) of a tx made of <paramref name="messages"/> through the redundant-relay check on
    /// <paramref name="mempool"/>, its writes kept there when it passes, as the app's TxRunner does.</summary>
    public void CheckTx(ICacheMultiStore mempool, ExecMode mode, params IMessage[] messages)
    {
        var tx = mempool.Branch();
        var ctx = new Context(tx, new BlockHeader(ChainId, Height + 1, TimeAt(Height)), mode, GasMeter.Infinite(), new EventManager());
        new RedundantRelayCheck(Channels, Clients).Check(ctx, messages);
        tx.Write();
    }

    /// <summary>A read-only look at the committed state.</summary>
    public T Read<T>(Func<Context, T> read)
        => read(new Context(_store.ViewAt(Height).Branch(), new BlockHeader(ChainId, Height, TimeAt(Height)), ExecMode.Query, GasMeter.Infinite(), new EventManager()));

    /// <summary>The header at a height as a light client would see it (time, app hash = state after the block before).</summary>
    public HistoricalInfo? GetHistoricalInfo(Context ctx, long height)
        => _commitHashes.TryGetValue(height - 1, out var appHash) && height <= ctx.Height
            ? new HistoricalInfo { Header = new DePinChain.Protos.Types.Header { ChainId = ChainId, Height = height, Time = Timestamp.FromDateTimeOffset(TimeAt(height)), AppHash = ByteString.CopyFrom(appHash) } }
            : null;

    public TimeSpan UnbondingTime(Context ctx) => Unbonding;

    /// <summary>This chain's consensus state at a height (after that block's predecessor was committed).</summary>
    public TmConsensusState ConsensusStateAt(long height) => new()
    {
        Timestamp = Timestamp.FromDateTimeOffset(TimeAt(height)),
        Root = new MerkleRoot { Hash = ByteString.CopyFrom(_commitHashes[height - 1]) },
    };

    public TmClientState ClientStateAt(long height) => new()
    {
        ChainId = ChainId,
        TrustLevel = new DePinChain.Protos.Ibc.LightClients.Tendermint.V1.Fraction { Numerator = 1, Denominator = 3 },
        TrustingPeriod = Duration.FromTimeSpan(TimeSpan.FromDays(14)),
        UnbondingPeriod = Duration.FromTimeSpan(Unbonding),
        MaxClockDrift = Duration.FromTimeSpan(TimeSpan.FromSeconds(600)),
        LatestHeight = Heights.Of(Heights.RevisionOf(ChainId), (ulong)height),
        ProofSpecs = { MerkleProofs.SdkSpecs },
        UpgradePath = { "upgrade", "upgradedIBCState" },
    };

    /// <summary>The proof of a key of the ibc store at the last committed height, as ibc-go's MerkleProof bytes, and
    /// the proof height (the next header's, whose app hash is that state's root).</summary>
    public (ByteString Proof, Height Height) Prove(string path)
    {
        var result = _store.Query(IbcStore.StoreName, System.Text.Encoding.UTF8.GetBytes(path), Height, prove: true);
        var proof = new MerkleProof();
        foreach (var op in result.ProofOps) proof.Proofs.Add(DePinChain.Protos.Ics23.CommitmentProof.Parser.ParseFrom(op.Data));
        return (proof.ToByteString(), Heights.Of(Heights.RevisionOf(ChainId), (ulong)(Height + 1)));
    }

    /// <summary>
    /// Stores <paramref name="counterparty"/>'s consensus state at its next height (whose root is its last committed
    /// state) in this chain's client of it, as an update with that header would, in a block of this chain. Until the CometBFT light verifier is on this branch
    /// the tests seed consensus states this way instead of through MsgUpdateClient with signed headers.
    /// </summary>
    public void SeedConsensusState(string clientId, KeeperChain counterparty)
    {
        var height = counterparty.Height + 1;
        var consensus = counterparty.ConsensusStateAt(height);
        Block(ctx =>
        {
            var cs = TendermintLightClient.GetClientState(ctx, clientId)!;
            var h = Heights.Of(cs.LatestHeight.RevisionNumber, (ulong)height);
            if (Heights.Gt(h, cs.LatestHeight)) cs.LatestHeight = h;
            TendermintLightClient.SetClientState(ctx, clientId, cs);
            TendermintLightClient.SetConsensusState(ctx, clientId, h, consensus);
        });
    }
}
