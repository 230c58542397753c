using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using DePinChain.Protos.Depin.DataCredits.V1;
using DePinChain.Sdk;
using DePinChain.Store.Backend;
using Google.Protobuf;

namespace DePinChain.Modules.DataCredits;

/// <summary>
/// Owns the data-credits store: DC balances (not transferable), delegations to routers, the router registry,
/// paid traffic per device per epoch and the price. DC are whole numbers in a ulong; every addition is checked. What it
/// needs from other modules is in ExpectedKeepers.cs.
/// </summary>
/// <param name="denom">The denom bought DC are paid in (the chain's mint denom).</param>
public sealed class DataCreditsKeeper(IBankKeeper bank, IBurnRecorder burns, IEpochClock clock, IDeviceDirectory devices, string denom)
{
    /// <summary>udpin per DPIN: prices are quoted per whole token.</summary>
    public const ulong MicroPerToken = 1_000_000;

    public string Denom { get; } = denom;

    public IEpochClock Clock { get; } = clock;

    /// <summary>
    /// 1 DPIN = 100,000 DC, i.e. DPIN at $1 with 1 DC = $0.00001; 24 bytes per DC; traffic kept 2 epochs; the "gov"
    /// module address as authority.
    /// </summary>
    public static Params DefaultParams() => new() { DcPerDpin = 100_000, BytesPerDc = 24, TrafficRetentionEpochs = 2, Authority = ModuleAuthority.Default };

    private static readonly ParamsStore<Params> ParamsStore = new(DataCreditsKeys.ModuleName, DataCreditsKeys.ParamsKey, Params.Parser, DefaultParams);

    public Params GetParams(Context ctx) => ParamsStore.Get(ctx);

    public void SetParams(Context ctx, Params p) => ParamsStore.Set(ctx, p);

    public ulong DcPerDpin(Context ctx) => GetParams(ctx).DcPerDpin;

    /// <summary>The only account that may send the authority messages (from params: genesis sets it).</summary>
    public string GetAuthority(Context ctx) => GetParams(ctx).Authority;

    public ulong GetBalance(Context ctx, ReadOnlySpan<byte> owner) => ReadU64(Store(ctx).Get(DataCreditsKeys.BalanceKey(owner)));

    internal void SetBalance(Context ctx, ReadOnlySpan<byte> owner, ulong amount) => WriteU64(ctx, DataCreditsKeys.BalanceKey(owner), amount);

    public ulong GetDelegation(Context ctx, ReadOnlySpan<byte> owner, ReadOnlySpan<byte> router)
        => ReadU64(Store(ctx).Get(DataCreditsKeys.DelegationKey(owner, router)));

    internal void SetDelegation(Context ctx, ReadOnlySpan<byte> owner, ReadOnlySpan<byte> router, ulong amount)
        => WriteU64(ctx, DataCreditsKeys.DelegationKey(owner, router), amount);

