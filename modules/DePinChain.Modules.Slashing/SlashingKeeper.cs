using System.Globalization;
using System.Text;
using DePinChain.Protos.Cosmos.Slashing.V1Beta1;
using BondStatus = DePinChain.Protos.Cosmos.Staking.V1Beta1.BondStatus;
using Validator = DePinChain.Protos.Cosmos.Staking.V1Beta1.Validator;
using DePinChain.Sdk;
using DePinChain.Store.Backend;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Modules.Slashing;

/// <summary>
/// Owns the slashing store: params, each validator's signing info (by consensus address) and its missed-block bitmap.
/// Punishes double signing (misbehavior CometBFT reports: x/evidence's equivocation handling) and downtime (the
/// votes of the last commit: x/slashing's liveness), through staking (ExpectedKeepers.cs). Cosmos-sdk v0.50's rules
/// (x/slashing/keeper, x/evidence/keeper/infraction.go); see README.md.
/// </summary>
public sealed class SlashingKeeper(IStakingKeeper staking, IEvidenceParams evidence)
{
    /// <summary>The SDK's <c>ValidatorUpdateDelay</c>: a block's validator set was decided this many blocks before.</summary>
    public const long ValidatorUpdateDelay = 1;

    /// <summary>A double signer's <c>jailed_until</c>: 9999-12-31T23:59:59Z (the SDK's <c>DoubleSignJailEndTime</c>).</summary>
    public static readonly DateTimeOffset DoubleSignJailEndTime = DateTimeOffset.FromUnixTimeSeconds(253402300799);

    public IStakingKeeper Staking { get; } = staking;

    /// <summary>The SDK's defaults: window 100, 50 % signed, 600 s jail, 5 % for double signing, 1 % for downtime.</summary>
    public static Params DefaultParams() => new()
    {
        SignedBlocksWindow = 100,
        MinSignedPerWindow = Dec(LegacyDec.WithPrecision(5, 1)),
        DowntimeJailDuration = Duration.FromTimeSpan(TimeSpan.FromSeconds(600)),
        SlashFractionDoubleSign = Dec(LegacyDec.WithPrecision(5, 2)),
        SlashFractionDowntime = Dec(LegacyDec.WithPrecision(1, 2)),
    };

    /// <summary>A params fraction on the wire: the LegacyDec's scaled digits as ASCII bytes.</summary>
    public static ByteString Dec(LegacyDec value) => ByteString.CopyFrom(Encoding.ASCII.GetBytes(value.ToWire()));

    /// <summary>A params fraction from the wire (empty reads as zero).</summary>
    /// <exception cref="FormatException">Not the digits of a LegacyDec.</exception>
    public static LegacyDec Dec(ByteString wire) => LegacyDec.FromWire(wire.ToString(Encoding.ASCII));

    private static readonly ParamsStore<Params> ParamsStore = new(SlashingKeys.ModuleName, SlashingKeys.ParamsKey, Params.Parser, DefaultParams);

    public Params GetParams(Context ctx) => ParamsStore.Get(ctx);

    public void SetParams(Context ctx, Params p) => ParamsStore.Set(ctx, p);

    /// <summary>round(min_signed_per_window × signed_blocks_window), half to even (the SDK's <c>MinSignedPerWindow</c>).</summary>
    public static long MinSignedPerWindow(Params p) => (long)Dec(p.MinSignedPerWindow).MulInt(p.SignedBlocksWindow).RoundInt();

    // ---- signing info ------------------------------------------------------------------------------------------

    public ValidatorSigningInfo? GetSigningInfo(Context ctx, ReadOnlySpan<byte> consAddr)
    {
        var bytes = Store(ctx).Get(SlashingKeys.SigningInfoKey(consAddr));
        return bytes is null ? null : ValidatorSigningInfo.Parser.ParseFrom(bytes);
    }

    public bool HasSigningInfo(Context ctx, ReadOnlySpan<byte> consAddr) => Store(ctx).Has(SlashingKeys.SigningInfoKey(consAddr));

