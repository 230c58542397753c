using System.Globalization;
using DePinChain.Protos.Depin.Rewards.V1;
using DePinChain.Sdk;
using DePinChain.Store.Backend;
using Google.Protobuf;

namespace DePinChain.Modules.Rewards;

/// <summary>
/// Owns the rewards store: params, per-device reward records, epoch summaries, validator rewards, open payouts, the
/// running epoch's signed validator power. At the last block of each epoch (after mint, which fills the pool) it fixes
/// the epoch's split from the epoch's totals and pays the validators (through the validator reward sink: distribution);
/// each device is then settled by the same exact formula when its owner claims or when the automatic payout reaches it
/// (a bounded number of devices per block), and the remainder goes to the treasury when the last device is settled.
/// What it reads from other modules is in ExpectedKeepers.cs.
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
            // About 60 ms of block time on 2 cores; 720-block epochs then pay up to 1.44M devices per epoch.
            PayoutDevicesPerBlock = 2_000,
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

    /// <summary>The device's registered owner (any status), or null for an unknown key.</summary>
    public byte[]? DeviceOwner(Context ctx, ReadOnlySpan<byte> deviceKey) => devices.GetDeviceOwner(ctx, deviceKey);

    /// <summary>The device's settled record of <paramref name="epoch"/>, or null (not settled yet, or nothing earned).</summary>
    public RewardRecord? GetSettledRecord(Context ctx, long epoch, ReadOnlySpan<byte> device)
    {
        var bytes = Store(ctx).Get(RewardsKeys.RecordKey(epoch, device));
        return bytes is null ? null : RewardRecord.Parser.ParseFrom(bytes);
    }

    /// <summary>
    /// The device's reward record of <paramref name="epoch"/>: the settled one, or, while the epoch's payout runs, the
    /// same record computed from the device's inputs (settled = false); null when the device earned nothing there.
    /// </summary>
    public RewardRecord? GetRecord(Context ctx, long epoch, ReadOnlySpan<byte> device)
    {
        if (GetSettledRecord(ctx, epoch, device) is { } settled) return settled;
        if (GetPayout(ctx, epoch) is not { } payout) return null;
        var input = InputOf(ctx, epoch, device.ToArray());
        return input is null ? null : Evaluate(ctx, payout, input.Value).Record;
    }

    /// <summary>The owner's reward records of <paramref name="epoch"/>, by device key, settled or (while the payout runs) computed.</summary>
    public IReadOnlyList<RewardRecord> OwnerRecords(Context ctx, ReadOnlySpan<byte> owner, long epoch)
    {
        var byDevice = new SortedDictionary<byte[], RewardRecord>(ByteArrayComparer.Instance);
        var prefix = RewardsKeys.OwnerIndexPrefixOf(owner, epoch);
        foreach (var (key, _) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)).ToList())
        {
            var device = key[prefix.Length..];
            byDevice[device] = GetSettledRecord(ctx, epoch, device) ?? throw new InvalidOperationException("owner index points at a missing record");
        }
        if (GetPayout(ctx, epoch) is { } payout)
        {
            // Not settled yet: the devices the owner has now (an owner or location change settles the device first,
            // so its owner now is its owner at the epoch's end).
            var ownerBytes = owner.ToArray();
            foreach (var device in devices.DevicesOf(ctx, ownerBytes))
            {
                if (byDevice.ContainsKey(device) || Store(ctx).Has(RewardsKeys.RecordKey(epoch, device))) continue;
                if (InputOf(ctx, epoch, device) is not { } input || input.Owner is null || !input.Owner.AsSpan().SequenceEqual(owner)) continue;
                byDevice[device] = Evaluate(ctx, payout, input).Record;
            }
        }
        return [.. byDevice.Values];
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

    private const int EpochEndBudgetDivisor = 4;

    /// <summary>
    /// Every block: credits each validator that signed the previous block with its power. At the last block of an epoch:
    /// opens the epoch's payout (<see cref="DistributeEpoch"/>). Then every block: the automatic payout settles up to
    /// <c>payout_devices_per_block</c> devices of the open payouts (a quarter of that in an epoch's last block), oldest
    /// epoch first, and prunes as many expired entries.
    /// </summary>
    public void EndBlock(Context ctx)
    {
        AccumulateVotes(ctx);
        var p = GetParams(ctx);
        int budget = (int)Math.Min(Math.Max(p.PayoutDevicesPerBlock, 1u), int.MaxValue);
        if (Clock.IsLastBlockOfEpoch(ctx, ctx.Height))
        {
            DistributeEpoch(ctx, Clock.EpochOf(ctx, ctx.Height));
            // The block that closes an epoch (mint, the split, validators) pays a quarter of a chunk: a small network is
            // still paid in the epoch's last block, and a large one's epoch end stays as short as any payout block.
            budget = Math.Max(1, budget / EpochEndBudgetDivisor);
        }
        PayOut(ctx, budget);
        PruneExpired(ctx, p.RecordRetentionEpochs, budget);
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

    /// <summary>
    /// The epoch end, in O(validators): reads the epoch's totals (units, DC), fixes the pools and the three amounts
    /// devices share (<see cref="RewardCalculator.Split"/>), pays the validators, and opens the epoch's payout, which
    /// settles each device later by the same formula. Emits one summary event.
    /// </summary>
    /// <exception cref="InvalidOperationException">Mint did not mint this epoch first.</exception>
    public EpochSplit DistributeEpoch(Context ctx, long epoch)
    {
        var emission = emissions.GetLastEmission(ctx);
        if (emission is null || emission.Epoch != epoch)
            throw new InvalidOperationException($"no emission minted for epoch {epoch}: mint's end block must run before rewards'");
        ulong minted = (ulong)Amounts.Parse(emission.Total, "emission total");
        string denom = emissions.MintDenom(ctx);
        var p = GetParams(ctx);
        ulong price = traffic.DcPerDpin(ctx);
        var (totalBeacon, totalWitness) = coverage.EpochTotals(ctx, epoch);
        ulong totalDc = traffic.EpochTotalDc(ctx, epoch);
        var split = RewardCalculator.Split(minted, SharesOf(p), price, totalBeacon, totalWitness, totalDc);

        ulong paidValidators = PayValidators(ctx, epoch, denom, split.ValidatorPool);
        var summary = new EpochSummary
        {
            Epoch = epoch, Height = ctx.Height, Minted = U(minted),
            BeaconPool = U(split.BeaconPool), WitnessPool = U(split.WitnessPool), DataPool = U(split.DataPool),
            ValidatorPool = U(split.ValidatorPool), TreasuryPool = U(split.TreasuryPool),
            DataCap = U(split.DataCap), DataOverflow = U(split.DataOverflow),
            PaidToDevices = "0", PaidToValidators = U(paidValidators), ToTreasury = "",
            DevicesRewarded = 0, TotalBeaconUnits = totalBeacon, TotalWitnessUnits = totalWitness, TotalTrafficDc = totalDc, DcPerDpin = price,
        };
        SetSummary(ctx, summary);
        SetPayout(ctx, new EpochPayout
        {
            Epoch = epoch, BeaconAmount = split.BeaconAmount, WitnessAmount = split.WitnessAmount, DataAmount = split.DataAmount,
            TotalBeaconUnits = totalBeacon, TotalWitnessUnits = totalWitness, TotalTrafficDc = totalDc,
        });
        ctx.Events.Emit(SdkEvent.Of("rewards_epoch",
            ("epoch", epoch.ToString(CultureInfo.InvariantCulture)), ("minted", summary.Minted),
            ("beacon_pool", summary.BeaconPool), ("witness_pool", summary.WitnessPool), ("data_pool", summary.DataPool),
            ("paid_to_validators", summary.PaidToValidators), ("data_cap", summary.DataCap), ("data_overflow", summary.DataOverflow)));
        return split;
    }

    /// <summary>Pays each validator's share of the epoch through the sink, records it and resets the signed power; returns what the sink took.</summary>
    private ulong PayValidators(Context ctx, long epoch, string denom, ulong pool)
    {
        var powers = SignedPower(ctx);
        var validators = new ValidatorWeight[powers.Count];
        for (int i = 0; i < powers.Count; i++) validators[i] = new ValidatorWeight(powers[i].ConsensusAddress, null, powers[i].Power);
        var amounts = RewardCalculator.SplitValidators(pool, validators);
        ulong paid = 0;
        var store = Store(ctx);
        for (int i = 0; i < validators.Length; i++)
        {
            string payout = "";
            if (amounts[i] > 0 && validatorRewards is not null
                && validatorRewards.PayValidator(ctx, validators[i].ConsensusAddress, RewardsKeys.ModuleName, Coins.Of(new Coin(denom, amounts[i]))) is { } valoper)
            {
                payout = valoper;
                paid += amounts[i];
            }
            store.Set(RewardsKeys.ValidatorRewardKey(epoch, validators[i].ConsensusAddress), new ValidatorReward
            {
                Epoch = epoch, ConsensusAddress = ByteString.CopyFrom(validators[i].ConsensusAddress),
                PayoutAddress = payout, SignedPower = validators[i].SignedPower, Amount = U(amounts[i]),
            }.ToByteArray());
            store.Delete(RewardsKeys.PowerKey(validators[i].ConsensusAddress));
        }
        return paid;
    }

    /// <summary>The oldest epoch whose payout still runs (its inputs must stay readable), or null.</summary>
    public long? OldestOpenPayout(Context ctx)
    {
        byte[] prefix = [RewardsKeys.PayoutPrefix];
        foreach (var (key, _) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix))) return KeyCodec.ReadInt64(key);
        return null;
    }

    /// <summary>The open payouts, oldest epoch first.</summary>
    public IReadOnlyList<EpochPayout> OpenPayouts(Context ctx)
    {
        byte[] prefix = [RewardsKeys.PayoutPrefix];
        return [.. Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)).Select(kv => EpochPayout.Parser.ParseFrom(kv.Value))];
    }

    public EpochPayout? GetPayout(Context ctx, long epoch)
    {
        var bytes = Store(ctx).Get(RewardsKeys.PayoutKey(epoch));
        return bytes is null ? null : EpochPayout.Parser.ParseFrom(bytes);
    }

    internal void SetPayout(Context ctx, EpochPayout payout) => Store(ctx).Set(RewardsKeys.PayoutKey(payout.Epoch), payout.ToByteArray());

    private static void SetSummary(Context ctx, EpochSummary summary) => Store(ctx).Set(RewardsKeys.SummaryKey(summary.Epoch), summary.ToByteArray());

    /// <summary>
    /// The automatic payout: visits the open payouts' devices in key order from each cursor, settling up to
    /// <paramref name="budget"/> devices (a device a claim already settled is skipped, and counts as visited); an
    /// epoch whose last device is settled completes (the remainder to the treasury). One event per epoch touched.
    /// </summary>
    public void PayOut(Context ctx, int budget)
    {
        foreach (var payout in OpenPayouts(ctx))
        {
            if (budget <= 0) return;
            var summary = GetSummary(ctx, payout.Epoch) ?? throw new InvalidOperationException($"open payout of epoch {payout.Epoch} has no summary");
            var (visited, done) = PayOutChunk(ctx, payout, summary, budget);
            budget -= Math.Max(visited, 1);
            if (done) Complete(ctx, payout, summary);
            else SetPayout(ctx, payout);
        }
    }

    /// <summary>One chunk of one epoch: merges the coverage and traffic pages up to the nearer bound, settles, advances the cursor.</summary>
    private (int Visited, bool Done) PayOutChunk(Context ctx, EpochPayout payout, EpochSummary summary, int limit)
    {
        long epoch = payout.Epoch;
        byte[]? after = payout.Cursor.IsEmpty ? null : payout.Cursor.ToByteArray();
        var units = coverage.EpochUnitsPage(ctx, epoch, after, limit);
        var paid = traffic.EpochTrafficPage(ctx, epoch, after, limit);
        // Both pages are complete up to their bounds: settle through the nearer one.
        byte[]? bound = units.Bound is null ? paid.Bound : paid.Bound is null ? units.Bound : Min(units.Bound, paid.Bound);
        var inputs = new List<DeviceInput>();
        int i = 0, j = 0;
        byte[]? previous = after;
        while (true)
        {
            bool hasUnits = i < units.Items.Count && Within(units.Items[i].DeviceKey, bound);
            bool hasTraffic = j < paid.Items.Count && Within(paid.Items[j].DeviceKey.Span, bound);
            if (!hasUnits && !hasTraffic) break;
            int order = !hasUnits ? 1 : !hasTraffic ? -1 : units.Items[i].DeviceKey.AsSpan().SequenceCompareTo(paid.Items[j].DeviceKey.Span);
            var input = order < 0 ? Join(ctx, units.Items[i++], null) : order > 0 ? Join(ctx, null, paid.Items[j++]) : Join(ctx, units.Items[i++], paid.Items[j++]);
            if (previous is not null && previous.AsSpan().SequenceCompareTo(input.DeviceKey) >= 0)
                throw new InvalidOperationException($"epoch inputs are not sorted by device key at {Convert.ToHexString(input.DeviceKey)}");
            previous = input.DeviceKey;
            inputs.Add(input);
        }
        if (inputs.Count > limit)
        {
            inputs.RemoveRange(limit, inputs.Count - limit);
            bound = previous = inputs[^1].DeviceKey;
        }
        var store = Store(ctx);
        var settled = new List<(byte[]? Owner, ulong Amount)>(inputs.Count);
        foreach (var input in inputs)
        {
            if (store.Has(RewardsKeys.RecordKey(epoch, input.DeviceKey))) continue; // claimed before the payout reached it
            settled.Add(Settle(ctx, payout, summary, input));
        }
        PayOwners(ctx, settled);
        if (bound is not null) payout.Cursor = ByteString.CopyFrom(bound);
        else if (previous is not null) payout.Cursor = ByteString.CopyFrom(previous);
        SetSummary(ctx, summary);
        if (settled.Count > 0)
            ctx.Events.Emit(SdkEvent.Of("rewards_payout", ("epoch", epoch.ToString(CultureInfo.InvariantCulture)),
                ("devices", settled.Count.ToString(CultureInfo.InvariantCulture)), ("paid_to_devices", summary.PaidToDevices)));
        return (inputs.Count, bound is null);
    }

    private static bool Within(ReadOnlySpan<byte> key, byte[]? bound) => bound is null || key.SequenceCompareTo(bound) <= 0;

    private static byte[] Min(byte[] a, byte[] b) => a.AsSpan().SequenceCompareTo(b) <= 0 ? a : b;

    /// <summary>Every device settled: the remainder (treasury share, floors, unowned shares, refused validator shares) to the treasury.</summary>
    private void Complete(Context ctx, EpochPayout payout, EpochSummary summary)
    {
        ulong minted = (ulong)Amounts.Parse(summary.Minted, "minted");
        ulong paid = (ulong)Amounts.Parse(summary.PaidToDevices, "paid to devices") + (ulong)Amounts.Parse(summary.PaidToValidators, "paid to validators");
        if (paid > minted) throw new InvalidOperationException($"rewards paid {paid} exceed the {minted} minted in epoch {payout.Epoch}");
        ulong toTreasury = minted - paid;
        if (toTreasury > 0)
            bank.SendCoinsFromModuleToModule(ctx, RewardsKeys.ModuleName, RewardsKeys.TreasuryModuleName, Coins.Of(new Coin(emissions.MintDenom(ctx), toTreasury)));
        summary.ToTreasury = U(toTreasury);
        summary.PayoutComplete = true;
        summary.PayoutCompletedHeight = ctx.Height;
        SetSummary(ctx, summary);
        Store(ctx).Delete(RewardsKeys.PayoutKey(payout.Epoch));
        ctx.Events.Emit(SdkEvent.Of("rewards_epoch_paid", ("epoch", payout.Epoch.ToString(CultureInfo.InvariantCulture)),
            ("minted", summary.Minted), ("paid_to_devices", summary.PaidToDevices), ("paid_to_validators", summary.PaidToValidators),
            ("to_treasury", summary.ToTreasury), ("devices_rewarded", summary.DevicesRewarded.ToString(CultureInfo.InvariantCulture))));
    }

    /// <summary>A device's inputs for an epoch: its units (if any) and paid traffic (if any), and who is paid.</summary>
    private readonly record struct DeviceInput(byte[] DeviceKey, byte[]? Owner, ulong BeaconUnits, ulong WitnessUnits, ulong DensityScale, ulong TrafficBytes, ulong TrafficDc);

    /// <summary>A device in coverage is paid to its owner; a device only in traffic to the owner of the active device (else the treasury).</summary>
    private DeviceInput Join(Context ctx, CoverageUnits? units, Protos.Depin.DataCredits.V1.TrafficRecord? paid)
    {
        var key = units?.DeviceKey ?? paid!.DeviceKey.ToByteArray();
        var owner = units is not null ? units.Owner : devices.GetActiveDeviceOwner(ctx, key);
        return new DeviceInput(key, owner, units?.BeaconUnits ?? 0, units?.WitnessUnits ?? 0, units?.DensityScale ?? RewardCalculator.UnitScale,
            paid?.Bytes ?? 0, paid?.DcBurned ?? 0);
    }

    private DeviceInput? InputOf(Context ctx, long epoch, byte[] device)
    {
        var units = coverage.DeviceUnits(ctx, epoch, device);
        var paid = traffic.DeviceTraffic(ctx, epoch, device);
        return units is null && paid is null ? null : Join(ctx, units, paid);
    }

    /// <summary>The device's record by the exact formula, and whether its amount goes to its owner (else the treasury).</summary>
    private (RewardRecord Record, bool Paid) Evaluate(Context ctx, EpochPayout payout, DeviceInput d)
    {
        if (d.DensityScale > RewardCalculator.UnitScale)
            throw new InvalidOperationException($"device {Convert.ToHexString(d.DeviceKey)} has density scale {d.DensityScale} above 1.0");
        var split = new EpochSplit(0, 0, 0, 0, 0, 0, 0, payout.BeaconAmount, payout.WitnessAmount, payout.DataAmount,
            payout.TotalBeaconUnits, payout.TotalWitnessUnits, payout.TotalTrafficDc);
        var r = split.DeviceShare(d.BeaconUnits, d.WitnessUnits, d.TrafficDc);
        // Module accounts never receive rewards: their share, like every share without a recipient, goes to the treasury.
        bool paid = r.Amount > 0 && d.Owner is { } owner && !accounts.IsModuleAddress(owner);
        return (new RewardRecord
        {
            Epoch = payout.Epoch, DeviceKey = ByteString.CopyFrom(d.DeviceKey), Owner = d.Owner is null ? "" : Bech32Address.ToBech32(d.Owner),
            BeaconUnits = d.BeaconUnits, WitnessUnits = d.WitnessUnits, DensityScale = d.DensityScale,
            TrafficBytes = d.TrafficBytes, TrafficDc = d.TrafficDc,
            BeaconAmount = U(r.BeaconAmount), WitnessAmount = U(r.WitnessAmount), DataAmount = U(r.DataAmount),
            Amount = U(paid ? r.Amount : 0),
        }, paid);
    }

    /// <summary>Writes the device's settled record and owner-index entry and counts it in the summary; returns whom to pay how much (the caller moves the coins).</summary>
    private (byte[]? Owner, ulong Amount) Settle(Context ctx, EpochPayout payout, EpochSummary summary, DeviceInput d)
    {
        var (record, paid) = Evaluate(ctx, payout, d);
        record.Settled = true;
        var store = Store(ctx);
        store.Set(RewardsKeys.RecordKey(payout.Epoch, d.DeviceKey), record.ToByteArray());
        if (d.Owner is not null) store.Set(RewardsKeys.OwnerIndexKey(d.Owner, payout.Epoch, d.DeviceKey), []);
        if (!paid) return (null, 0);
        ulong amount = (ulong)Amounts.Parse(record.Amount, "amount");
        summary.PaidToDevices = U((ulong)Amounts.Parse(summary.PaidToDevices, "paid to devices") + amount);
        summary.DevicesRewarded++;
        return (d.Owner, amount);
    }

    /// <summary>One transfer per recipient (owners in byte order) from the rewards pool.</summary>
    private void PayOwners(Context ctx, IEnumerable<(byte[]? Owner, ulong Amount)> payments)
    {
        var perRecipient = new SortedDictionary<byte[], ulong>(ByteArrayComparer.Instance);
        foreach (var (owner, amount) in payments)
        {
            if (owner is null || amount == 0) continue;
            perRecipient[owner] = perRecipient.GetValueOrDefault(owner) + amount;
        }
        if (perRecipient.Count == 0) return;
        string denom = emissions.MintDenom(ctx);
        foreach (var (recipient, amount) in perRecipient)
            bank.SendCoinsFromModuleToAccount(ctx, RewardsKeys.ModuleName, recipient, Coins.Of(new Coin(denom, amount)));
    }

    /// <summary>
    /// Settles the device in every open payout (oldest epoch first) and pays its owner: what a claim does, and what the
    /// devices module's hook does before a device's owner, status or location changes (so the payout never reads a
    /// device as it is after its epoch ended). Returns the records it settled.
    /// </summary>
    public IReadOnlyList<RewardRecord> SettleDevice(Context ctx, ReadOnlySpan<byte> deviceKey) => SettleDevices(ctx, [deviceKey.ToArray()]);

    /// <summary>Settles the devices in every open payout and pays their owners (one transfer per owner).</summary>
    public IReadOnlyList<RewardRecord> SettleDevices(Context ctx, IReadOnlyList<byte[]> deviceKeys)
    {
        var records = new List<RewardRecord>();
        var payments = new List<(byte[]? Owner, ulong Amount)>();
        var store = Store(ctx);
        foreach (var payout in OpenPayouts(ctx))
        {
            EpochSummary? summary = null;
            foreach (var device in deviceKeys)
            {
                if (store.Has(RewardsKeys.RecordKey(payout.Epoch, device)) || InputOf(ctx, payout.Epoch, device) is not { } input) continue;
                summary ??= GetSummary(ctx, payout.Epoch) ?? throw new InvalidOperationException($"open payout of epoch {payout.Epoch} has no summary");
                payments.Add(Settle(ctx, payout, summary, input));
                records.Add(GetSettledRecord(ctx, payout.Epoch, device)!);
            }
            if (summary is not null) SetSummary(ctx, summary);
        }
        PayOwners(ctx, payments);
        return records;
    }

    /// <summary>
    /// Deletes, at most <paramref name="budget"/> keys per table per block, the records, owner-index entries and validator
    /// rewards of epochs that ended <paramref name="retention"/> or more epochs ago (0 = keep forever), never of an
    /// epoch whose payout is still open (its records are how a device is known to be settled); summaries stay.
    /// </summary>
    private void PruneExpired(Context ctx, long retention, int budget)
    {
        if (retention <= 0) return;
        long lastEnded = Clock.EpochOf(ctx, ctx.Height) - (Clock.IsLastBlockOfEpoch(ctx, ctx.Height) ? 0 : 1);
        long firstKept = lastEnded - retention + 1;
        if (OldestOpenPayout(ctx) is { } oldest) firstKept = Math.Min(firstKept, oldest);
        if (firstKept <= 0) return;
        var store = Store(ctx);
        foreach (byte table in new[] { RewardsKeys.RecordPrefix, RewardsKeys.OwnerIndexPrefix, RewardsKeys.ValidatorRewardPrefix })
            foreach (var key in store.Iterate(RewardsKeys.EpochPrefix(table, 0), RewardsKeys.EpochPrefix(table, firstKept)).Take(budget).Select(kv => kv.Key).ToList())
                store.Delete(key);
    }

    // Genesis helpers.
    internal IEnumerable<byte[]> IterateValues(Context ctx, byte prefix)
        => Store(ctx).Iterate([prefix], [(byte)(prefix + 1)]).Select(kv => kv.Value);

    /// <summary>Genesis: the (settled) records, and the owner index rebuilt from them (it is not exported).</summary>
    internal void ImportRecords(Context ctx, IEnumerable<RewardRecord> records)
    {
        var store = Store(ctx);
        foreach (var record in records)
        {
            var device = record.DeviceKey.ToByteArray();
            store.Set(RewardsKeys.RecordKey(record.Epoch, device), record.ToByteArray());
            if (record.Owner.Length > 0) store.Set(RewardsKeys.OwnerIndexKey(Bech32Address.Parse(record.Owner), record.Epoch, device), []);
        }
    }

    internal void ImportSummary(Context ctx, EpochSummary s) => Store(ctx).Set(RewardsKeys.SummaryKey(s.Epoch), s.ToByteArray());

    internal void ImportValidatorReward(Context ctx, ValidatorReward v)
        => Store(ctx).Set(RewardsKeys.ValidatorRewardKey(v.Epoch, v.ConsensusAddress.Span), v.ToByteArray());

    private static DePinChain.Store.IKVStore Store(Context ctx) => ctx.KVStore(RewardsKeys.ModuleName);

    private static string U(ulong v) => v.ToString(CultureInfo.InvariantCulture);
}
