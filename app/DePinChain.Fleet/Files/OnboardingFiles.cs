using System.Text.Json.Nodes;
using DePinChain.Fleet.Keys;
using DePinChain.Modules.Devices;
using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.Fleet.Files;

/// <summary>Who signed an onboarding signature file.</summary>
public enum OnboardingSigner { Device, Maker }

/// <summary>
/// One party's signature over <see cref="DeviceSignatures.OnboardingSignBytes"/>, with everything that was signed (and
/// the maker's name, which the chain needs beside it). The device's and the maker's files carry the same fields, so
/// each party can check what the other signed; the owner turns the two into a <see cref="MsgOnboardDevice"/>.
/// </summary>
public sealed record OnboardingSignature(
    OnboardingSigner Signer,
    string ChainId,
    byte[] DeviceKey,
    KeyType KeyType,
    string Owner,
    DeviceMode Mode,
    string Maker,
    byte[] SignerKey,
    KeyType SignerKeyType,
    byte[] Signature)
{
    /// <summary>The bytes both parties sign.</summary>
    public byte[] SignBytes() => DeviceSignatures.OnboardingSignBytes(ChainId, KeyType, DeviceKey, Bech32Address.Parse(Owner), Mode);

    public bool SignatureVerifies() => DeviceSignatures.Verify(SignerKeyType, SignerKey, SignBytes(), Signature);
}

/// <summary>
/// The onboarding three-signature flow as files, each party offline: the device signs (<see cref="SignAsDevice"/>),
/// the maker checks the device's file and signs the same fields (<see cref="SignAsMaker"/>), the owner builds the
/// transaction from both (<see cref="BuildMessage"/>) and signs it with the account key. File format: the project
/// README ("Onboarding signature file").
/// </summary>
public static class OnboardingFiles
{
    public const string FileType = "depinchain/onboarding-signature/v1";

    /// <summary>The device's signature file: the device key signs for itself.</summary>
    public static OnboardingSignature SignAsDevice(DeviceKey device, string chainId, string owner, DeviceMode mode, string maker)
    {
        ValidateFields(chainId, owner, mode, maker);
        var unsigned = new OnboardingSignature(OnboardingSigner.Device, chainId, device.PublicKey, device.Type, owner, mode, maker,
            device.PublicKey, device.Type, []);
        return unsigned with { Signature = device.Sign(unsigned.SignBytes()) };
    }

    /// <summary>The maker's signature over what the device signed; refuses a device file whose signature does not verify.</summary>
    public static OnboardingSignature SignAsMaker(DeviceKey maker, OnboardingSignature deviceFile)
    {
        if (deviceFile.Signer != OnboardingSigner.Device)
            throw new FleetException("the maker signs a device's onboarding signature file, not a maker's");
        if (!deviceFile.SignatureVerifies())
            throw new FleetException("the device's onboarding signature does not verify under its device key");
        var unsigned = deviceFile with { Signer = OnboardingSigner.Maker, SignerKey = maker.PublicKey, SignerKeyType = maker.Type, Signature = [] };
        return unsigned with { Signature = maker.Sign(unsigned.SignBytes()) };
    }

    /// <summary>
    /// The owner's step: the onboarding message from the device's and the maker's files. Both files must name the same
    /// chain, device, key type, owner (= <paramref name="ownerBech32"/>), mode and maker, and both signatures must verify.
    /// </summary>
    /// <exception cref="FleetException">A file is missing or malformed, the files disagree, or a signature does not verify (one line).</exception>
    public static MsgOnboardDevice BuildMessage(string ownerBech32, string deviceSignaturePath, string makerSignaturePath)
    {
        var device = Read(deviceSignaturePath);
        var maker = Read(makerSignaturePath);
        return BuildMessage(ownerBech32, device, maker, deviceSignaturePath, makerSignaturePath);
    }

    /// <summary>The one-machine shortcut: device and maker keys are both local; nothing is written.</summary>
    public static MsgOnboardDevice BuildMessage(string ownerBech32, DeviceKey device, DeviceKey maker, string chainId, DeviceMode mode, string makerName)
    {
        var deviceFile = SignAsDevice(device, chainId, ownerBech32, mode, makerName);
        return BuildMessage(ownerBech32, deviceFile, SignAsMaker(maker, deviceFile), "device signature", "maker signature");
    }

