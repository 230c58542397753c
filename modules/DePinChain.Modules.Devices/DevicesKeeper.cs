using DePinChain.Modules.Devices.Geo;
using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.Sdk;
using DePinChain.Store;
using DePinChain.Store.Backend;
using DePinChain.Protos.Cosmos.Base.Query.V1Beta1;
using Google.Protobuf;

namespace DePinChain.Modules.Devices;

/// <summary>
/// Owns the registry's state: params, makers, devices and the owner and cell indexes; the only code that reads or
/// writes the devices store. Fees are burned through the bank: moved from the payer to this module's account (which
/// needs the burner permission), then burned, and reported to <paramref name="burns"/> (the app passes mint; null:
/// nobody listens). What it needs from other modules is in ExpectedKeepers.cs.
/// </summary>
public sealed class DevicesKeeper(IBankKeeper bank, IFeeBurnListener? burns = null)
{
    /// <summary>Gas per signature check, as the SDK charges for a secp256k1 verification.</summary>
    public const ulong SignatureVerifyGas = 1_000;

    public static Params DefaultParams() => new()
    {
        Authority = ModuleAuthority.Default,
        MinAntennaGainTenthsDbi = 0,
        MaxAntennaGainTenthsDbi = 150,
        MinElevationMetres = -500,
        MaxElevationMetres = 9_000,
    };

    private static readonly ParamsStore<Params> ParamsStore = new(DevicesKeys.ModuleName, DevicesKeys.ParamsKey, Params.Parser, DefaultParams);

    private static IKVStore Store(Context ctx) => ctx.KVStore(DevicesKeys.ModuleName);

    public Params GetParams(Context ctx) => ParamsStore.Get(ctx);

    public void SetParams(Context ctx, Params p) => ParamsStore.Set(ctx, p);

    /// <summary>The only account that may add and revoke makers (from params: genesis sets it).</summary>
    public string GetAuthority(Context ctx) => GetParams(ctx).Authority;

    public Maker? GetMaker(Context ctx, string name)
    {
        var bytes = Store(ctx).Get(DevicesKeys.MakerKey(name));
        return bytes is null ? null : Maker.Parser.ParseFrom(bytes);
    }

    public void SetMaker(Context ctx, Maker maker) => Store(ctx).Set(DevicesKeys.MakerKey(maker.Name), maker.ToByteArray());

    public IEnumerable<Maker> Makers(Context ctx)
    {
        byte[] prefix = [DevicesKeys.MakerPrefix];
        foreach (var (_, value) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
            yield return Maker.Parser.ParseFrom(value);
    }

    public Device? GetDeviceRecord(Context ctx, ReadOnlySpan<byte> key)
    {
        var bytes = Store(ctx).Get(DevicesKeys.DeviceKey(key));
        return bytes is null ? null : Device.Parser.ParseFrom(bytes);
    }

    public IEnumerable<Device> Devices(Context ctx)
    {
        byte[] prefix = [DevicesKeys.DevicePrefix];
        foreach (var (_, value) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
            yield return Device.Parser.ParseFrom(value);
    }

    public IEnumerable<Device> DevicesByOwner(Context ctx, byte[] owner)
    {
        var prefix = DevicesKeys.OwnerPrefixOf(owner);
        foreach (var (key, _) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)).ToList())
            yield return GetDeviceRecord(ctx, key.AsSpan(prefix.Length))!;
    }

    /// <summary>
    /// One page of every device, sorted by key, as the SDK's <c>query.Paginate</c> pages a prefix store: by key (inclusive;
    /// next_key is the key of the first device after the page) or by offset, <paramref name="defaultLimit"/> when the limit
    /// is 0 (which also counts the total), reverse, count_total (with offsets only, as the SDK).
    /// </summary>
    public (List<Device> Page, PageResponse Response) DevicesPage(Context ctx, PageRequest? page, ulong defaultLimit)
    {
        page ??= new PageRequest();
        if (!page.Key.IsEmpty && page.Offset > 0) throw SdkErrors.InvalidRequest("either offset or key is expected, got both");
        ulong limit = page.Limit == 0 ? defaultLimit : page.Limit;
        // As the SDK (and Sdk.Pagination, which pages items already read; this streams from the store): a limit of 0
        // also counts the total.
        bool countTotal = (page.CountTotal || page.Limit == 0) && page.Key.IsEmpty;
        byte[] prefix = [DevicesKeys.DevicePrefix];
        byte[]? end = KeyRange.PrefixEnd(prefix);
        byte[] start = prefix;
        if (!page.Key.IsEmpty)
        {
            byte[] from = DevicesKeys.DeviceKey(page.Key.Span);
            if (page.Reverse) end = [.. from, 0]; // inclusive of the key itself
            else start = from;
        }
        var devices = new List<Device>();
        var response = new PageResponse();
        ulong seen = 0;
        foreach (var (key, value) in Store(ctx).Iterate(start, end, page.Reverse))
        {
            if (page.Key.IsEmpty && seen < page.Offset) { seen++; continue; }
            if ((ulong)devices.Count == limit)
            {
                if (response.NextKey.IsEmpty) response.NextKey = ByteString.CopyFrom(key, 1, key.Length - 1);
                if (!countTotal) break;
                seen++;
                continue;
            }
            devices.Add(Device.Parser.ParseFrom(value));
            seen++;
        }
        if (countTotal) response.Total = seen;
        return (devices, response);
    }

