using DePinChain.Store.Backend;
using DePinChain.Modules.Bank;
using DePinChain.Modules.Devices.Geo;
using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.Sdk;
using DePinChain.Store;
using Google.Protobuf;
using ProtoRegion = DePinChain.Protos.Depin.Devices.V1.Region;

namespace DePinChain.Modules.Devices;

/// <summary>
/// Owns the registry's state: params, makers, devices and the owner and cell indexes. Fees are burned
/// through the bank: moved from the payer to this module's account (which needs the burner permission),
/// then burned, and reported to <paramref name="burns"/> (the app passes mint's burn recorder; null: nobody listens).
/// </summary>
public sealed class DevicesKeeper(IBankKeeper bank, IFeeBurnListener? burns = null) : IDeviceRegistry
{
    public static Params DefaultParams() => new()
    {
        Authority = "",
        MinAntennaGainTenthsDbi = 0,
        MaxAntennaGainTenthsDbi = 150,
        MinElevationMetres = -500,
        MaxElevationMetres = 9_000,
    };

    private static IKVStore Store(Context ctx) => ctx.KVStore(DevicesKeys.ModuleName);

    public Params GetParams(Context ctx)
    {
        var bytes = Store(ctx).Get([DevicesKeys.ParamsKey]);
        return bytes is null ? DefaultParams() : Params.Parser.ParseFrom(bytes);
    }

    public void SetParams(Context ctx, Params p) => Store(ctx).Set([DevicesKeys.ParamsKey], p.ToByteArray());

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

    /// <summary>Active located devices whose finest cell lies inside <paramref name="cell"/>, sorted by finest cell then key.</summary>
    public IEnumerable<Device> DevicesInCell(Context ctx, GeoCell cell, int limit)
    {
        var (first, last) = cell.DescendantRange(GeoCell.FinestLevel);
        var end = last == ulong.MaxValue ? KeyRange.PrefixEnd([DevicesKeys.CellIndexPrefix]) : DevicesKeys.CellBound(last + 1);
        foreach (var (key, _) in Store(ctx).Iterate(DevicesKeys.CellBound(first), end).Take(limit).ToList())
            yield return GetDeviceRecord(ctx, key.AsSpan(9))!;
    }

    public DeviceInfo? GetDevice(Context ctx, ReadOnlySpan<byte> deviceKey)
    {
        var record = GetDeviceRecord(ctx, deviceKey);
        return record is null ? null : ToInfo(record);
    }

    public IEnumerable<(ulong FinestCell, byte[] DeviceKey, DeviceMode Mode)> LocatedDevices(Context ctx)
    {
        byte[] prefix = [DevicesKeys.CellIndexPrefix];
        foreach (var (key, value) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
            yield return (System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(1)), key[9..], (DeviceMode)value[0]);
    }

    public static DeviceInfo ToInfo(Device d) => new(
        d.Key.ToByteArray(),
        (DeviceKeyType)d.KeyType,
        Bech32Address.Parse(d.Owner),
        (DeviceMode)d.Mode,
        (DeviceStatus)d.Status,
        d.Maker,
        d.OnboardedHeight,
        d.Location is null ? null : new DeviceLocation(
            new GeoPoint(d.Location.LatitudeMicro, d.Location.LongitudeMicro),
            d.Location.AntennaGainTenthsDbi, d.Location.ElevationMetres, (Geo.Region)d.Location.Region, d.Location.Nonce));

    /// <summary>Writes a device and keeps both indexes in step with it.</summary>
    public void SetDevice(Context ctx, Device device)
    {
        var store = Store(ctx);
        var key = device.Key.ToByteArray();
        var previous = GetDeviceRecord(ctx, key);
        if (previous is not null)
        {
            store.Delete(DevicesKeys.OwnerIndexKey(Bech32Address.Parse(previous.Owner), key));
            if (CellOf(previous) is { } oldCell) store.Delete(DevicesKeys.CellIndexKey(oldCell, key));
        }
        store.Set(DevicesKeys.DeviceKey(key), device.ToByteArray());
        store.Set(DevicesKeys.OwnerIndexKey(Bech32Address.Parse(device.Owner), key), []);
        if (CellOf(device) is { } cell) store.Set(DevicesKeys.CellIndexKey(cell, key), [(byte)device.Mode]);
    }

