namespace DePinChain.Crypto;

/// <summary>Cosmos SDK account addresses: 20-byte RIPEMD160(SHA256(pubkey)) for secp256k1, shown as bech32.</summary>
public static class CosmosAddress
{
    public const int Secp256k1AddressLength = 20;

    /// <summary>The Cosmos SDK caps addresses at 255 bytes (VerifyAddressFormat).</summary>
    public const int MaxAddressLength = 255;

    /// <summary>The Cosmos SDK decodes bech32 with a 1023-character limit rather than BIP-173's 90.</summary>
    public const int MaxBech32Length = 1023;

    public static byte[] FromSecp256k1PublicKey(ReadOnlySpan<byte> compressedPublicKey33)
    {
        if (compressedPublicKey33.Length != Secp256k1.CompressedPublicKeyLength || compressedPublicKey33[0] is not (0x02 or 0x03))
            throw new ArgumentException($"secp256k1 address needs a 33-byte compressed public key, got {compressedPublicKey33.Length} bytes", nameof(compressedPublicKey33));
        Span<byte> sha = stackalloc byte[Hashes.Sha256Length];
        Hashes.Sha256(compressedPublicKey33, sha);
        return Hashes.Ripemd160(sha);
    }

    public static string ToBech32(ReadOnlySpan<byte> address, string prefix)
    {
        RequireValidLength(address.Length, nameof(address));
        return Bech32.Encode(prefix, address);
    }

    public static byte[] Parse(string bech32, string expectedPrefix)
    {
        ArgumentNullException.ThrowIfNull(bech32);
        ArgumentNullException.ThrowIfNull(expectedPrefix);
        if (bech32.Length == 0)
            throw new FormatException("empty address");
        var (hrp, data) = Bech32.Decode(bech32, MaxBech32Length);
        if (hrp != expectedPrefix)
            throw new FormatException($"address '{bech32}' has prefix '{hrp}', expected '{expectedPrefix}'");
        if (data.Length == 0 || data.Length > MaxAddressLength)
            throw new FormatException($"address '{bech32}' has {data.Length} bytes, expected 1..{MaxAddressLength}");
        return data;
    }

    /// <summary>
    /// Why <paramref name="bech32"/> is not an address with <paramref name="expectedPrefix"/>, in a few words without the
    /// text itself ("bad checksum", "prefix 'cosmos', expected 'depin'", ...); null when it is one.
    /// </summary>
    public static string? Problem(string bech32, string expectedPrefix)
    {
        ArgumentNullException.ThrowIfNull(bech32);
        if (bech32.Length == 0)
            return "empty address";
        if (!Bech32.TryDecode(bech32, MaxBech32Length, out string hrp, out byte[] data, out string? reason))
            return reason;
        if (hrp != expectedPrefix)
            return $"prefix '{hrp}', expected '{expectedPrefix}'";
        if (data.Length == 0 || data.Length > MaxAddressLength)
            return $"{data.Length} bytes, expected 1..{MaxAddressLength}";
        return null;
    }

    public static bool TryParse(string bech32, string expectedPrefix, out byte[] address)
    {
        try
        {
            address = Parse(bech32, expectedPrefix);
            return true;
        }
        catch (FormatException)
        {
            address = [];
            return false;
        }
    }

    private static void RequireValidLength(int length, string parameterName)
    {
        if (length == 0 || length > MaxAddressLength)
            throw new ArgumentException($"address must be 1..{MaxAddressLength} bytes, got {length}", parameterName);
    }
}