    public void SetSigningInfo(Context ctx, ReadOnlySpan<byte> consAddr, ValidatorSigningInfo info)
        => Store(ctx).Set(SlashingKeys.SigningInfoKey(consAddr), info.ToByteArray());

    /// <summary>Every signing info with its consensus address, in store order (by address).</summary>
    public IEnumerable<(byte[] ConsAddr, ValidatorSigningInfo Info)> SigningInfos(Context ctx)
    {
        foreach (var (key, value) in Store(ctx).Iterate([SlashingKeys.SigningInfoPrefix], [SlashingKeys.SigningInfoPrefix + 1]))
            yield return (key.AsSpan(2, key[1]).ToArray(), ValidatorSigningInfo.Parser.ParseFrom(value));
    }

    /// <summary>A fresh signing info: signing from <paramref name="startHeight"/>, never jailed (jailed_until = the Unix epoch).</summary>
    public static ValidatorSigningInfo NewSigningInfo(ReadOnlySpan<byte> consAddr, long startHeight) => new()
    {
        Address = ValidatorAddress.ToConsensusBech32(consAddr),
        StartHeight = startHeight,
        IndexOffset = 0,
        JailedUntil = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
        Tombstoned = false,
        MissedBlocksCounter = 0,
    };

    public bool IsTombstoned(Context ctx, ReadOnlySpan<byte> consAddr) => GetSigningInfo(ctx, consAddr)?.Tombstoned ?? false;

    // ---- missed-block bitmap -----------------------------------------------------------------------------------

    /// <summary>Whether the validator missed the block at <paramref name="index"/> of its window.</summary>
    public bool GetMissedBlockBitmapValue(Context ctx, ReadOnlySpan<byte> consAddr, long index)
    {
        var chunk = Store(ctx).Get(SlashingKeys.MissedBlockBitmapKey(consAddr, index / SlashingKeys.MissedBlockBitmapChunkSize));
        if (chunk is null) return false;
        int bit = (int)(index % SlashingKeys.MissedBlockBitmapChunkSize);
        return (chunk[bit >> 3] & (1 << (bit & 7))) != 0;
    }

    /// <summary>Sets one bit; a chunk whose bits are all clear is deleted, so the store holds only chunks with a miss.</summary>
    public void SetMissedBlockBitmapValue(Context ctx, ReadOnlySpan<byte> consAddr, long index, bool missed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var key = SlashingKeys.MissedBlockBitmapKey(consAddr, index / SlashingKeys.MissedBlockBitmapChunkSize);
        var store = Store(ctx);
        var chunk = store.Get(key);
        if (chunk is null)
        {
            if (!missed) return;
            chunk = new byte[SlashingKeys.ChunkBytes];
        }
        int bit = (int)(index % SlashingKeys.MissedBlockBitmapChunkSize);
        if (missed) chunk[bit >> 3] |= (byte)(1 << (bit & 7));
        else chunk[bit >> 3] &= (byte)~(1 << (bit & 7));
        if (chunk.AsSpan().IndexOfAnyExcept((byte)0) < 0) store.Delete(key);
        else store.Set(key, chunk);
    }

    /// <summary>Clears the validator's whole bitmap (after a downtime jailing).</summary>
    public void DeleteMissedBlockBitmap(Context ctx, ReadOnlySpan<byte> consAddr)
    {
        var prefix = SlashingKeys.MissedBlockBitmapPrefixOf(consAddr);
        var store = Store(ctx);
        foreach (var key in store.Iterate(prefix, KeyRange.PrefixEnd(prefix)).Select(kv => kv.Key).ToList()) store.Delete(key);
    }

