using System.Text;
using DePinChain.Modules.Ibc.Commitment;
using DePinChain.Modules.Ibc.Host;
using DePinChain.Protos.Ibc.Core.Client.V1;
using DePinChain.Protos.Ibc.Core.Commitment.V1;
using DePinChain.Protos.Ibc.LightClients.Tendermint.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Modules.Ibc.Client.Tendermint;

/// <summary>
/// The 07-tendermint light client (ibc-go v8 light-clients/07-tendermint): a client state and one consensus state per
/// verified height (time, app hash as root, next validators hash) with ibc-go's metadata (processed time and height, a
/// height-ordered index), state proofs checked with <see cref="MerkleProofs"/> against a consensus state's root, expiry
/// by trusting period, freezing on misbehaviour. Header and misbehaviour verification is CometBFT's light-client
/// verification (<see cref="TendermintHeaderVerifier"/>).
/// </summary>
public sealed class TendermintLightClient : ILightClientModule
{
    public const string Type = "07-tendermint";

    public string ClientType => Type;

    public string ClientStateTypeUrl => TendermintStates.ClientStateTypeUrl;

    // ---- stored state ----

    public static ClientState? GetClientState(Context ctx, string clientId)
        => IbcStore.Of(ctx).GetMessage(IbcPaths.ClientState(clientId), Any.Parser) is { } any ? TendermintStates.UnpackClientState(any) : null;

    private static ClientState MustClientState(Context ctx, string clientId)
        => GetClientState(ctx, clientId) ?? throw IbcErrors.Client.ClientNotFound(clientId);

    public static void SetClientState(Context ctx, string clientId, ClientState cs)
        => IbcStore.Of(ctx).Set(IbcPaths.ClientState(clientId), TendermintStates.Pack(cs));

    public static ConsensusState? GetConsensusState(Context ctx, string clientId, Height height)
        => IbcStore.Of(ctx).GetMessage(IbcPaths.ConsensusState(clientId, height), Any.Parser) is { } any ? TendermintStates.UnpackConsensusState(any) : null;

    /// <summary>Stores a consensus state with its metadata: the time and height it was processed at and its index entry.</summary>
    public static void SetConsensusState(Context ctx, string clientId, Height height, ConsensusState cs)
    {
        var store = IbcStore.Of(ctx);
        store.Set(IbcPaths.ConsensusState(clientId, height), TendermintStates.Pack(cs));
        store.SetUInt64(IbcPaths.ProcessedTime(clientId, height), (ulong)TendermintStates.Nanos(ctx.Header.Time));
        store.Set(IbcPaths.ProcessedHeight(clientId, height), Encoding.UTF8.GetBytes(Heights.Format(Heights.SelfHeight(ctx.ChainId, ctx.Height))));
        store.Raw.Set(IbcPaths.IterationKey(clientId, height), Encoding.UTF8.GetBytes($"consensusStates/{Heights.Format(height)}"));
    }

    private static void DeleteConsensusState(Context ctx, string clientId, Height height)
    {
        var store = IbcStore.Of(ctx);
        store.Delete(IbcPaths.ConsensusState(clientId, height));
        store.Delete(IbcPaths.ProcessedTime(clientId, height));
        store.Delete(IbcPaths.ProcessedHeight(clientId, height));
        store.Raw.Delete(IbcPaths.IterationKey(clientId, height));
    }

