namespace DePinChain.Sdk;

/// <summary>
/// Account addresses: 20 bytes, shown in bech32 with the chain's prefix. Parsing failures are code 7 (invalid address).
/// </summary>
public static class Bech32Address
{
    public const string AccountPrefix = "depin";

    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    public static string ToBech32(ReadOnlySpan<byte> address)
    {
        var data = ConvertBits(address, 8, 5, pad: true)!;
        var checksum = CreateChecksum(AccountPrefix, data);
        var chars = new char[AccountPrefix.Length + 1 + data.Count + 6];
        AccountPrefix.CopyTo(chars);
        chars[AccountPrefix.Length] = '1';
        int i = AccountPrefix.Length + 1;
        foreach (var d in data) chars[i++] = Charset[d];
        foreach (var d in checksum) chars[i++] = Charset[d];
        return new string(chars);
    }

    /// <exception cref="SdkError">Not a bech32 string with our prefix and a 20-byte (or 32-byte module) payload.</exception>
    public static byte[] Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) throw SdkErrors.InvalidAddress("empty address string is not allowed");
        if (text.Length > 90) throw SdkErrors.InvalidAddress($"address too long: {text.Length} characters");
        string lower = text.ToLowerInvariant();
        if (lower != text && text.ToUpperInvariant() != text) throw SdkErrors.InvalidAddress($"mixed-case address {text}");
        int sep = lower.LastIndexOf('1');
        if (sep < 1 || sep + 7 > lower.Length) throw SdkErrors.InvalidAddress($"malformed bech32 address {text}");
        string hrp = lower[..sep];
        if (hrp != AccountPrefix) throw SdkErrors.InvalidAddress($"invalid Bech32 prefix; expected {AccountPrefix}, got {hrp}");
        var values = new List<byte>(lower.Length - sep - 1);
        for (int i = sep + 1; i < lower.Length; i++)
        {
            int v = Charset.IndexOf(lower[i]);
            if (v < 0) throw SdkErrors.InvalidAddress($"invalid character '{lower[i]}' in address {text}");
            values.Add((byte)v);
        }
        if (Polymod(ExpandHrp(hrp).Concat(values)) != 1) throw SdkErrors.InvalidAddress($"invalid checksum in address {text}");
        var payload = ConvertBits(values.Take(values.Count - 6).ToArray(), 5, 8, pad: false)
            ?? throw SdkErrors.InvalidAddress($"invalid padding in address {text}");
        if (payload.Count is not (20 or 32)) throw SdkErrors.InvalidAddress($"address {text} has {payload.Count} bytes, want 20 or 32");
        return [.. payload];
    }

    private static uint Polymod(IEnumerable<byte> values)
    {
        ReadOnlySpan<uint> gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
        uint chk = 1;
        foreach (var v in values)
        {
            uint top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (int i = 0; i < 5; i++) if (((top >> i) & 1) != 0) chk ^= gen[i];
        }
        return chk;
    }

    private static IEnumerable<byte> ExpandHrp(string hrp)
        => hrp.Select(c => (byte)(c >> 5)).Append((byte)0).Concat(hrp.Select(c => (byte)(c & 31)));

    private static byte[] CreateChecksum(string hrp, List<byte> data)
    {
        uint mod = Polymod(ExpandHrp(hrp).Concat(data).Concat(new byte[6])) ^ 1;
        var result = new byte[6];
        for (int i = 0; i < 6; i++) result[i] = (byte)((mod >> (5 * (5 - i))) & 31);
        return result;
    }

    private static List<byte>? ConvertBits(ReadOnlySpan<byte> data, int from, int to, bool pad)
    {
        int acc = 0, bits = 0, maxv = (1 << to) - 1;
        var result = new List<byte>(data.Length * from / to + 1);
        foreach (var value in data)
        {
            acc = (acc << from) | value;
            bits += from;
            while (bits >= to)
            {
                bits -= to;
                result.Add((byte)((acc >> bits) & maxv));
            }
        }
        if (pad)
        {
            if (bits > 0) result.Add((byte)((acc << (to - bits)) & maxv));
        }
        else if (bits >= from || ((acc << (to - bits)) & maxv) != 0) return null;
        return result;
    }
}
