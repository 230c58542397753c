using DePinChain.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePinChain.Sdk;

/// <summary>Why state is being touched; some checks (min gas price) depend on it.</summary>
public enum ExecMode
{
    Genesis,
    CheckTx,
    ReCheckTx,
    Simulate,
    PrepareProposal,
    Finalize,
    Query,
}

/// <summary>The block being built or executed, as the header carries it.</summary>
/// <param name="Hash">The block's hash (FinalizeBlock's <c>hash</c>); empty where there is no block (genesis, CheckTx, queries).
/// Chain-derived entropy for proof of coverage comes from here.</param>
/// <param name="ProposerAddress">The proposer's consensus address (20 bytes); empty where there is no block.</param>
/// <param name="LastCommitVotes">Who voted for the previous block and with what power (FinalizeBlock's
/// <c>decided_last_commit</c>), in CometBFT's order; empty where there is no block.</param>
/// <param name="NextValidatorsHash">The hash of the validator set of the next block (FinalizeBlock's
/// <c>next_validators_hash</c>); empty where there is no block. Staking keeps it in its historical info (IBC's
/// self-client checks read it).</param>
/// <param name="LastAppHash">The app hash of the last committed block, as this block's header carries it (the SDK's
/// <c>header.AppHash</c>); empty where there is no block.</param>
/// <param name="Evidence">Misbehavior CometBFT reports in this block (FinalizeBlock's <c>misbehavior</c>).</param>
public sealed record BlockHeader(
    string ChainId,
    long Height,
    DateTimeOffset Time,
    byte[]? Hash = null,
    byte[]? ProposerAddress = null,
    IReadOnlyList<VoteInfo>? LastCommitVotes = null,
    byte[]? NextValidatorsHash = null,
    byte[]? LastAppHash = null,
    IReadOnlyList<Misbehavior>? Evidence = null)
{
    public byte[] BlockHash => Hash ?? [];

    public IReadOnlyList<VoteInfo> Votes => LastCommitVotes ?? [];

    public IReadOnlyList<Misbehavior> Misbehaviors => Evidence ?? [];
}

/// <summary>One validator's vote on the previous block: its consensus address, power, and whether it signed.</summary>
/// <param name="SignedLastBlock">It signed for the block (CometBFT's <c>BLOCK_ID_FLAG_COMMIT</c>).</param>
/// <param name="Absent">No vote of it arrived at all (<c>BLOCK_ID_FLAG_ABSENT</c>): what liveness counts as missed. A
/// validator that voted nil is neither signed nor absent.</param>
public sealed record VoteInfo(byte[] ValidatorAddress, long Power, bool SignedLastBlock, bool Absent = false);

/// <summary>The kinds of misbehavior CometBFT reports (ABCI's <c>MisbehaviorType</c>).</summary>
public enum MisbehaviorKind
{
    Unknown = 0,
    DuplicateVote = 1,
    LightClientAttack = 2,
}

/// <summary>
/// Evidence that a validator misbehaved, as CometBFT reports it in FinalizeBlock: who (consensus address and the power
/// it had then), at which height and block time, and the total voting power at that height.
/// </summary>
public sealed record Misbehavior(MisbehaviorKind Kind, byte[] ValidatorAddress, long ValidatorPower, long Height, DateTimeOffset Time, long TotalVotingPower);

/// <summary>
/// Everything a handler may use: the (branched) state, the block header, the gas meter and the event sink.
/// Immutable; <see cref="With"/> derives one for a nested branch.
/// </summary>
/// <param name="signatures">Where handlers get signature verdicts; null = verify when asked.</param>
public sealed class Context(
    IMultiStore store, BlockHeader header, ExecMode mode, GasMeter gasMeter, EventManager events,
    ILogger? logger = null, KVGasConfig? gasConfig = null, ISignatureVerifier? signatures = null)
{
    // The gas-metered views handed out by KVStore, one per store name: a bank send asks for the same two stores
    // about twenty times. The multistore returns the same store for a name while it lives, so reuse changes nothing.
    private (string Name, IKVStore Store)[] _kvStores = [];

    public IMultiStore MultiStore { get; } = store;

    public BlockHeader Header { get; } = header;

    public string ChainId => Header.ChainId;

    public long Height => Header.Height;

    public ExecMode Mode { get; } = mode;

    public GasMeter GasMeter { get; } = gasMeter;

    public EventManager Events { get; } = events;

    public ILogger Logger { get; } = logger ?? NullLogger.Instance;

    public KVGasConfig GasConfig { get; } = gasConfig ?? KVGasConfig.Default;

    public bool IsCheckTx => Mode is ExecMode.CheckTx or ExecMode.ReCheckTx;

    /// <summary>
    /// Signature verdicts: handlers check stateless signatures through this (never by verifying themselves), so the
    /// app can verify them ahead of execution; the verdict is always the one verifying now would give.
    /// </summary>
    public ISignatureVerifier Signatures { get; } = signatures ?? DirectSignatureVerifier.Instance;

    /// <summary>A module's store, charging this context's gas meter for every access.</summary>
    public IKVStore KVStore(string name)
    {
        var known = _kvStores;
        foreach (var (n, s) in known)
            if (ReferenceEquals(n, name) || n == name) return s;
        var store = new GasKVStore(MultiStore.GetStore(name), GasMeter, GasConfig);
        // Not thread-safe and need not be: a context belongs to one thread; a lost update only costs a wrapper.
        _kvStores = [.. known, (name, store)];
        return store;
    }

    public Context With(IMultiStore? store = null, GasMeter? gasMeter = null, EventManager? events = null, ExecMode? mode = null)
        => new(store ?? MultiStore, Header, mode ?? Mode, gasMeter ?? GasMeter, events ?? Events, Logger, GasConfig, Signatures);
}
