using System.Globalization;
using System.Runtime.InteropServices;
using DePinChain.Protos.Depin.Rewards.V1;
using DePinChain.Sdk;
using DePinChain.Store.Backend;
using Google.Protobuf;

namespace DePinChain.Modules.Rewards;

/// <summary>
/// Owns the rewards store: params, per-device reward records, epoch summaries, validator rewards, the running
/// epoch's signed validator power. At the last block of each epoch (after mint, which fills the pool) it splits the
/// epoch's emission with <see cref="RewardCalculator"/> and pays owners, validators (through the validator reward
/// sink: distribution) and the treasury from the "rewards" module account. What it reads from other modules is in
/// ExpectedKeepers.cs.
/// </summary>
/// <param name="validatorRewards">Where validator shares go; null: every validator share goes to the treasury.</param>
public sealed class RewardsKeeper(
    IBankKeeper bank,
    IAccountKeeper accounts,
    IEpochClock clock,
    IEmissionLedger emissions,
    IPaidTraffic traffic,
    IDeviceDirectory devices,
    ICoverageUnitsSource coverage,
    IValidatorRewardSink? validatorRewards = null)
{
    public IEpochClock Clock { get; } = clock;

    public static Params DefaultParams()
    {
        var s = RewardShares.Default;
        return new Params
        {
            BeaconBps = s.BeaconBps, WitnessBps = s.WitnessBps, DataTransferBps = s.DataTransferBps,
            ValidatorBps = s.ValidatorBps, TreasuryBps = s.TreasuryBps, OverflowWitnessBps = s.OverflowWitnessBps,
            // One week of hourly epochs.
            RecordRetentionEpochs = 168,
            Authority = ModuleAuthority.Default,
        };
    }

    public static RewardShares SharesOf(Params p)
        => new(p.BeaconBps, p.WitnessBps, p.DataTransferBps, p.ValidatorBps, p.TreasuryBps, p.OverflowWitnessBps);

    private static readonly ParamsStore<Params> ParamsStore = new(RewardsKeys.ModuleName, RewardsKeys.ParamsKey, Params.Parser, DefaultParams);

    public Params GetParams(Context ctx) => ParamsStore.Get(ctx);

    public void SetParams(Context ctx, Params p) => ParamsStore.Set(ctx, p);

    /// <summary>The only account that may send the authority messages (from params: genesis sets it).</summary>
    public string GetAuthority(Context ctx) => GetParams(ctx).Authority;

    public RewardRecord? GetRecord(Context ctx, long epoch, ReadOnlySpan<byte> device)
    {
        var bytes = Store(ctx).Get(RewardsKeys.RecordKey(epoch, device));
        return bytes is null ? null : RewardRecord.Parser.ParseFrom(bytes);
    }

    /// <summary>The owner's reward records of <paramref name="epoch"/>, by device key.</summary>
    public IReadOnlyList<RewardRecord> OwnerRecords(Context ctx, ReadOnlySpan<byte> owner, long epoch)
    {
        var index = Store(ctx).Get(RewardsKeys.OwnerIndexKey(owner, epoch));
        if (index is null) return [];
        return [.. RewardsKeys.OwnerIndexDevices(index)
            .Select(device => GetRecord(ctx, epoch, device) ?? throw new InvalidOperationException("owner index points at a missing record"))];
    }

    public EpochSummary? GetSummary(Context ctx, long epoch)
    {
        var bytes = Store(ctx).Get(RewardsKeys.SummaryKey(epoch));
        return bytes is null ? null : EpochSummary.Parser.ParseFrom(bytes);
    }

    public IEnumerable<ValidatorReward> ValidatorRewards(Context ctx, long epoch)
    {
        var prefix = RewardsKeys.EpochPrefix(RewardsKeys.ValidatorRewardPrefix, epoch);
        foreach (var (_, value) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix))) yield return ValidatorReward.Parser.ParseFrom(value);
    }

    /// <summary>The running epoch's signed power per validator, sorted by consensus address.</summary>
    public IReadOnlyList<(byte[] ConsensusAddress, ulong Power)> SignedPower(Context ctx)
    {
        var result = new List<(byte[], ulong)>();
        byte[] prefix = [RewardsKeys.PowerPrefix];
        foreach (var (key, value) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
            result.Add((key[2..], KeyCodec.ReadUInt64Value(value)));
        return result;
    }

    internal void SetSignedPower(Context ctx, ReadOnlySpan<byte> consensusAddress, ulong power)
        => Store(ctx).Set(RewardsKeys.PowerKey(consensusAddress), KeyCodec.UInt64Value(power));

    /// <summary>
    /// Every block: credits each validator that signed the previous block with its power. At the last block of
    /// an epoch: distributes the epoch's emission.
    /// </summary>
    public void EndBlock(Context ctx)
    {
        AccumulateVotes(ctx);
        if (Clock.IsLastBlockOfEpoch(ctx, ctx.Height)) DistributeEpoch(ctx, Clock.EpochOf(ctx, ctx.Height));
    }

    private void AccumulateVotes(Context ctx)
    {
        foreach (var vote in ctx.Header.Votes)
        {
            if (!vote.SignedLastBlock || vote.Power <= 0 || vote.ValidatorAddress.Length is 0 or > 255) continue;
            var key = RewardsKeys.PowerKey(vote.ValidatorAddress);
            ulong power = KeyCodec.ReadUInt64Value(Store(ctx).Get(key));
            // Saturate: 2^64 power-blocks is beyond any real chain, and a stuck maximum only shifts shares.
            power = power > ulong.MaxValue - (ulong)vote.Power ? ulong.MaxValue : power + (ulong)vote.Power;
            SetSignedPower(ctx, vote.ValidatorAddress, power);
        }
    }

    /// <summary>Builds the epoch's inputs (coverage ∪ paid traffic, merged by device key), computes, pays and records.</summary>
    /// <exception cref="InvalidOperationException">Mint did not mint this epoch first, or a source broke its ordering contract.</exception>
    public EpochRewards DistributeEpoch(Context ctx, long epoch)
    {
        var emission = emissions.GetLastEmission(ctx);
        if (emission is null || emission.Epoch != epoch)
            throw new InvalidOperationException($"no emission minted for epoch {epoch}: mint's end block must run before rewards'");
        ulong minted = (ulong)Amounts.Parse(emission.Total, "emission total");
        string denom = emissions.MintDenom(ctx);
        var p = GetParams(ctx);
        ulong price = traffic.DcPerDpin(ctx);

        var inputs = MergeInputs(ctx, coverage.EpochUnits(ctx, epoch), traffic.EpochTraffic(ctx, epoch).ToList());
        var powers = SignedPower(ctx);
        var validators = new ValidatorWeight[powers.Count];
        // Who gets a validator's share is only known once the sink answers; to the calculator a validator is
        // claimable when there is a sink (its totals are then the claimable ones; the summary has what was paid).
        for (int i = 0; i < powers.Count; i++)
            validators[i] = new ValidatorWeight(powers[i].ConsensusAddress, validatorRewards is null ? null : powers[i].ConsensusAddress, powers[i].Power);

        var result = RewardCalculator.Compute(minted, SharesOf(p), price, inputs, validators);

        // Pay owners: one transfer per recipient (sorted bytewise). Module accounts never receive rewards: their
        // share, like every share without a recipient, goes to the treasury.
        var perRecipient = new Dictionary<byte[], ulong>(ByteArrayComparer.Instance);
        ulong paidDevices = 0, paidValidators = 0;
        uint rewarded = 0;
        var paid = new bool[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            var amount = result.Devices[i].Amount;
            if (amount == 0 || inputs[i].Owner is not { } owner || accounts.IsModuleAddress(owner)) continue;
            paid[i] = true;
            rewarded++;
            paidDevices += amount;
            CollectionsMarshal.GetValueRefOrAddDefault(perRecipient, owner, out _) += amount;
        }
        // A hash map to add up (one lookup per device), then the recipients in byte order for the transfers.
        var recipients = perRecipient.Keys.ToArray();
        Array.Sort(recipients, ByteArrayComparer.Instance);
        foreach (var recipient in recipients)
            bank.SendCoinsFromModuleToAccount(ctx, RewardsKeys.ModuleName, recipient, Coins.Of(new Coin(denom, perRecipient[recipient])));
        // Pay validators (by consensus address) through the sink; a share it does not take stays for the treasury.
        var operators = new string[validators.Length];
        for (int i = 0; i < validators.Length; i++)
        {
            operators[i] = "";
            if (result.Validators[i] == 0 || validatorRewards is null) continue;
            var valoper = validatorRewards.PayValidator(ctx, validators[i].ConsensusAddress, RewardsKeys.ModuleName, Coins.Of(new Coin(denom, result.Validators[i])));
            if (valoper is null) continue;
            operators[i] = valoper;
            paidValidators += result.Validators[i];
        }
        ulong toTreasury = minted - paidDevices - paidValidators;
        if (toTreasury > 0)
            bank.SendCoinsFromModuleToModule(ctx, RewardsKeys.ModuleName, RewardsKeys.TreasuryModuleName, Coins.Of(new Coin(denom, toTreasury)));

        WriteRecords(ctx, epoch, inputs, result, paid, validators, operators);
        var summary = new EpochSummary
        {
            Epoch = epoch, Height = ctx.Height, Minted = U(minted),
            BeaconPool = U(result.BeaconPool), WitnessPool = U(result.WitnessPool), DataPool = U(result.DataPool),
            ValidatorPool = U(result.ValidatorPool), TreasuryPool = U(result.TreasuryPool),
            DataCap = U(result.DataCap), DataOverflow = U(result.DataOverflow),
            PaidToDevices = U(paidDevices), PaidToValidators = U(paidValidators), ToTreasury = U(toTreasury),
            DevicesRewarded = rewarded,
            TotalBeaconUnits = result.TotalBeaconUnits, TotalWitnessUnits = result.TotalWitnessUnits,
            TotalTrafficDc = result.TotalTrafficDc, DcPerDpin = price,
        };
        Store(ctx).Set(RewardsKeys.SummaryKey(epoch), summary.ToByteArray());
        Prune(ctx, epoch, p.RecordRetentionEpochs);
        ctx.Events.Emit(SdkEvent.Of("rewards_epoch",
            ("epoch", epoch.ToString(CultureInfo.InvariantCulture)), ("minted", summary.Minted),
            ("paid_to_devices", summary.PaidToDevices), ("paid_to_validators", summary.PaidToValidators),
            ("to_treasury", summary.ToTreasury), ("data_cap", summary.DataCap), ("data_overflow", summary.DataOverflow),
            ("devices_rewarded", rewarded.ToString(CultureInfo.InvariantCulture))));
        return result;
    }

    /// <summary>Merges the two sorted streams; a device in traffic only gets its owner from the directory.</summary>
    private DeviceEpochInput[] MergeInputs(Context ctx, IReadOnlyList<CoverageUnits> units, IReadOnlyList<Protos.Depin.DataCredits.V1.TrafficRecord> paid)
    {
        var result = new List<DeviceEpochInput>(units.Count + paid.Count);
        int i = 0, j = 0;
        byte[]? previous = null;
        while (i < units.Count || j < paid.Count)
        {
            int order = i == units.Count ? 1 : j == paid.Count ? -1 : units[i].DeviceKey.AsSpan().SequenceCompareTo(paid[j].DeviceKey.Span);
            DeviceEpochInput input;
            if (order < 0)
            {
                var u = units[i++];
                input = new(u.DeviceKey, u.Owner, u.BeaconUnits, u.WitnessUnits, u.DensityScale, 0, 0);
            }
            else if (order > 0)
            {
                var t = paid[j++];
                var key = t.DeviceKey.ToByteArray();
                input = new(key, devices.GetActiveDeviceOwner(ctx, key), 0, 0, RewardCalculator.UnitScale, t.Bytes, t.DcBurned);
            }
            else
            {
                var u = units[i++];
                var t = paid[j++];
                input = new(u.DeviceKey, u.Owner, u.BeaconUnits, u.WitnessUnits, u.DensityScale, t.Bytes, t.DcBurned);
            }
            if (previous is not null && previous.AsSpan().SequenceCompareTo(input.DeviceKey) >= 0)
                throw new InvalidOperationException($"epoch inputs are not sorted by device key at {Convert.ToHexString(input.DeviceKey)}");
            previous = input.DeviceKey;
            result.Add(input);
        }
        return [.. result];
    }

    private static void WriteRecords(Context ctx, long epoch, DeviceEpochInput[] inputs, EpochRewards result, bool[] paid, ValidatorWeight[] validators, string[] operators)
    {
        var store = Store(ctx);
        // Inputs are sorted by device key, so each owner's list comes out ascending; the owners are written in byte order.
        var byOwner = new Dictionary<byte[], List<byte[]>>(ByteArrayComparer.Instance);
        // One message, key buffer and value buffer, refilled per device (every field is set each time): the store
        // copies what it is given. The device keys are wrapped, not copied: nothing writes to the inputs.
        var recordPrefix = RewardsKeys.EpochPrefix(RewardsKeys.RecordPrefix, epoch);
        var key = new byte[recordPrefix.Length + 255];
        recordPrefix.CopyTo(key, 0);
        var value = new byte[256];
        var record = new RewardRecord { Epoch = epoch };
        for (int i = 0; i < inputs.Length; i++)
        {
            var d = inputs[i];
            var r = result.Devices[i];
            record.DeviceKey = UnsafeByteOperations.UnsafeWrap(d.DeviceKey);
            record.Owner = d.Owner is null ? "" : Bech32Address.ToBech32(d.Owner);
            record.BeaconUnits = d.BeaconUnits;
            record.WitnessUnits = d.WitnessUnits;
            record.DensityScale = d.DensityScale;
            record.TrafficBytes = d.TrafficBytes;
            record.TrafficDc = d.TrafficDc;
            record.BeaconAmount = U(r.BeaconAmount);
            record.WitnessAmount = U(r.WitnessAmount);
            record.DataAmount = U(r.DataAmount);
            record.Amount = U(paid[i] ? r.Amount : 0);
            int size = record.CalculateSize();
            if (value.Length < size) value = new byte[2 * size];
            record.WriteTo(value.AsSpan(0, size));
            d.DeviceKey.CopyTo(key, recordPrefix.Length);
            store.Set(key.AsSpan(0, recordPrefix.Length + d.DeviceKey.Length), value.AsSpan(0, size));
            if (d.Owner is null) continue;
            (CollectionsMarshal.GetValueRefOrAddDefault(byOwner, d.Owner, out _) ??= []).Add(d.DeviceKey);
        }
        var owners = byOwner.Keys.ToArray();
        Array.Sort(owners, ByteArrayComparer.Instance);
        foreach (var owner in owners) store.Set(RewardsKeys.OwnerIndexKey(owner, epoch), RewardsKeys.OwnerIndexValue(byOwner[owner]));
        for (int i = 0; i < validators.Length; i++)
        {
            var v = validators[i];
            store.Set(RewardsKeys.ValidatorRewardKey(epoch, v.ConsensusAddress), new ValidatorReward
            {
                Epoch = epoch, ConsensusAddress = ByteString.CopyFrom(v.ConsensusAddress),
                PayoutAddress = operators[i],
                SignedPower = v.SignedPower, Amount = U(result.Validators[i]),
            }.ToByteArray());
            store.Delete(RewardsKeys.PowerKey(v.ConsensusAddress));
        }
    }

    /// <summary>Forgets the records (and their owner index) of epoch <paramref name="epoch"/> − retention; summaries stay.</summary>
    private static void Prune(Context ctx, long epoch, long retention)
    {
        if (retention <= 0 || epoch - retention < 0) return;
        long old = epoch - retention;
        var store = Store(ctx);
        foreach (byte table in new[] { RewardsKeys.RecordPrefix, RewardsKeys.OwnerIndexPrefix, RewardsKeys.ValidatorRewardPrefix })
        {
            var prefix = RewardsKeys.EpochPrefix(table, old);
            foreach (var key in store.Iterate(prefix, KeyRange.PrefixEnd(prefix)).Select(kv => kv.Key).ToList()) store.Delete(key);
        }
    }

    // Genesis helpers.
    internal IEnumerable<byte[]> IterateValues(Context ctx, byte prefix)
        => Store(ctx).Iterate([prefix], [(byte)(prefix + 1)]).Select(kv => kv.Value);

    /// <summary>Genesis: the records, and the owner index rebuilt from them (it is not exported).</summary>
    internal void ImportRecords(Context ctx, IEnumerable<RewardRecord> records)
    {
        var store = Store(ctx);
        // Keyed by the index key itself (owner bytes and epoch), so two spellings of one address share an entry.
        var byIndexKey = new SortedDictionary<byte[], SortedSet<byte[]>>(ByteArrayComparer.Instance);
        foreach (var record in records)
        {
            var device = record.DeviceKey.ToByteArray();
            store.Set(RewardsKeys.RecordKey(record.Epoch, device), record.ToByteArray());
            if (record.Owner.Length == 0) continue;
            var indexKey = RewardsKeys.OwnerIndexKey(Bech32Address.Parse(record.Owner), record.Epoch);
            if (!byIndexKey.TryGetValue(indexKey, out var devices)) byIndexKey.Add(indexKey, devices = new SortedSet<byte[]>(ByteArrayComparer.Instance));
            devices.Add(device);
        }
        foreach (var (indexKey, devices) in byIndexKey) store.Set(indexKey, RewardsKeys.OwnerIndexValue([.. devices]));
    }

    internal void ImportSummary(Context ctx, EpochSummary s) => Store(ctx).Set(RewardsKeys.SummaryKey(s.Epoch), s.ToByteArray());

    internal void ImportValidatorReward(Context ctx, ValidatorReward v)
        => Store(ctx).Set(RewardsKeys.ValidatorRewardKey(v.Epoch, v.ConsensusAddress.Span), v.ToByteArray());

    private static DePinChain.Store.IKVStore Store(Context ctx) => ctx.KVStore(RewardsKeys.ModuleName);

    private static string U(ulong v) => v.ToString(CultureInfo.InvariantCulture);
}