    /// <summary>Only active, located devices are in the cell index.</summary>
    private static ulong? CellOf(Device d) =>
        d.Status == Protos.Depin.Devices.V1.DeviceStatus.Active && d.Location is { } l
            ? GeoCell.Containing(new GeoPoint(l.LatitudeMicro, l.LongitudeMicro), GeoCell.FinestLevel).Index
            : null;

    // ---- message handlers ----

    public void AddMaker(Context ctx, MsgAddMaker msg)
    {
        RequireAuthority(ctx, msg.Authority);
        if (GetMaker(ctx, msg.Name) is not null) throw DevicesErrors.MakerExists(msg.Name);
        SetMaker(ctx, new Maker
        {
            Name = msg.Name, Key = msg.Key, KeyType = msg.KeyType, FeePayer = msg.FeePayer, Active = true, AddedHeight = ctx.Height,
        });
        ctx.Events.Emit(SdkEvent.Of("add_maker", ("name", msg.Name), ("fee_payer", msg.FeePayer)));
    }

    public void RevokeMaker(Context ctx, MsgRevokeMaker msg)
    {
        RequireAuthority(ctx, msg.Authority);
        var maker = GetMaker(ctx, msg.Name) ?? throw DevicesErrors.MakerNotFound(msg.Name);
        if (!maker.Active) throw DevicesErrors.MakerRevoked(msg.Name);
        maker.Active = false;
        maker.RevokedHeight = ctx.Height;
        SetMaker(ctx, maker);
        ctx.Events.Emit(SdkEvent.Of("revoke_maker", ("name", msg.Name)));
    }

    public void Onboard(Context ctx, MsgOnboardDevice msg)
    {
        var key = msg.DeviceKey.ToByteArray();
        var maker = GetMaker(ctx, msg.Maker) ?? throw DevicesErrors.MakerNotFound(msg.Maker);
        if (!maker.Active) throw DevicesErrors.MakerRevoked(msg.Maker);
        if (GetDeviceRecord(ctx, key) is not null) throw DevicesErrors.DeviceExists();

        var owner = Bech32Address.Parse(msg.Owner);
        var signBytes = DeviceSignatures.OnboardingSignBytes(ctx.ChainId, (DeviceKeyType)msg.KeyType, key, owner, (DeviceMode)msg.Mode);
        ctx.GasMeter.Consume(2 * SignatureVerifyGas, "onboarding signatures");
        if (!DeviceSignatures.Verify((DeviceKeyType)msg.KeyType, key, signBytes, msg.DeviceSignature.Span))
            throw DevicesErrors.BadDeviceSignature();
        if (!DeviceSignatures.Verify((DeviceKeyType)maker.KeyType, maker.Key.Span, signBytes, msg.MakerSignature.Span))
            throw DevicesErrors.BadMakerSignature();

        var p = GetParams(ctx);
        var fee = Coins.FromProto(msg.Mode == Protos.Depin.Devices.V1.DeviceMode.Full ? p.OnboardingFeeFull : p.OnboardingFeeDataOnly);
        Burn(ctx, Bech32Address.Parse(maker.FeePayer), fee);

        SetDevice(ctx, new Device
        {
            Key = msg.DeviceKey, KeyType = msg.KeyType, Owner = msg.Owner, Mode = msg.Mode,
            Status = Protos.Depin.Devices.V1.DeviceStatus.Active, Maker = msg.Maker, OnboardedHeight = ctx.Height,
        });
        ctx.Events.Emit(SdkEvent.Of("onboard_device", ("device", Convert.ToHexString(key)), ("owner", msg.Owner), ("maker", msg.Maker), ("fee", fee.ToString())));
    }