    /// <summary>The heights of a client's consensus states, ascending (from the index).</summary>
    public static IEnumerable<Height> ConsensusHeights(Context ctx, string clientId)
    {
        var prefix = IbcPaths.IterationPrefix(clientId);
        foreach (var (key, _) in IbcStore.Of(ctx).Prefixed(prefix))
        {
            if (key.Length != prefix.Length + 16) continue;
            yield return Heights.Of(
                System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(prefix.Length)),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(prefix.Length + 8)));
        }
    }

    // ---- ILightClientModule ----

    public void Initialize(Context ctx, string clientId, Any clientState, Any consensusState)
    {
        var cs = TendermintStates.UnpackClientState(clientState);
        TendermintStates.Validate(cs);
        var consensus = TendermintStates.UnpackConsensusState(consensusState);
        TendermintStates.Validate(consensus);
        SetClientState(ctx, clientId, cs);
        SetConsensusState(ctx, clientId, cs.LatestHeight, consensus);
    }

    public string Status(Context ctx, string clientId)
    {
        var cs = GetClientState(ctx, clientId);
        if (cs is null) return ClientStatus.Unknown;
        if (!Heights.IsZero(cs.FrozenHeight)) return ClientStatus.Frozen;
        var latest = GetConsensusState(ctx, clientId, cs.LatestHeight);
        if (latest is null || IsExpired(cs, latest.Timestamp, ctx.Header.Time)) return ClientStatus.Expired;
        return ClientStatus.Active;
    }

    /// <summary>Expired unless the consensus state's time + trusting period is after now.</summary>
    public static bool IsExpired(ClientState cs, Timestamp? latestTimestamp, DateTimeOffset now)
        => !(TendermintStates.Nanos(latestTimestamp) + TendermintStates.Nanos(cs.TrustingPeriod) > TendermintStates.Nanos(now));

    public Height LatestHeight(Context ctx, string clientId) => GetClientState(ctx, clientId)?.LatestHeight ?? Heights.Zero;

    public ulong TimestampAtHeight(Context ctx, string clientId, Height height)
    {
        var consensus = GetConsensusState(ctx, clientId, height)
            ?? throw IbcErrors.Client.ConsensusStateNotFound($"height {Heights.Format(height)}");
        return (ulong)TendermintStates.Nanos(consensus.Timestamp);
    }

    public void VerifyClientMessage(Context ctx, string clientId, Any clientMessage)
    {
        var cs = MustClientState(ctx, clientId);
        switch (clientMessage?.TypeUrl)
        {
            case TendermintStates.HeaderTypeUrl:
                TendermintHeaderVerifier.VerifyHeader(ctx, clientId, cs, ParseHeader(clientMessage));
                break;
            case TendermintStates.MisbehaviourTypeUrl:
                TendermintHeaderVerifier.VerifyMisbehaviour(ctx, clientId, cs, ParseMisbehaviour(clientMessage));
                break;
            default:
                throw IbcErrors.Client.InvalidClientType($"expected {TendermintStates.HeaderTypeUrl} or {TendermintStates.MisbehaviourTypeUrl}, got {clientMessage?.TypeUrl}");
        }
    }

    public static Header ParseHeader(Any any) => TendermintStates.Parse(any.Value, Header.Parser, "header");

    public static Misbehaviour ParseMisbehaviour(Any any) => TendermintStates.Parse(any.Value, Misbehaviour.Parser, "misbehaviour");

    /// <summary>The IBC height of a header: revision from its chain id, its block height.</summary>
    public static Height HeightOf(Header header)
        => Heights.Of(Heights.RevisionOf(header.SignedHeader?.Header?.ChainId ?? ""), (ulong)(header.SignedHeader?.Header?.Height ?? 0));

    /// <summary>The consensus state a verified header gives.</summary>
    public static ConsensusState ConsensusStateOf(Header header) => new()
    {
        Timestamp = header.SignedHeader.Header.Time ?? new Timestamp(),
        Root = new MerkleRoot { Hash = header.SignedHeader.Header.AppHash },
        NextValidatorsHash = header.SignedHeader.Header.NextValidatorsHash,
    };

    public bool CheckForMisbehaviour(Context ctx, string clientId, Any clientMessage)
    {
        if (clientMessage.TypeUrl == TendermintStates.HeaderTypeUrl)
        {
            var header = ParseHeader(clientMessage);
            var height = HeightOf(header);
            var consensus = TendermintStates.WithGogoDefaults(ConsensusStateOf(header));
            if (GetConsensusState(ctx, clientId, height) is { } existing)
                return !TendermintStates.WithGogoDefaults(existing).Equals(consensus);
            // Consensus state times must increase with height.
            Height? previous = null, next = null;
            foreach (var h in ConsensusHeights(ctx, clientId))
            {
                if (Heights.Lt(h, height)) previous = h;
                else if (Heights.Gt(h, height)) { next = h; break; }
            }
            var time = TendermintStates.Nanos(consensus.Timestamp);
            if (previous is not null && !(TendermintStates.Nanos(GetConsensusState(ctx, clientId, previous)!.Timestamp) < time)) return true;
            if (next is not null && !(TendermintStates.Nanos(GetConsensusState(ctx, clientId, next)!.Timestamp) > time)) return true;
            return false;
        }
        if (clientMessage.TypeUrl == TendermintStates.MisbehaviourTypeUrl)
        {
            var m = ParseMisbehaviour(clientMessage);
            var (h1, h2) = (HeightOf(m.Header1), HeightOf(m.Header2));
            if (Heights.Compare(h1, h2) == 0)
                return !m.Header1.SignedHeader.Commit.BlockId.Hash.Equals(m.Header2.SignedHeader.Commit.BlockId.Hash);
            // Header1 is the higher one: misbehaviour when its time is not after Header2's (BFT time violation).
            return !(TendermintStates.Nanos(m.Header1.SignedHeader.Header.Time) > TendermintStates.Nanos(m.Header2.SignedHeader.Header.Time));
        }
        return false;
    }

    public void UpdateStateOnMisbehaviour(Context ctx, string clientId, Any clientMessage)
    {
        var cs = MustClientState(ctx, clientId);
        cs.FrozenHeight = TendermintStates.FrozenHeight;
        SetClientState(ctx, clientId, cs);
    }

    public IReadOnlyList<Height> UpdateState(Context ctx, string clientId, Any clientMessage)
    {
        // A verified misbehaviour reaches here only when CheckForMisbehaviour found none in it (ibc-go panics here).
        if (clientMessage.TypeUrl == TendermintStates.MisbehaviourTypeUrl)
            throw IbcErrors.Client.InvalidMisbehaviour("the headers show no misbehaviour: at the same height they commit to the same block, at different heights the higher one is later in time");
        if (clientMessage.TypeUrl != TendermintStates.HeaderTypeUrl)
            throw IbcErrors.Client.InvalidClientType($"expected {TendermintStates.HeaderTypeUrl}, got {clientMessage.TypeUrl}");
        var cs = MustClientState(ctx, clientId);
        PruneOldestConsensusState(ctx, clientId, cs);
        var header = ParseHeader(clientMessage);
        var height = HeightOf(header);
        // A header already stored (another relayer's update) is a no-op.
        if (GetConsensusState(ctx, clientId, height) is not null) return [height];
        if (Heights.Gt(height, cs.LatestHeight)) cs.LatestHeight = height;
        SetClientState(ctx, clientId, cs);
        SetConsensusState(ctx, clientId, height, ConsensusStateOf(header));
        return [height];
    }

    /// <summary>Deletes the oldest consensus state when it has expired (one per update, as ibc-go).</summary>
    private static void PruneOldestConsensusState(Context ctx, string clientId, ClientState cs)
    {
        foreach (var height in ConsensusHeights(ctx, clientId))
        {
            var consensus = GetConsensusState(ctx, clientId, height);
            if (consensus is not null && IsExpired(cs, consensus.Timestamp, ctx.Header.Time)) DeleteConsensusState(ctx, clientId, height);
            break;
        }
    }

    public void VerifyMembership(Context ctx, string clientId, Height height, ulong delayTimePeriod, ulong delayBlockPeriod,
        byte[] proof, MerklePath path, byte[] value)
    {
        var (cs, consensus, merkleProof) = PrepareVerification(ctx, clientId, height, delayTimePeriod, delayBlockPeriod, proof);
        MerkleProofs.VerifyMembership(merkleProof, cs.ProofSpecs, consensus.Root.Hash.Span, path, value);
    }

    public void VerifyNonMembership(Context ctx, string clientId, Height height, ulong delayTimePeriod, ulong delayBlockPeriod,
        byte[] proof, MerklePath path)
    {
        var (cs, consensus, merkleProof) = PrepareVerification(ctx, clientId, height, delayTimePeriod, delayBlockPeriod, proof);
        MerkleProofs.VerifyNonMembership(merkleProof, cs.ProofSpecs, consensus.Root.Hash.Span, path);
    }

    private static (ClientState, ConsensusState, MerkleProof) PrepareVerification(Context ctx, string clientId, Height height,
        ulong delayTimePeriod, ulong delayBlockPeriod, byte[] proof)
    {
        var cs = MustClientState(ctx, clientId);
        if (Heights.Lt(cs.LatestHeight, height))
            throw IbcErrors.Core.InvalidHeight($"client state height < proof height ({Heights.Format(cs.LatestHeight)} < {Heights.Format(height)}), please ensure the client has been updated");
        VerifyDelayPeriodPassed(ctx, clientId, height, delayTimePeriod, delayBlockPeriod);
        var merkleProof = MerkleProofs.Parse(ByteString.CopyFrom(proof));
        var consensus = GetConsensusState(ctx, clientId, height)
            ?? throw IbcErrors.Client.ConsensusStateNotFound("please ensure the proof was constructed against a height that exists on the client");
        return (cs, TendermintStates.WithGogoDefaults(consensus), merkleProof);
    }

    private static void VerifyDelayPeriodPassed(Context ctx, string clientId, Height height, ulong delayTimePeriod, ulong delayBlockPeriod)
    {
        var store = IbcStore.Of(ctx);
        if (delayTimePeriod != 0)
        {
            var processedTime = store.GetUInt64(IbcPaths.ProcessedTime(clientId, height))
                ?? throw TendermintErrors.ProcessedTimeNotFound($"processed time not found for height: {Heights.Format(height)}");
            var now = (UInt128)(ulong)TendermintStates.Nanos(ctx.Header.Time);
            var validTime = (UInt128)processedTime + delayTimePeriod;
            if (now < validTime) throw TendermintErrors.DelayPeriodNotPassed($"cannot verify packet until time: {validTime}, current time: {now}");
        }
        if (delayBlockPeriod != 0)
        {
            var text = store.Get(IbcPaths.ProcessedHeight(clientId, height));
            if (text is null || !Heights.TryParse(Encoding.UTF8.GetString(text), out var processed))
                throw TendermintErrors.ProcessedHeightNotFound($"processed height not found for height: {Heights.Format(height)}");
            var valid = Heights.Of(processed.RevisionNumber, processed.RevisionHeight + delayBlockPeriod);
            var current = Heights.SelfHeight(ctx.ChainId, ctx.Height);
            if (Heights.Lt(current, valid))
                throw TendermintErrors.DelayPeriodNotPassed($"cannot verify packet until height: {Heights.Format(valid)}, current height: {Heights.Format(current)}");
        }
    }
}