    public static MsgOnboardDevice BuildMessage(string ownerBech32, OnboardingSignature device, OnboardingSignature maker, string deviceSource, string makerSource)
    {
        if (device.Signer != OnboardingSigner.Device)
            throw new FleetException($"{deviceSource}: is the maker's signature file, expected the device's");
        if (maker.Signer != OnboardingSigner.Maker)
            throw new FleetException($"{makerSource}: is the device's signature file, expected the maker's");
        byte[] owner;
        try
        {
            owner = Bech32Address.Parse(ownerBech32);
        }
        catch (SdkError e)
        {
            throw new FleetException($"owner: {e.Message}");
        }
        void Same(bool equal, string field)
        {
            if (!equal) throw new FleetException($"{deviceSource} and {makerSource} disagree on {field}");
        }
        Same(device.ChainId == maker.ChainId, "chain_id");
        Same(device.DeviceKey.AsSpan().SequenceEqual(maker.DeviceKey), "device_key");
        Same(device.KeyType == maker.KeyType, "key_type");
        Same(Bech32Address.Parse(device.Owner).AsSpan().SequenceEqual(Bech32Address.Parse(maker.Owner)), "owner");
        Same(device.Mode == maker.Mode, "mode");
        Same(device.Maker == maker.Maker, "maker");
        if (!Bech32Address.Parse(device.Owner).AsSpan().SequenceEqual(owner))
            throw new FleetException($"{deviceSource}: signed for owner {device.Owner}, not {ownerBech32}");
        if (!device.SignatureVerifies())
            throw new FleetException($"{deviceSource}: the device signature does not verify under the device key");
        if (!maker.SignatureVerifies())
            throw new FleetException($"{makerSource}: the maker signature does not verify under its signer_key");
        return new MsgOnboardDevice
        {
            Owner = ownerBech32,
            DeviceKey = ByteString.CopyFrom(device.DeviceKey),
            KeyType = KeyTypes.ToProto(device.KeyType),
            Mode = (Protos.Depin.Devices.V1.DeviceMode)(int)device.Mode,
            Maker = device.Maker,
            DeviceSignature = ByteString.CopyFrom(device.Signature),
            MakerSignature = ByteString.CopyFrom(maker.Signature),
        };
    }

    public static string ModeName(DeviceMode mode) => mode switch
    {
        DeviceMode.Full => "full",
        DeviceMode.DataOnly => "data-only",
        _ => "unspecified",
    };

    /// <exception cref="FleetException">Neither full nor data-only.</exception>
    public static DeviceMode ParseMode(string? text, string what = "mode") => text switch
    {
        "full" => DeviceMode.Full,
        "data-only" => DeviceMode.DataOnly,
        _ => throw new FleetException($"{what}: '{text}' is neither full nor data-only"),
    };

    public static string Format(OnboardingSignature s) => JsonFile.Write(new JsonObject
    {
        ["type"] = FileType,
        ["signer"] = s.Signer == OnboardingSigner.Device ? "device" : "maker",
        ["chain_id"] = s.ChainId,
        ["device_key"] = Convert.ToHexStringLower(s.DeviceKey),
        ["key_type"] = KeyTypes.Name(s.KeyType),
        ["owner"] = s.Owner,
        ["mode"] = ModeName(s.Mode),
        ["maker"] = s.Maker,
        ["signer_key"] = Convert.ToHexStringLower(s.SignerKey),
        ["signer_key_type"] = KeyTypes.Name(s.SignerKeyType),
        ["signature"] = Convert.ToHexStringLower(s.Signature),
    });

    /// <exception cref="FleetException">The file is missing, not JSON, not an onboarding signature file, or a field is malformed.</exception>
    public static OnboardingSignature Read(string path) => Parse(JsonFile.Load(path, FileType));

    public static OnboardingSignature Parse(string json, string source) => Parse(JsonFile.Parse(json, source, FileType));

    private static OnboardingSignature Parse(JsonFile f)
    {
        var signer = f.String("signer") switch
        {
            "device" => OnboardingSigner.Device,
            "maker" => OnboardingSigner.Maker,
            var other => throw new FleetException($"{f.Source}: signer '{other}' is neither device nor maker"),
        };
        var keyType = KeyTypes.Parse(f.String("key_type"), $"{f.Source}: key_type");
        var deviceKey = f.Hex("device_key");
        if (!DeviceSignatures.IsWellFormedKey(keyType, deviceKey))
            throw new FleetException($"{f.Source}: device_key of {deviceKey.Length} bytes is not a {KeyTypes.Name(keyType)} public key");
        var signerKeyType = KeyTypes.Parse(f.String("signer_key_type"), $"{f.Source}: signer_key_type");
        var signerKey = f.Hex("signer_key");
        if (!DeviceSignatures.IsWellFormedKey(signerKeyType, signerKey))
            throw new FleetException($"{f.Source}: signer_key of {signerKey.Length} bytes is not a {KeyTypes.Name(signerKeyType)} public key");
        if (signer == OnboardingSigner.Device && !signerKey.AsSpan().SequenceEqual(deviceKey))
            throw new FleetException($"{f.Source}: a device's file must be signed by the device key itself");
        var chainId = f.String("chain_id");
        var owner = f.String("owner");
        var mode = ParseMode(f.String("mode"), $"{f.Source}: mode");
        var maker = f.String("maker");
        var signature = f.Hex("signature", DeviceSignatures.SignatureLength);
        f.RejectUnknownFields();
        try
        {
            ValidateFields(chainId, owner, mode, maker);
        }
        catch (FleetException e)
        {
            throw new FleetException($"{f.Source}: {e.Message}");
        }
        return new OnboardingSignature(signer, chainId, deviceKey, keyType, owner, mode, maker, signerKey, signerKeyType, signature);
    }

    private static void ValidateFields(string chainId, string owner, DeviceMode mode, string maker)
    {
        if (chainId.Length is 0 or > 50)
            throw new FleetException($"chain_id '{chainId}' must be 1–50 characters");
        try
        {
            Bech32Address.Parse(owner);
        }
        catch (SdkError e)
        {
            throw new FleetException($"owner '{owner}' is not an account address ({e.Message})");
        }
        if (mode is not (DeviceMode.Full or DeviceMode.DataOnly))
            throw new FleetException($"mode must be full or data-only");
        try
        {
            DevicesMsgServer.ValidateMakerName(maker);
        }
        catch (SdkError e)
        {
            throw new FleetException($"maker: {e.Message}");
        }
    }
}
