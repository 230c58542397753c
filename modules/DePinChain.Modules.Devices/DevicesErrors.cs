using DePinChain.Sdk;

namespace DePinChain.Modules.Devices;

/// <summary>Codes in codespace "devices". Never renumber.</summary>
public static class DevicesErrors
{
    public const string Codespace = "devices";

    /// <summary>Code 18 (the numbers below it were taken before the one authority rule).</summary>
    public const uint InvalidAuthorityCode = 18;

    /// <summary>Only <c>params.authority</c> may add and revoke makers (the kit's one rule and wording).</summary>
    public static readonly AuthorityRule Authority = new(Codespace, InvalidAuthorityCode);

    public static SdkError InvalidMaker(string m) => new(Codespace, 2, "invalid maker: " + m);
    public static SdkError MakerExists(string name) => new(Codespace, 3, $"maker {name} already exists");
    public static SdkError MakerNotFound(string name) => new(Codespace, 4, $"maker {name} not found");
    public static SdkError MakerRevoked(string name) => new(Codespace, 5, $"maker {name} is revoked and cannot onboard devices");
    public static SdkError InvalidDeviceKey(string m) => new(Codespace, 6, "invalid device key: " + m);
    public static SdkError DeviceExists() => new(Codespace, 7, "this device key is already onboarded (a key can be onboarded once)");
    public static SdkError DeviceNotFound() => new(Codespace, 8, "device not found");
    public static SdkError BadDeviceSignature() => new(Codespace, 9, "device signature does not verify over the onboarding sign bytes");
    public static SdkError BadMakerSignature() => new(Codespace, 10, "maker signature does not verify over the onboarding sign bytes");
    public static SdkError InvalidMode(string m) => new(Codespace, 11, "invalid mode: " + m);
    public static SdkError NotOwner() => new(Codespace, 12, "signer does not own this device");
    public static SdkError Decommissioned() => new(Codespace, 13, "device is decommissioned");
    public static SdkError InvalidLocation(string m) => new(Codespace, 14, "invalid location: " + m);
    public static SdkError BadNonce(ulong expected, ulong got) => new(Codespace, 15, $"location nonce must be {expected}, got {got}");
    public static SdkError AntennaOutOfBounds(string m) => new(Codespace, 16, "antenna gain or elevation out of bounds: " + m);
    public static SdkError RegionMismatch(string m) => new(Codespace, 17, "asserted region does not match the location: " + m);
}