    /// <summary>Records an asserted location in the device's history (keyed by its nonce).</summary>
    public void RecordLocation(Context ctx, ReadOnlySpan<byte> deviceKey, Location location)
        => Store(ctx).Set(DevicesKeys.LocationHistoryKey(deviceKey, location.Nonce), location.ToByteArray());

    public bool HasLocationRecord(Context ctx, ReadOnlySpan<byte> deviceKey, ulong nonce)
        => Store(ctx).Has(DevicesKeys.LocationHistoryKey(deviceKey, nonce));

    /// <summary>Every location the device asserted, by nonce.</summary>
    public List<Location> LocationHistory(Context ctx, ReadOnlySpan<byte> deviceKey)
    {
        byte[] prefix = DevicesKeys.LocationHistoryPrefixOf(deviceKey);
        return [.. Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)).Select(e => Location.Parser.ParseFrom(e.Value))];
    }

    /// <summary>Every location record, by device key then nonce (for the genesis export).</summary>
    public IEnumerable<LocationRecord> LocationRecords(Context ctx)
    {
        byte[] prefix = [DevicesKeys.LocationHistoryPrefix];
        foreach (var (key, value) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
            yield return new LocationRecord { DeviceKey = ByteString.CopyFrom(key, 2, key[1]), Location = Location.Parser.ParseFrom(value) };
    }

    /// <summary>The cells at <paramref name="level"/> holding active located devices, with their counts, by Morton index
    /// (one pass over the cell index: a cell's descendants are contiguous in it).</summary>
    public IEnumerable<(GeoCell Cell, uint Devices)> OccupiedCells(Context ctx, int level)
    {
        GeoCell? current = null;
        uint count = 0;
        foreach (var (finest, _, _) in LocatedDevices(ctx))
        {
            var cell = new GeoCell(GeoCell.FinestLevel, finest).AncestorAt(level);
            if (current == cell) { count++; continue; }
            if (current is { } done) yield return (done, count);
            current = cell;
            count = 1;
        }
        if (current is { } last) yield return (last, count);
    }

    /// <summary>Active located devices whose finest cell lies inside <paramref name="cell"/>, sorted by finest cell then key.</summary>
    public IEnumerable<Device> DevicesInCell(Context ctx, GeoCell cell, int limit)
    {
        var (first, last) = cell.DescendantRange(GeoCell.FinestLevel);
        var end = last == ulong.MaxValue ? KeyRange.PrefixEnd([DevicesKeys.CellIndexPrefix]) : DevicesKeys.CellBound(last + 1);
        foreach (var (key, _) in Store(ctx).Iterate(DevicesKeys.CellBound(first), end).Take(limit).ToList())
            yield return GetDeviceRecord(ctx, key.AsSpan(9))!;
    }

    /// <summary>A device as other modules read it (the app bridges this to coverage, data credits and rewards).</summary>
    public DeviceInfo? GetDevice(Context ctx, ReadOnlySpan<byte> deviceKey)
    {
        var record = GetDeviceRecord(ctx, deviceKey);
        return record is null ? null : ToInfo(record);
    }

    /// <summary>Active, located devices as (finest grid cell index, device key, mode), sorted by cell then key.</summary>
    public IEnumerable<(ulong FinestCell, byte[] DeviceKey, DeviceMode Mode)> LocatedDevices(Context ctx)
    {
        byte[] prefix = [DevicesKeys.CellIndexPrefix];
        foreach (var (key, value) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
            yield return (KeyCodec.ReadUInt64(key), key[9..], (DeviceMode)value[0]);
    }

    /// <summary>The read model of a record; its key shares the record's array (keys are only read).</summary>
    public static DeviceInfo ToInfo(Device d) => new(
        ByteStrings.ArrayOf(d.Key),
        d.KeyType,
        Bech32Address.Parse(d.Owner),
        d.Mode,
        d.Status,
        d.Maker,
        d.OnboardedHeight,
        d.Location is null ? null : new DeviceLocation(
            new GeoPoint(d.Location.LatitudeMicro, d.Location.LongitudeMicro),
            d.Location.AntennaGainTenthsDbi, d.Location.ElevationMetres, (Geo.Region)d.Location.Region, d.Location.Nonce));

    private IDeviceHooks? _hooks;

    /// <summary>Sets the hooks once, when the app wires its modules (the keeper is built before the module that listens).</summary>
    /// <exception cref="InvalidOperationException">Hooks are already set.</exception>
    public void SetHooks(IDeviceHooks hooks)
    {
        if (_hooks is not null) throw new InvalidOperationException("device hooks are already set");
        _hooks = hooks;
    }

    /// <summary>Writes a device and keeps both indexes in step with it; an existing device's hooks hear first.</summary>
    public void SetDevice(Context ctx, Device device)
    {
        var store = Store(ctx);
        var key = device.Key.ToByteArray();
        var previous = GetDeviceRecord(ctx, key);
        if (previous is not null)
        {
            _hooks?.BeforeDeviceModified(ctx, key);
            store.Delete(DevicesKeys.OwnerIndexKey(Bech32Address.Parse(previous.Owner), key));
            if (CellOf(previous) is { } oldCell) store.Delete(DevicesKeys.CellIndexKey(oldCell, key));
        }
        store.Set(DevicesKeys.DeviceKey(key), device.ToByteArray());
        store.Set(DevicesKeys.OwnerIndexKey(Bech32Address.Parse(device.Owner), key), []);
        if (CellOf(device) is { } cell) store.Set(DevicesKeys.CellIndexKey(cell, key), [(byte)device.Mode]);
        // Density scaling counts full-mode devices per cell: journal the cells whose count this changes.
        var (before, after) = (previous is null ? null : FullCellOf(previous), FullCellOf(device));
        if (before == after) return;
        if (before is { } left) store.Set(DevicesKeys.ChangedDensityCellKey(left), []);
        if (after is { } entered) store.Set(DevicesKeys.ChangedDensityCellKey(entered), []);
    }

    /// <summary>
    /// Genesis: writes every device and its indexes (no read of a previous record: the genesis has no duplicates). No
    /// cell is journaled as changed: coverage's genesis compares the imported density scales with the devices itself.
    /// </summary>
    internal void ImportDevices(Context ctx, IEnumerable<Device> devices)
    {
        var store = Store(ctx);
        foreach (var device in devices)
        {
            var key = device.Key.ToByteArray();
            store.Set(DevicesKeys.DeviceKey(key), device.ToByteArray());
            store.Set(DevicesKeys.OwnerIndexKey(Bech32Address.Parse(device.Owner), key), []);
            if (CellOf(device) is { } cell) store.Set(DevicesKeys.CellIndexKey(cell, key), [(byte)device.Mode]);
        }
    }

    /// <summary>
    /// The active, located, full-mode devices per finest cell in [<paramref name="firstCell"/>, <paramref name="lastCell"/>],
    /// by cell (cells without any left out): what density scaling counts. One pass over that range of the cell index.
    /// </summary>
    public IEnumerable<(ulong FinestCell, long Devices)> FullDeviceCounts(Context ctx, ulong firstCell, ulong lastCell)
    {
        var end = lastCell == ulong.MaxValue ? KeyRange.PrefixEnd([DevicesKeys.CellIndexPrefix]) : DevicesKeys.CellBound(lastCell + 1);
        ulong? current = null;
        long count = 0;
        foreach (var (key, value) in Store(ctx).Iterate(DevicesKeys.CellBound(firstCell), end))
        {
            if ((DeviceMode)value[0] != DeviceMode.Full) continue;
            var cell = KeyCodec.ReadUInt64(key);
            if (current == cell) { count++; continue; }
            if (current is { } done) yield return (done, count);
            (current, count) = (cell, 1);
        }
        if (current is { } last) yield return (last, count);
    }

    /// <summary>
    /// The finest cells whose full-device count changed since the last call (a full-mode device located, moved or
    /// decommissioned there), sorted, and forgets them: density scaling recomputes only around these. O(cells changed).
    /// </summary>
    public List<ulong> TakeChangedDensityCells(Context ctx)
    {
        var store = Store(ctx);
        byte[] prefix = [DevicesKeys.ChangedDensityCellPrefix];
        var keys = store.Iterate(prefix, KeyRange.PrefixEnd(prefix)).Select(kv => kv.Key).ToList();
        foreach (var key in keys) store.Delete(key);
        return keys.ConvertAll(key => KeyCodec.ReadUInt64(key));
    }

    /// <summary>Only active, located devices are in the cell index.</summary>
    private static ulong? CellOf(Device d) =>
        d.Status == DeviceStatus.Active && d.Location is { } l
            ? GeoCell.Containing(new GeoPoint(l.LatitudeMicro, l.LongitudeMicro), GeoCell.FinestLevel).Index
            : null;

    /// <summary>The finest cell of an active, located, full-mode device (what density scaling counts), else null.</summary>
    private static ulong? FullCellOf(Device d) => d.Mode == DeviceMode.Full ? CellOf(d) : null;

    /// <summary>Burns <paramref name="fee"/> from <paramref name="payer"/> (nothing for no fee) and tells the listener.</summary>
    public void BurnFee(Context ctx, byte[] payer, Coins fee)
    {
        if (fee.IsEmpty) return;
        bank.SendCoinsFromAccountToModule(ctx, payer, DevicesKeys.ModuleName, fee);
        bank.BurnCoins(ctx, DevicesKeys.ModuleName, fee);
        burns?.FeesBurned(ctx, fee);
    }
}
