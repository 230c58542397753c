using DePinChain.Modules.Devices.Geo;
using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using ProtoRegion = DePinChain.Protos.Depin.Devices.V1.Region;

namespace DePinChain.Modules.Devices;

/// <summary>The devices <c>service Msg</c>: for each rpc, its stateless checks (ValidateBasic) and its handler.</summary>
public sealed class DevicesMsgServer(DevicesKeeper keeper)
{
    public const int MaxMakerNameLength = 64;

    public void Register(MsgRouter router)
    {
        router.Register(MsgAddMaker.Parser, ValidateAddMaker, AddMaker);
        router.Register(MsgRevokeMaker.Parser, ValidateRevokeMaker, RevokeMaker);
        router.Register(MsgOnboardDevice.Parser, ValidateOnboard, OnboardDevice);
        router.Register(MsgAssertLocation.Parser, ValidateAssertLocation, AssertLocation);
        router.Register(MsgTransferDevice.Parser, ValidateTransfer, TransferDevice);
        router.Register(MsgDecommissionDevice.Parser, ValidateDecommission, DecommissionDevice);
    }

    // ---- makers (authority) ----

    public static void ValidateAddMaker(MsgAddMaker m)
    {
        Bech32Address.Parse(m.Authority);
        ValidateMakerName(m.Name);
        ValidateKey(m.KeyType, m.Key.Span, "maker key");
        try { Bech32Address.Parse(m.FeePayer); }
        catch (SdkError e) { throw e.Wrap("maker fee payer"); }
    }

    public MsgAddMakerResponse AddMaker(Context ctx, MsgAddMaker msg)
    {
        DevicesErrors.Authority.Require(keeper.GetAuthority(ctx), msg.Authority);
        if (keeper.GetMaker(ctx, msg.Name) is not null) throw DevicesErrors.MakerExists(msg.Name);
        keeper.SetMaker(ctx, new Maker
        {
            Name = msg.Name, Key = msg.Key, KeyType = msg.KeyType, FeePayer = msg.FeePayer, Active = true, AddedHeight = ctx.Height,
        });
        ctx.Events.Emit(SdkEvent.Of("add_maker", ("name", msg.Name), ("fee_payer", msg.FeePayer)));
        return new MsgAddMakerResponse();
    }

    public static void ValidateRevokeMaker(MsgRevokeMaker m)
    {
        Bech32Address.Parse(m.Authority);
        ValidateMakerName(m.Name);
    }

    /// <summary>A revoked maker onboards nothing new; its devices stay.</summary>
    public MsgRevokeMakerResponse RevokeMaker(Context ctx, MsgRevokeMaker msg)
    {
        DevicesErrors.Authority.Require(keeper.GetAuthority(ctx), msg.Authority);
        var maker = keeper.GetMaker(ctx, msg.Name) ?? throw DevicesErrors.MakerNotFound(msg.Name);
        if (!maker.Active) throw DevicesErrors.MakerRevoked(msg.Name);
        maker.Active = false;
        maker.RevokedHeight = ctx.Height;
        keeper.SetMaker(ctx, maker);
        ctx.Events.Emit(SdkEvent.Of("revoke_maker", ("name", msg.Name)));
        return new MsgRevokeMakerResponse();
    }

    // ---- devices (owners) ----

    public static void ValidateOnboard(MsgOnboardDevice m)
    {
        Bech32Address.Parse(m.Owner);
        ValidateKey(m.KeyType, m.DeviceKey.Span, "device key");
        if (m.Mode is not (DeviceMode.Full or DeviceMode.DataOnly))
            throw DevicesErrors.InvalidMode($"{m.Mode} is neither full nor data-only");
        ValidateMakerName(m.Maker);
        if (m.DeviceSignature.Length != DeviceSignatures.SignatureLength) throw DevicesErrors.BadDeviceSignature();
        if (m.MakerSignature.Length != DeviceSignatures.SignatureLength) throw DevicesErrors.BadMakerSignature();
    }

    /// <summary>
    /// Onboards a device once, ever: the device and its maker sign <see cref="DeviceSignatures.OnboardingSignBytes"/>, and
    /// the mode's fee is burned from the maker's fee payer.
    /// </summary>
    public MsgOnboardDeviceResponse OnboardDevice(Context ctx, MsgOnboardDevice msg)
    {
        var key = msg.DeviceKey.ToByteArray();
        var maker = keeper.GetMaker(ctx, msg.Maker) ?? throw DevicesErrors.MakerNotFound(msg.Maker);
        if (!maker.Active) throw DevicesErrors.MakerRevoked(msg.Maker);
        if (keeper.GetDeviceRecord(ctx, key) is not null) throw DevicesErrors.DeviceExists();

        var owner = Bech32Address.Parse(msg.Owner);
        var signBytes = DeviceSignatures.OnboardingSignBytes(ctx.ChainId, msg.KeyType, key, owner, msg.Mode);
        ctx.GasMeter.Consume(2 * DevicesKeeper.SignatureVerifyGas, "onboarding signatures");
        if (!DeviceSignatures.Verify(msg.KeyType, key, signBytes, msg.DeviceSignature.Span))
            throw DevicesErrors.BadDeviceSignature();
        if (!DeviceSignatures.Verify(maker.KeyType, maker.Key.Span, signBytes, msg.MakerSignature.Span))
            throw DevicesErrors.BadMakerSignature();

        var p = keeper.GetParams(ctx);
        var fee = Coins.FromProto(msg.Mode == DeviceMode.Full ? p.OnboardingFeeFull : p.OnboardingFeeDataOnly);
        keeper.BurnFee(ctx, Bech32Address.Parse(maker.FeePayer), fee);

        keeper.SetDevice(ctx, new Device
        {
            Key = msg.DeviceKey, KeyType = msg.KeyType, Owner = msg.Owner, Mode = msg.Mode,
            Status = DeviceStatus.Active, Maker = msg.Maker, OnboardedHeight = ctx.Height,
        });
        ctx.Events.Emit(SdkEvent.Of("onboard_device", ("device", Convert.ToHexString(key)), ("owner", msg.Owner), ("maker", msg.Maker), ("fee", fee.ToString())));
        return new MsgOnboardDeviceResponse();
    }