    /// <summary>The missed blocks of the validator's window, by index ({index, missed: true} as genesis lists them).</summary>
    public List<MissedBlock> GetValidatorMissedBlocks(Context ctx, ReadOnlySpan<byte> consAddr)
    {
        var prefix = SlashingKeys.MissedBlockBitmapPrefixOf(consAddr);
        var missed = new List<MissedBlock>();
        foreach (var (key, chunk) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
        {
            long chunkIndex = KeyCodec.ReadInt64(key, prefix.Length);
            for (int bit = 0; bit < chunk.Length * 8; bit++)
                if ((chunk[bit >> 3] & (1 << (bit & 7))) != 0)
                    missed.Add(new MissedBlock { Index = chunkIndex * SlashingKeys.MissedBlockBitmapChunkSize + bit, Missed = true });
        }
        return missed;
    }

    // ---- begin block -------------------------------------------------------------------------------------------

    /// <summary>
    /// Liveness for every vote of the last commit, then every misbehavior CometBFT reports: the SDK's begin-block order
    /// (x/slashing before x/evidence).
    /// </summary>
    public void BeginBlock(Context ctx)
    {
        foreach (var vote in ctx.Header.Votes) HandleValidatorSignature(ctx, vote.ValidatorAddress, vote.Power, vote.Absent);
        foreach (var m in ctx.Header.Misbehaviors)
            if (m.Kind is MisbehaviorKind.DuplicateVote or MisbehaviorKind.LightClientAttack) HandleEquivocation(ctx, m);
    }

    /// <summary>
    /// One vote of the last commit (the SDK's <c>HandleValidatorSignature</c>): moves the validator's window by one
    /// block, keeps the bitmap and counter, and slashes and jails a validator that missed more than the window allows.
    /// A validator staking does not know or without signing info is skipped (the SDK would halt).
    /// </summary>
    /// <param name="absent">No vote arrived (missed); a nil vote is not a miss.</param>
    public void HandleValidatorSignature(Context ctx, byte[] consAddr, long power, bool absent)
    {
        var validator = Staking.GetValidatorByConsAddr(ctx, consAddr);
        if (validator is null || validator.Jailed) return;
        var info = GetSigningInfo(ctx, consAddr);
        if (info is null) return;
        var p = GetParams(ctx);
        long window = p.SignedBlocksWindow;
        long height = ctx.Height;

        long index = info.IndexOffset % window;
        info.IndexOffset++;
        bool previous = GetMissedBlockBitmapValue(ctx, consAddr, index);
        bool missed = absent;
        if (!previous && missed)
        {
            SetMissedBlockBitmapValue(ctx, consAddr, index, true);
            info.MissedBlocksCounter++;
        }
        else if (previous && !missed)
        {
            SetMissedBlockBitmapValue(ctx, consAddr, index, false);
            info.MissedBlocksCounter--;
        }

        string consText = ValidatorAddress.ToConsensusBech32(consAddr);
        if (missed)
            ctx.Events.Emit(SdkEvent.Of("liveness", ("address", consText), ("missed_blocks", I(info.MissedBlocksCounter)), ("height", I(height))));

        long minHeight = info.StartHeight + window;
        long maxMissed = window - MinSignedPerWindow(p);
        if (height > minHeight && info.MissedBlocksCounter > maxMissed)
        {
            // The stake that signed the last commit: ValidatorUpdateDelay before it, and the commit is of the block before.
            long distributionHeight = height - ValidatorUpdateDelay - 1;
            var burned = Staking.Slash(ctx, consAddr, distributionHeight, power, Dec(p.SlashFractionDowntime));
            ctx.Events.Emit(SdkEvent.Of("slash", ("address", consText), ("power", I(power)), ("reason", "missing_signature"),
                ("jailed", consText), ("burned_coins", burned.ToString(CultureInfo.InvariantCulture))));
            Staking.Jail(ctx, consAddr);
            info.JailedUntil = Timestamp.FromDateTimeOffset(ctx.Header.Time + p.DowntimeJailDuration.ToTimeSpan());
            // Reset so the validator is not slashed again right after it unjails; AfterValidatorBonded resets the start height.
            info.MissedBlocksCounter = 0;
            info.IndexOffset = 0;
            DeleteMissedBlockBitmap(ctx, consAddr);
        }
        SetSigningInfo(ctx, consAddr, info);
    }

    /// <summary>
    /// Double signing (x/evidence's <c>handleEquivocationEvidence</c>): a validator that is known and not unbonded, with
    /// evidence not older than the consensus params allow (in blocks and in time) and not yet tombstoned, is slashed
    /// slash_fraction_double_sign of its stake at the infraction, jailed for good and tombstoned.
    /// </summary>
    public void HandleEquivocation(Context ctx, Misbehavior m)
    {
        byte[] consAddr = m.ValidatorAddress;
        var validator = Staking.GetValidatorByConsAddr(ctx, consAddr);
        if (validator is null || validator.Status == BondStatus.Unbonded) return;

        var ageDuration = ctx.Header.Time - m.Time;
        long ageBlocks = ctx.Height - m.Height;
        if (ageDuration > evidence.MaxAgeDuration(ctx) && ageBlocks > evidence.MaxAgeNumBlocks(ctx)) return;

        string consText = ValidatorAddress.ToConsensusBech32(consAddr);
        var info = GetSigningInfo(ctx, consAddr)
            ?? throw new InvalidOperationException($"expected signing info for validator {consText} but not found");
        if (info.Tombstoned) return;

        long distributionHeight = m.Height - ValidatorUpdateDelay;
        var p = GetParams(ctx);
        var burned = Staking.Slash(ctx, consAddr, distributionHeight, m.ValidatorPower, Dec(p.SlashFractionDoubleSign));
        ctx.Events.Emit(SdkEvent.Of("slash", ("address", consText), ("power", I(m.ValidatorPower)), ("reason", "double_sign"),
            ("burned_coins", burned.ToString(CultureInfo.InvariantCulture))));
        if (!validator.Jailed)
        {
            Staking.Jail(ctx, consAddr);
            ctx.Events.Emit(SdkEvent.Of("slash", ("jailed", consText)));
        }
        info.JailedUntil = Timestamp.FromDateTimeOffset(DoubleSignJailEndTime);
        info.Tombstoned = true;
        SetSigningInfo(ctx, consAddr, info);
    }

    // ---- unjail ------------------------------------------------------------------------------------------------

    /// <summary>
    /// MsgUnjail (the SDK's <c>Keeper.Unjail</c>): the validator exists, has a self-delegation worth at least its
    /// min_self_delegation, is jailed, and, when it has signing info, is not tombstoned and its jailed_until has passed.
    /// </summary>
    public void Unjail(Context ctx, byte[] operatorAddress)
    {
        var validator = Staking.GetValidator(ctx, operatorAddress) ?? throw SlashingErrors.NoValidatorForAddress();
        var self = Staking.GetDelegation(ctx, operatorAddress, operatorAddress) ?? throw SlashingErrors.MissingSelfDelegation();

        var tokens = validator.TokensFromShares(LegacyDec.FromWire(self.Shares)).TruncateInt();
        var minSelfBond = StakingTypes.ParseInt(validator.MinSelfDelegation);
        if (tokens < minSelfBond)
            throw SlashingErrors.SelfDelegationTooLowToUnjail($"{tokens.ToString(CultureInfo.InvariantCulture)} less than {minSelfBond.ToString(CultureInfo.InvariantCulture)}");

        if (!validator.Jailed) throw SlashingErrors.ValidatorNotJailed();

        var consAddr = validator.ConsAddress();
        // No signing info: never bonded, jailed for falling below its min self-delegation; it may unjail at any time.
        if (GetSigningInfo(ctx, consAddr) is { } info)
        {
            if (info.Tombstoned) throw SlashingErrors.ValidatorJailed();
            if (ctx.Header.Time < info.JailedUntil.ToDateTimeOffset()) throw SlashingErrors.ValidatorJailed();
        }
        Staking.Unjail(ctx, consAddr);
    }


    private static DePinChain.Store.IKVStore Store(Context ctx) => ctx.KVStore(SlashingKeys.ModuleName);

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
}