    /// <summary>The owner's delegations, by router (store order).</summary>
    public IEnumerable<Delegation> Delegations(Context ctx, ReadOnlySpan<byte> owner)
    {
        var prefix = DataCreditsKeys.DelegationsOf(owner);
        return Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)).Select(kv => DecodeDelegation(kv.Key, kv.Value));
    }

    /// <summary>A delegation entry (0x03 | len | owner | len | router → DC) as its message.</summary>
    internal static Delegation DecodeDelegation(byte[] key, byte[] value)
    {
        int ownerLength = key[1];
        int routerLength = key[2 + ownerLength];
        return new Delegation
        {
            Owner = Bech32Address.ToBech32(key.AsSpan(2, ownerLength)),
            Router = Bech32Address.ToBech32(key.AsSpan(3 + ownerLength, routerLength)),
            Amount = BinaryPrimitives.ReadUInt64BigEndian(value),
        };
    }

    public Router? GetRouter(Context ctx, ReadOnlySpan<byte> router)
    {
        var bytes = Store(ctx).Get(DataCreditsKeys.RouterKey(router));
        return bytes is null ? null : Router.Parser.ParseFrom(bytes);
    }

    internal void SetRouter(Context ctx, Router router)
        => Store(ctx).Set(DataCreditsKeys.RouterKey(Bech32Address.Parse(router.Address)), router.ToByteArray());

    public (ulong Issued, ulong Burned) GetTotals(Context ctx)
    {
        var bytes = Store(ctx).Get([DataCreditsKeys.TotalsKey]);
        return bytes is null ? (0, 0) : (BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8)));
    }

    internal void SetTotals(Context ctx, ulong issued, ulong burned)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, issued);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), burned);
        Store(ctx).Set([DataCreditsKeys.TotalsKey], bytes);
    }

    /// <summary>
    /// Burns at most <paramref name="maxAmount"/> udpin from <paramref name="sender"/> for ⌊max · price / 10^6⌋ DC,
    /// credited to <paramref name="recipient"/>; only the exact cost ⌈dc · 10^6 / price⌉ ≤ max is burned.
    /// </summary>
    public (BigInteger Burned, ulong Credits) BurnForCredits(Context ctx, byte[] sender, byte[] recipient, BigInteger maxAmount)
    {
        ulong price = DcPerDpin(ctx);
        var creditsBig = maxAmount * price / MicroPerToken;
        if (creditsBig.IsZero)
            throw DataCreditsErrors.NoCreditsBought($"{maxAmount}{Denom} is less than one DC at {price} DC per DPIN");
        if (creditsBig > ulong.MaxValue) throw DataCreditsErrors.CreditOverflow($"{creditsBig} DC does not fit 64 bits");
        ulong credits = (ulong)creditsBig;
        var cost = (creditsBig * MicroPerToken + price - 1) / price;
        ulong newBalance = CheckedAdd(GetBalance(ctx, recipient), credits, "recipient balance");
        var (issued, burned) = GetTotals(ctx);
        ulong newIssued = CheckedAdd(issued, credits, "total issued");

        var coins = Coins.Of(new Coin(Denom, cost));
        bank.SendCoinsFromAccountToModule(ctx, sender, DataCreditsKeys.ModuleName, coins);
        bank.BurnCoins(ctx, DataCreditsKeys.ModuleName, coins);
        burns.RecordBurn(ctx, cost);
        SetBalance(ctx, recipient, newBalance);
        SetTotals(ctx, newIssued, burned);
        ctx.Events.Emit(SdkEvent.Of("burn_for_credits",
            ("sender", Bech32Address.ToBech32(sender)), ("recipient", Bech32Address.ToBech32(recipient)),
            ("burned", cost + Denom), ("credits", U(credits)), ("dc_per_dpin", U(price))));
        return (cost, credits);
    }

    public void Delegate(Context ctx, byte[] owner, byte[] router, ulong amount)
    {
        if (GetRouter(ctx, router) is null) throw DataCreditsErrors.RouterNotRegistered(Bech32Address.ToBech32(router));
        ulong balance = GetBalance(ctx, owner);
        if (balance < amount) throw DataCreditsErrors.InsufficientCredits($"balance {balance} DC is smaller than {amount} DC");
        ulong delegated = CheckedAdd(GetDelegation(ctx, owner, router), amount, "delegation");
        SetBalance(ctx, owner, balance - amount);
        SetDelegation(ctx, owner, router, delegated);
        ctx.Events.Emit(SdkEvent.Of("delegate_credits",
            ("owner", Bech32Address.ToBech32(owner)), ("router", Bech32Address.ToBech32(router)), ("amount", U(amount))));
    }

    public void Undelegate(Context ctx, byte[] owner, byte[] router, ulong amount)
    {
        ulong delegated = GetDelegation(ctx, owner, router);
        if (delegated < amount) throw DataCreditsErrors.InsufficientCredits($"delegated {delegated} DC is smaller than {amount} DC");
        ulong balance = CheckedAdd(GetBalance(ctx, owner), amount, "balance");
        SetDelegation(ctx, owner, router, delegated - amount);
        SetBalance(ctx, owner, balance);
        ctx.Events.Emit(SdkEvent.Of("undelegate_credits",
            ("owner", Bech32Address.ToBech32(owner)), ("router", Bech32Address.ToBech32(router)), ("amount", U(amount))));
    }

    /// <summary>DC that <paramref name="bytes"/> of traffic cost: ⌈bytes / bytes_per_dc⌉ (a partial DC is charged whole).</summary>
    public static ulong CreditsFor(ulong bytes, ulong bytesPerDc) => bytes / bytesPerDc + (bytes % bytesPerDc == 0 ? 0UL : 1UL);

    /// <summary>Burns the traffic's DC from what <paramref name="payer"/> delegated to the router and records it for the device's epoch.</summary>
    public (ulong Credits, long Epoch) ReportTraffic(Context ctx, byte[] router, byte[] payer, byte[] deviceKey, ulong bytes)
    {
        string routerText = Bech32Address.ToBech32(router);
        if (GetRouter(ctx, router) is null) throw DataCreditsErrors.RouterNotRegistered(routerText);
        if (devices.GetActiveDeviceOwner(ctx, deviceKey) is null) throw DataCreditsErrors.UnknownDevice(Convert.ToHexString(deviceKey));
        var p = GetParams(ctx);
        ulong credits = CreditsFor(bytes, p.BytesPerDc);
        bool own = router.AsSpan().SequenceEqual(payer);
        ulong available = own ? GetBalance(ctx, router) : GetDelegation(ctx, payer, router);
        if (available < credits)
            throw DataCreditsErrors.InsufficientCredits(own
                ? $"router {routerText} holds {available} DC, the traffic costs {credits} DC"
                : $"{Bech32Address.ToBech32(payer)} delegated {available} DC to {routerText}, the traffic costs {credits} DC");

        long epoch = Clock.EpochOf(ctx, ctx.Height);
        var key = DataCreditsKeys.TrafficKey(epoch, deviceKey);
        var existing = Store(ctx).Get(key);
        var record = existing is null ? new TrafficRecord { Epoch = epoch, DeviceKey = ByteString.CopyFrom(deviceKey) } : TrafficRecord.Parser.ParseFrom(existing);
        record.Bytes = CheckedAdd(record.Bytes, bytes, "device traffic bytes");
        record.DcBurned = CheckedAdd(record.DcBurned, credits, "device traffic DC");
        record.Reports = record.Reports == uint.MaxValue ? throw DataCreditsErrors.CreditOverflow("report count") : record.Reports + 1;
        var (issued, burned) = GetTotals(ctx);
        ulong newBurned = CheckedAdd(burned, credits, "total burned");

        if (own) SetBalance(ctx, router, available - credits);
        else SetDelegation(ctx, payer, router, available - credits);
        Store(ctx).Set(key, record.ToByteArray());
        AddToEpochDc(ctx, epoch, credits);
        SetTotals(ctx, issued, newBurned);
        ctx.Events.Emit(SdkEvent.Of("traffic_reported",
            ("router", routerText), ("payer", Bech32Address.ToBech32(payer)), ("device", Convert.ToHexString(deviceKey)),
            ("bytes", U(bytes)), ("dc_burned", U(credits)), ("epoch", epoch.ToString(CultureInfo.InvariantCulture))));
        return (credits, epoch);
    }

    public void SetPrice(Context ctx, ulong dcPerDpin)
    {
        var p = GetParams(ctx);
        ulong old = p.DcPerDpin;
        p.DcPerDpin = dcPerDpin;
        SetParams(ctx, p);
        ctx.Events.Emit(SdkEvent.Of("dc_price_changed", ("old_dc_per_dpin", U(old)), ("new_dc_per_dpin", U(dcPerDpin)),
            ("height", ctx.Height.ToString(CultureInfo.InvariantCulture))));
    }

    public void RegisterRouter(Context ctx, byte[] router, string name)
    {
        string text = Bech32Address.ToBech32(router);
        if (GetRouter(ctx, router) is not null) throw DataCreditsErrors.RouterAlreadyRegistered(text);
        SetRouter(ctx, new Router { Address = text, Name = name, RegisteredHeight = ctx.Height });
        ctx.Events.Emit(SdkEvent.Of("router_registered", ("router", text), ("name", name)));
    }

    public void RemoveRouter(Context ctx, byte[] router)
    {
        string text = Bech32Address.ToBech32(router);
        if (GetRouter(ctx, router) is null) throw DataCreditsErrors.RouterNotRegistered(text);
        Store(ctx).Delete(DataCreditsKeys.RouterKey(router));
        ctx.Events.Emit(SdkEvent.Of("router_removed", ("router", text)));
    }

    /// <summary>One device's paid traffic in <paramref name="epoch"/>, or null.</summary>
    public TrafficRecord? GetTraffic(Context ctx, long epoch, ReadOnlySpan<byte> deviceKey)
    {
        var bytes = Store(ctx).Get(DataCreditsKeys.TrafficKey(epoch, deviceKey));
        return bytes is null ? null : TrafficRecord.Parser.ParseFrom(bytes);
    }

    /// <summary>Every device's paid traffic in <paramref name="epoch"/>, sorted by device key (bytewise).</summary>
    public IEnumerable<TrafficRecord> EpochTraffic(Context ctx, long epoch)
    {
        var prefix = DataCreditsKeys.TrafficEpochPrefix(epoch);
        foreach (var (_, value) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
            yield return TrafficRecord.Parser.ParseFrom(value);
    }

    /// <summary>
    /// One page of <see cref="EpochTraffic"/>: at most <paramref name="limit"/> records after <paramref name="after"/>
    /// (null: from the first), and the key of the last one when the page is full (null: the epoch's last record is in it).
    /// </summary>
    public (List<TrafficRecord> Records, byte[]? Bound) EpochTrafficPage(Context ctx, long epoch, byte[]? after, int limit)
    {
        var prefix = DataCreditsKeys.TrafficEpochPrefix(epoch);
        byte[] start = after is null ? prefix : [.. DataCreditsKeys.TrafficKey(epoch, after), 0];
        var records = Store(ctx).Iterate(start, KeyRange.PrefixEnd(prefix)).Take(limit).Select(kv => TrafficRecord.Parser.ParseFrom(kv.Value)).ToList();
        return (records, records.Count == limit ? records[^1].DeviceKey.ToByteArray() : null);
    }

    /// <summary>Σ DC burned for the traffic of <paramref name="epoch"/>, over every device.</summary>
    public ulong EpochDc(Context ctx, long epoch) => KeyCodec.ReadUInt64Value(Store(ctx).Get(DataCreditsKeys.EpochDcKey(epoch)));

    private void AddToEpochDc(Context ctx, long epoch, ulong credits)
        => Store(ctx).Set(DataCreditsKeys.EpochDcKey(epoch), KeyCodec.UInt64Value(CheckedAdd(EpochDc(ctx, epoch), credits, "epoch DC")));

    /// <summary>Deletes per block at most this many traffic records (and as many epoch totals) of expired epochs.</summary>
    public const int MaxPrunedPerBlock = 2_000;

    private ITrafficHold? _hold;

    /// <summary>Sets who may hold traffic past the retention, once, when the app wires its modules.</summary>
    /// <exception cref="InvalidOperationException">A hold is already set.</exception>
    public void SetTrafficHold(ITrafficHold hold)
    {
        if (_hold is not null) throw new InvalidOperationException("the traffic hold is already set");
        _hold = hold;
    }

    /// <summary>
    /// Every block: forgets the traffic of epochs that ended <c>traffic_retention_epochs</c> or more epochs ago (at the
    /// last block of epoch e, epoch e − retention and older), never of an epoch a reader still holds, at most
    /// <see cref="MaxPrunedPerBlock"/> records per block (so no block deletes an epoch's whole traffic at once).
    /// </summary>
    public void EndBlock(Context ctx)
    {
        long lastEnded = Clock.EpochOf(ctx, ctx.Height) - (Clock.IsLastBlockOfEpoch(ctx, ctx.Height) ? 0 : 1);
        long firstKept = lastEnded - GetParams(ctx).TrafficRetentionEpochs + 1;
        if (_hold?.OldestEpochInUse(ctx) is { } held) firstKept = Math.Min(firstKept, held);
        if (firstKept <= 0) return;
        var store = Store(ctx);
        foreach (var (start, end) in new[] { (DataCreditsKeys.TrafficEpochPrefix(0), DataCreditsKeys.TrafficEpochPrefix(firstKept)), (DataCreditsKeys.EpochDcKey(0), DataCreditsKeys.EpochDcKey(firstKept)) })
            foreach (var key in store.Iterate(start, end).Take(MaxPrunedPerBlock).Select(kv => kv.Key).ToList()) store.Delete(key);
    }

    // Whole-store iteration for genesis export, in key order.
    internal IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(Context ctx, byte prefix)
        => Store(ctx).Iterate([prefix], [(byte)(prefix + 1)]);

    /// <summary>Genesis: a traffic record, counted in its epoch's DC total (which is derived, not exported).</summary>
    internal void SetTraffic(Context ctx, TrafficRecord record)
    {
        Store(ctx).Set(DataCreditsKeys.TrafficKey(record.Epoch, record.DeviceKey.Span), record.ToByteArray());
        AddToEpochDc(ctx, record.Epoch, record.DcBurned);
    }

    private static DePinChain.Store.IKVStore Store(Context ctx) => ctx.KVStore(DataCreditsKeys.ModuleName);

    private static ulong ReadU64(byte[]? bytes) => KeyCodec.ReadUInt64Value(bytes);

    private static void WriteU64(Context ctx, byte[] key, ulong amount)
    {
        // Zero entries are deleted so that export lists only what exists.
        if (amount == 0) { Store(ctx).Delete(key); return; }
        Store(ctx).Set(key, KeyCodec.UInt64Value(amount));
    }

    private static ulong CheckedAdd(ulong a, ulong b, string what)
        => a > ulong.MaxValue - b ? throw DataCreditsErrors.CreditOverflow($"{what}: {a} + {b}") : a + b;

    private static string U(ulong v) => v.ToString(CultureInfo.InvariantCulture);
}
