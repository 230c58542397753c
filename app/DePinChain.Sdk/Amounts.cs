using System.Globalization;
using System.Numerics;

namespace DePinChain.Sdk;

/// <summary>
/// Canonical decimal amounts as state and genesis carry them ("0", "42": no sign, no leading zeros, below 2^256),
/// so that export(import(g)) reproduces g byte for byte (the mint, data-credits and rewards modules keep amounts so).
/// </summary>
public static class Amounts
{
    /// <exception cref="FormatException">Not a canonical non-negative integer; the message names <paramref name="field"/>.</exception>
    public static BigInteger Parse(string? text, string field)
    {
        if (string.IsNullOrEmpty(text)) throw new FormatException($"{field} is empty");
        if (text.Length > 78) throw new FormatException($"{field} exceeds 256 bits");
        foreach (char c in text)
            if (c is < '0' or > '9') throw new FormatException($"{field} \"{text}\" is not a non-negative integer");
        if (text.Length > 1 && text[0] == '0') throw new FormatException($"{field} \"{text}\" has leading zeros");
        var value = BigInteger.Parse(text, CultureInfo.InvariantCulture);
        if (value > Coins.MaxAmount) throw new FormatException($"{field} exceeds 256 bits");
        return value;
    }

    public static string Format(BigInteger value)
    {
        if (value.Sign < 0) throw new InvalidOperationException($"amount {value} is negative");
        return value.ToString(CultureInfo.InvariantCulture);
    }

    public static BigInteger Min(BigInteger a, BigInteger b) => a < b ? a : b;

    public static BigInteger Max(BigInteger a, BigInteger b) => a > b ? a : b;
}
