using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace DePinChain.Cli.Genesis;

/// <summary>A coin amount the user typed, or a genesis value, that is not valid.</summary>
public sealed class CoinException(string message) : Exception(message);

public readonly record struct Coin(string Denom, BigInteger Amount)
{
    public override string ToString() => Amount.ToString(CultureInfo.InvariantCulture) + Denom;
}

/// <summary>The SDK's coin text form: "1000udpin,5stake" (sorted by denom, positive amounts, each denom once).</summary>
public static partial class CoinList
{
    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$")]
    private static partial Regex DenomPattern();

    [GeneratedRegex("^([0-9]+)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$")]
    private static partial Regex CoinPattern();

    private static readonly BigInteger MaxAmount = BigInteger.Pow(2, 256) - 1;

    public static bool IsValidDenom(string denom) => DenomPattern().IsMatch(denom);

    /// <summary>Parses "1000udpin,5stake"; an empty string is no coins.</summary>
    public static IReadOnlyList<Coin> Parse(string text)
    {
        var coins = new List<Coin>();
        if (string.IsNullOrWhiteSpace(text))
            return coins;
        foreach (string part in text.Split(','))
        {
            string item = part.Trim();
            Match match = CoinPattern().Match(item);
            if (!match.Success)
                throw new CoinException($"invalid coin '{item}': expected an amount followed by a denom, like 1000udpin");
            coins.Add(Create(match.Groups[2].Value, match.Groups[1].Value));
        }
        return Normalize(coins);
    }

    public static Coin Create(string denom, string amount)
    {
        if (!IsValidDenom(denom))
            throw new CoinException($"invalid denom '{denom}'");
        if (amount.Length == 0 || !amount.All(char.IsAsciiDigit))
            throw new CoinException($"invalid amount '{amount}' for {denom}: digits only");
        var value = BigInteger.Parse(amount, CultureInfo.InvariantCulture);
        if (value.IsZero)
            throw new CoinException($"amount of {denom} must be positive");
        if (value > MaxAmount)
            throw new CoinException($"amount of {denom} exceeds 2^256-1");
        return new Coin(denom, value);
    }

    public static IReadOnlyList<Coin> Normalize(IEnumerable<Coin> coins)
    {
        var sorted = coins.OrderBy(c => c.Denom, StringComparer.Ordinal).ToList();
        for (int i = 1; i < sorted.Count; i++)
            if (sorted[i].Denom == sorted[i - 1].Denom)
                throw new CoinException($"duplicate denom {sorted[i].Denom}");
        return sorted;
    }

    /// <summary>Sums two coin lists denom by denom.</summary>
    public static IReadOnlyList<Coin> Add(IEnumerable<Coin> a, IEnumerable<Coin> b) =>
        a.Concat(b).GroupBy(c => c.Denom, StringComparer.Ordinal)
            .Select(g => new Coin(g.Key, g.Aggregate(BigInteger.Zero, (sum, c) => sum + c.Amount)))
            .OrderBy(c => c.Denom, StringComparer.Ordinal).ToList();

    public static string Format(IEnumerable<Coin> coins) => string.Join(',', coins.Select(c => c.ToString()));
}
