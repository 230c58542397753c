using System.Numerics;
using System.Text.RegularExpressions;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;

namespace DePinChain.Sdk;

/// <summary>One token amount. Amounts are non-negative integers below 2^256, like the SDK's math.Int.</summary>
public readonly record struct Coin(string Denom, BigInteger Amount)
{
    public override string ToString() => Amount.ToString() + Denom;

    public ProtoCoin ToProto() => new() { Denom = Denom, Amount = Amount.ToString() };
}

/// <summary>
/// A sorted set of positive coins with distinct denoms (the SDK's sdk.Coins invariant). Parsing checks every
/// rule and throws <see cref="SdkError"/> with code 10 (invalid coins) naming the offending coin.
/// </summary>
public sealed partial class Coins : IEquatable<Coins>
{
    public static readonly BigInteger MaxAmount = (BigInteger.One << 256) - 1;

    public static readonly Coins Empty = new([]);

    private readonly Coin[] _coins;

    // Coins are immutable and a fee or amount is printed into several events per tx.
    private string? _text;

    private Coins(Coin[] sortedPositive) => _coins = sortedPositive;

    public IReadOnlyList<Coin> Items => _coins;

    /// <summary>The coins as a span: a loop over it allocates no enumerator (hot paths loop over every tx's amounts).</summary>
    public ReadOnlySpan<Coin> Span => _coins;

    public bool IsEmpty => _coins.Length == 0;

    // \z, not $: .NET's $ also matches before a final '\n', Go's (the SDK's regexp) does not, so "udpin\n" would be a
    // denom here and not on any other Cosmos chain.
    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex DenomRegex();

    public static bool IsValidDenom(string denom) => DenomRegex().IsMatch(denom);

    public static void ValidateDenom(string denom)
    {
        if (!IsValidDenom(denom)) throw SdkErrors.InvalidCoins($"invalid denom: \"{denom}\"");
    }

    /// <summary>Parses a cosmos Int string: decimal digits only, at most 2^256-1.</summary>
    public static BigInteger ParseAmount(string amount, string denom)
    {
        if (string.IsNullOrEmpty(amount)) throw SdkErrors.InvalidCoins($"empty amount for denom {denom}");
        if (amount[0] == '-') throw SdkErrors.InvalidCoins($"negative coin amount: {amount}{denom}");
        if (amount.Length > 80) throw SdkErrors.InvalidCoins($"amount of {denom} exceeds 256 bits");
        foreach (char c in amount)
            if (c is < '0' or > '9') throw SdkErrors.InvalidCoins($"invalid amount \"{amount}\" for denom {denom}");
        // Up to 18 digits fit a ulong: the same value, without BigInteger's parser.
        if (amount.Length <= 18)
        {
            ulong small = 0;
            foreach (char c in amount) small = small * 10 + (ulong)(c - '0');
            return small;
        }
        var value = BigInteger.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
        if (value > MaxAmount) throw SdkErrors.InvalidCoins($"amount of {denom} exceeds 256 bits");
        return value;
    }

    /// <summary>Validates proto coins as sent by a client: each denom valid, amounts positive, sorted, no duplicates.</summary>
    public static Coins FromProto(IEnumerable<ProtoCoin> coins)
    {
        // A list (a parsed tx's repeated field) is read by index into an exact array: no enumerator, no copy.
        if (coins is IReadOnlyList<ProtoCoin> indexed)
        {
            var items = indexed.Count == 0 ? [] : new Coin[indexed.Count];
            for (int i = 0; i < items.Length; i++) items[i] = Validated(indexed[i], i == 0 ? null : items[i - 1].Denom);
            return new Coins(items);
        }
        var list = coins is ICollection<ProtoCoin> sized ? new List<Coin>(sized.Count) : new List<Coin>();
        foreach (var c in coins) list.Add(Validated(c, list.Count == 0 ? null : list[^1].Denom));
        return new Coins([.. list]);
    }