    public MsgAssertLocationResponse AssertLocation(Context ctx, MsgAssertLocation msg)
    {
        var device = RequireOwnedActive(ctx, msg.DeviceKey, msg.Owner);
        var p = GetParams(ctx);
        if (msg.AntennaGainTenthsDbi < p.MinAntennaGainTenthsDbi || msg.AntennaGainTenthsDbi > p.MaxAntennaGainTenthsDbi)
            throw DevicesErrors.AntennaOutOfBounds($"gain {msg.AntennaGainTenthsDbi} tenths dBi is outside [{p.MinAntennaGainTenthsDbi}, {p.MaxAntennaGainTenthsDbi}]");
        if (msg.ElevationMetres < p.MinElevationMetres || msg.ElevationMetres > p.MaxElevationMetres)
            throw DevicesErrors.AntennaOutOfBounds($"elevation {msg.ElevationMetres} m is outside [{p.MinElevationMetres}, {p.MaxElevationMetres}]");
        var expectedNonce = (device.Location?.Nonce ?? 0) + 1;
        if (msg.Nonce != expectedNonce) throw DevicesErrors.BadNonce(expectedNonce, msg.Nonce);

        var point = new GeoPoint(msg.LatitudeMicro, msg.LongitudeMicro); // bounds checked in ValidateBasic
        var region = Regions.Of(point);
        if (msg.Region != ProtoRegion.Unknown && (Geo.Region)msg.Region != region)
            throw DevicesErrors.RegionMismatch($"asserted {msg.Region}, the location is in {region}");

        var moved = device.Location is null || device.Location.LatitudeMicro != msg.LatitudeMicro || device.Location.LongitudeMicro != msg.LongitudeMicro;
        if (moved) Burn(ctx, Bech32Address.Parse(msg.Owner), Coins.FromProto(p.LocationFee));

        device.Location = new Location
        {
            LatitudeMicro = msg.LatitudeMicro, LongitudeMicro = msg.LongitudeMicro,
            AntennaGainTenthsDbi = msg.AntennaGainTenthsDbi, ElevationMetres = msg.ElevationMetres,
            Region = (ProtoRegion)region, Nonce = msg.Nonce, AssertedHeight = ctx.Height,
        };
        SetDevice(ctx, device);
        ctx.Events.Emit(SdkEvent.Of("assert_location", ("device", Convert.ToHexString(msg.DeviceKey.Span)), ("region", region.ToString()), ("nonce", msg.Nonce.ToString())));
        return new MsgAssertLocationResponse { Region = (ProtoRegion)region, FeeCharged = moved };
    }

    public void Transfer(Context ctx, MsgTransferDevice msg)
    {
        var device = RequireOwnedActive(ctx, msg.DeviceKey, msg.Owner);
        device.Owner = msg.NewOwner;
        SetDevice(ctx, device);
        ctx.Events.Emit(SdkEvent.Of("transfer_device", ("device", Convert.ToHexString(msg.DeviceKey.Span)), ("from", msg.Owner), ("to", msg.NewOwner)));
    }

    public void Decommission(Context ctx, MsgDecommissionDevice msg)
    {
        var device = RequireOwnedActive(ctx, msg.DeviceKey, msg.Owner);
        device.Status = Protos.Depin.Devices.V1.DeviceStatus.Decommissioned;
        SetDevice(ctx, device);
        ctx.Events.Emit(SdkEvent.Of("decommission_device", ("device", Convert.ToHexString(msg.DeviceKey.Span))));
    }

    /// <summary>Gas per signature check, as the SDK charges for a secp256k1 verification.</summary>
    public const ulong SignatureVerifyGas = 1_000;

    private Device RequireOwnedActive(Context ctx, ByteString key, string owner)
    {
        var device = GetDeviceRecord(ctx, key.Span) ?? throw DevicesErrors.DeviceNotFound();
        if (!Bech32Address.Parse(device.Owner).AsSpan().SequenceEqual(Bech32Address.Parse(owner))) throw DevicesErrors.NotOwner();
        if (device.Status != Protos.Depin.Devices.V1.DeviceStatus.Active) throw DevicesErrors.Decommissioned();
        return device;
    }

    private void RequireAuthority(Context ctx, string signer)
    {
        var authority = GetParams(ctx).Authority;
        if (string.IsNullOrEmpty(authority) || !Bech32Address.Parse(authority).AsSpan().SequenceEqual(Bech32Address.Parse(signer)))
            throw SdkErrors.Unauthorized($"{signer} is not the devices authority");
    }

    private void Burn(Context ctx, byte[] payer, Coins fee)
    {
        if (fee.IsEmpty) return;
        bank.SendCoinsFromAccountToModule(ctx, payer, DevicesKeys.ModuleName, fee);
        bank.BurnCoins(ctx, DevicesKeys.ModuleName, fee);
        burns?.FeesBurned(ctx, fee);
    }
}