    public static void ValidateAssertLocation(MsgAssertLocation m)
    {
        Bech32Address.Parse(m.Owner);
        ValidateKeyLength(m.DeviceKey.Span);
        if (!new GeoPoint(m.LatitudeMicro, m.LongitudeMicro).IsValid)
            throw DevicesErrors.InvalidLocation($"({m.LatitudeMicro}, {m.LongitudeMicro}) micro-degrees is outside ±90° latitude / ±180° longitude");
        if (m.Nonce == 0) throw DevicesErrors.BadNonce(1, 0);
        if (!Enum.IsDefined(m.Region)) throw DevicesErrors.RegionMismatch($"unknown region value {(int)m.Region}");
    }

    /// <summary>
    /// Locates a device: nonce = previous + 1, gain and elevation within params, the region derived from the location
    /// (an asserted one must match), the location fee burned from the owner when latitude or longitude change.
    /// </summary>
    public MsgAssertLocationResponse AssertLocation(Context ctx, MsgAssertLocation msg)
    {
        var device = RequireOwnedActive(ctx, msg.DeviceKey, msg.Owner);
        var p = keeper.GetParams(ctx);
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
        if (moved) keeper.BurnFee(ctx, Bech32Address.Parse(msg.Owner), Coins.FromProto(p.LocationFee));

        device.Location = new Location
        {
            LatitudeMicro = msg.LatitudeMicro, LongitudeMicro = msg.LongitudeMicro,
            AntennaGainTenthsDbi = msg.AntennaGainTenthsDbi, ElevationMetres = msg.ElevationMetres,
            Region = (ProtoRegion)region, Nonce = msg.Nonce, AssertedHeight = ctx.Height,
        };
        keeper.SetDevice(ctx, device);
        keeper.RecordLocation(ctx, msg.DeviceKey.Span, device.Location);
        ctx.Events.Emit(SdkEvent.Of("assert_location", ("device", Convert.ToHexString(msg.DeviceKey.Span)), ("region", region.ToString()), ("nonce", msg.Nonce.ToString())));
        return new MsgAssertLocationResponse { Region = (ProtoRegion)region, FeeCharged = moved };
    }

    public static void ValidateTransfer(MsgTransferDevice m)
    {
        Bech32Address.Parse(m.Owner);
        Bech32Address.Parse(m.NewOwner);
        ValidateKeyLength(m.DeviceKey.Span);
    }

    public MsgTransferDeviceResponse TransferDevice(Context ctx, MsgTransferDevice msg)
    {
        var device = RequireOwnedActive(ctx, msg.DeviceKey, msg.Owner);
        device.Owner = msg.NewOwner;
        keeper.SetDevice(ctx, device);
        ctx.Events.Emit(SdkEvent.Of("transfer_device", ("device", Convert.ToHexString(msg.DeviceKey.Span)), ("from", msg.Owner), ("to", msg.NewOwner)));
        return new MsgTransferDeviceResponse();
    }

    public static void ValidateDecommission(MsgDecommissionDevice m)
    {
        Bech32Address.Parse(m.Owner);
        ValidateKeyLength(m.DeviceKey.Span);
    }

    /// <summary>Final: a decommissioned device leaves the cell index and takes part in nothing.</summary>
    public MsgDecommissionDeviceResponse DecommissionDevice(Context ctx, MsgDecommissionDevice msg)
    {
        var device = RequireOwnedActive(ctx, msg.DeviceKey, msg.Owner);
        device.Status = DeviceStatus.Decommissioned;
        keeper.SetDevice(ctx, device);
        ctx.Events.Emit(SdkEvent.Of("decommission_device", ("device", Convert.ToHexString(msg.DeviceKey.Span))));
        return new MsgDecommissionDeviceResponse();
    }

    private Device RequireOwnedActive(Context ctx, ByteString key, string owner)
    {
        var device = keeper.GetDeviceRecord(ctx, key.Span) ?? throw DevicesErrors.DeviceNotFound();
        if (!Bech32Address.Parse(device.Owner).AsSpan().SequenceEqual(Bech32Address.Parse(owner))) throw DevicesErrors.NotOwner();
        if (device.Status != DeviceStatus.Active) throw DevicesErrors.Decommissioned();
        return device;
    }

    // ---- shared checks (also the genesis's) ----

    public static void ValidateMakerName(string name)
    {
        if (name.Length is 0 or > MaxMakerNameLength || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            throw DevicesErrors.InvalidMaker($"name \"{name}\" must be 1–{MaxMakerNameLength} characters of a–z, 0–9, '-', '_', '.'");
    }

    internal static void ValidateKey(KeyType type, ReadOnlySpan<byte> key, string what)
    {
        if (!DeviceSignatures.IsWellFormedKey(type, key))
            throw DevicesErrors.InvalidDeviceKey($"{what} of {key.Length} bytes is not a {type} public key");
    }

    private static void ValidateKeyLength(ReadOnlySpan<byte> key)
    {
        if (DeviceSignatures.TypeOf(key) == KeyType.Unspecified)
            throw DevicesErrors.InvalidDeviceKey($"{key.Length} bytes; expected 33 (secp256k1) or 32 (ed25519)");
    }
}