    private static Coin Validated(ProtoCoin c, string? previousDenom)
    {
        ValidateDenom(c.Denom);
        var amount = ParseAmount(c.Amount, c.Denom);
        if (amount.IsZero) throw SdkErrors.InvalidCoins($"coin {c.Amount}{c.Denom} amount is not positive");
        if (previousDenom is not null)
        {
            int order = string.CompareOrdinal(previousDenom, c.Denom);
            if (order == 0) throw SdkErrors.InvalidCoins($"duplicate denomination {c.Denom}");
            if (order > 0) throw SdkErrors.InvalidCoins($"denomination {c.Denom} is not sorted");
        }
        return new Coin(c.Denom, amount);
    }

    /// <summary>Builds coins from any list: zero amounts dropped, sorted, duplicates merged.</summary>
    public static Coins Of(params Coin[] coins)
    {
        var sums = new SortedDictionary<string, BigInteger>(StringComparer.Ordinal);
        foreach (var c in coins)
        {
            ValidateDenom(c.Denom);
            if (c.Amount.Sign < 0) throw SdkErrors.InvalidCoins($"negative coin amount: {c}");
            sums[c.Denom] = sums.GetValueOrDefault(c.Denom) + c.Amount;
        }
        return FromSums(sums);
    }

    private static Coins FromSums(SortedDictionary<string, BigInteger> sums)
    {
        var list = new List<Coin>();
        foreach (var (denom, amount) in sums)
        {
            if (amount.IsZero) continue;
            if (amount > MaxAmount) throw SdkErrors.InvalidCoins($"amount of {denom} exceeds 256 bits");
            list.Add(new Coin(denom, amount));
        }
        return new Coins([.. list]);
    }

    /// <summary>
    /// Parses the text form users type, "1000udpin,5stake": each part an integer amount followed by a denom, every
    /// amount positive, each denom once; the result is sorted. Blank text is no coins.
    /// </summary>
    /// <exception cref="FormatException">The text is not such a list (the message names the bad part); user input, not a tx.</exception>
    public static Coins Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Empty;
        var sums = new SortedDictionary<string, BigInteger>(StringComparer.Ordinal);
        foreach (string raw in text.Split(','))
        {
            string part = raw.Trim();
            int split = 0;
            while (split < part.Length && part[split] is >= '0' and <= '9') split++;
            string denom = part[split..];
            if (split == 0 || !IsValidDenom(denom))
                throw new FormatException($"invalid coin '{part}': expected an amount followed by a denom, like 1000udpin");
            var amount = BigInteger.Parse(part.AsSpan(0, split), System.Globalization.CultureInfo.InvariantCulture);
            if (amount.IsZero) throw new FormatException($"amount of {denom} must be positive");
            if (amount > MaxAmount) throw new FormatException($"amount of {denom} exceeds 2^256-1");
            if (!sums.TryAdd(denom, amount)) throw new FormatException($"duplicate denom {denom}");
        }
        return FromSums(sums);
    }

    public BigInteger AmountOf(string denom)
    {
        foreach (var c in _coins) if (c.Denom == denom) return c.Amount;
        return BigInteger.Zero;
    }

    /// <exception cref="SdkError">The sum of a denom exceeds 2^256-1 (code 10).</exception>
    public Coins Add(Coins other)
    {
        var sums = new SortedDictionary<string, BigInteger>(StringComparer.Ordinal);
        foreach (var c in _coins) sums[c.Denom] = c.Amount;
        foreach (var c in other._coins) sums[c.Denom] = sums.GetValueOrDefault(c.Denom) + c.Amount;
        return FromSums(sums);
    }

    /// <summary>True when this holds at least <paramref name="other"/> of every denom.</summary>
    public bool IsAllGreaterOrEqual(Coins other)
    {
        foreach (var c in other._coins) if (AmountOf(c.Denom) < c.Amount) return false;
        return true;
    }

    public IEnumerable<ProtoCoin> ToProto() => _coins.Select(c => c.ToProto());

    /// <summary>The SDK's text form: "10udpin,5uother" ("" when empty).</summary>
    public override string ToString() => _text ??= _coins.Length == 1 ? _coins[0].ToString() : string.Join(",", _coins.Select(c => c.ToString()));

    public bool Equals(Coins? other) => other is not null && _coins.AsSpan().SequenceEqual(other._coins);

    public override bool Equals(object? obj) => Equals(obj as Coins);

    public override int GetHashCode() => _coins.Length == 0 ? 0 : HashCode.Combine(_coins[0], _coins.Length);
}
