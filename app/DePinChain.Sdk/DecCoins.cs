using System.Numerics;
using ProtoDecCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.DecCoin;

namespace DePinChain.Sdk;

/// <summary>One decimal token amount (the SDK's sdk.DecCoin): a denom and a <see cref="LegacyDec"/>.</summary>
public readonly record struct DecCoin(string Denom, LegacyDec Amount)
{
    /// <summary>The SDK's text: "1.500000000000000000udpin".</summary>
    public override string ToString() => Amount.ToString() + Denom;

    /// <summary>The proto form: the amount as LegacyDec wire digits (the scaled integer), as the SDK's gogoproto Dec.</summary>
    public ProtoDecCoin ToProto() => new() { Denom = Denom, Amount = Amount.ToWire() };
}

/// <summary>
/// A set of decimal coins sorted by denom, at most one per denom, no zero amounts (the SDK's sdk.DecCoins, with its
/// rounding: MulDec rounds half-even, the *Truncate forms cut). Amounts are positive in every stored value; a
/// <see cref="SafeSub"/> may produce negative ones, which <see cref="IsAnyNegative"/> reports. Immutable.
/// </summary>
public sealed class DecCoins : IEquatable<DecCoins>
{
    public static readonly DecCoins Empty = new([]);

    private readonly DecCoin[] _coins;

    private DecCoins(DecCoin[] sortedNonZero) => _coins = sortedNonZero;

    public IReadOnlyList<DecCoin> Items => _coins;

    public int Count => _coins.Length;

    /// <summary>True when every amount is zero (no coins), as the SDK's IsZero.</summary>
    public bool IsZero => _coins.Length == 0;

    public bool IsAnyNegative
    {
        get
        {
            foreach (var c in _coins) if (c.Amount.IsNegative) return true;
            return false;
        }
    }

    /// <summary>Builds from any list: zero amounts dropped, sorted by denom (ordinal), duplicates merged; negatives refused.</summary>
    /// <exception cref="SdkError">A bad denom or a negative amount (code 10).</exception>
    public static DecCoins Of(params DecCoin[] coins)
    {
        foreach (var c in coins)
        {
            Coins.ValidateDenom(c.Denom);
            if (c.Amount.IsNegative) throw SdkErrors.InvalidCoins($"negative decimal coin amount: {c}");
        }
        return Merge(coins, []);
    }

    /// <summary>The SDK's NewDecCoinsFromCoins: each integer amount as a decimal.</summary>
    public static DecCoins FromCoins(Coins coins)
    {
        var items = new DecCoin[coins.Items.Count];
        for (int i = 0; i < items.Length; i++) items[i] = new DecCoin(coins.Items[i].Denom, LegacyDec.FromInt(coins.Items[i].Amount));
        return new DecCoins(items);
    }

    /// <summary>Reads proto coins (amounts in wire digits): each denom valid, amounts positive, sorted, no duplicates.</summary>
    /// <exception cref="SdkError">Any rule broken (code 10).</exception>
    public static DecCoins FromProto(IEnumerable<ProtoDecCoin> coins)
    {
        var list = new List<DecCoin>();
        foreach (var c in coins)
        {
            Coins.ValidateDenom(c.Denom);
            LegacyDec amount;
            try
            {
                amount = LegacyDec.FromWire(c.Amount);
            }
            catch (FormatException e)
            {
                throw SdkErrors.InvalidCoins($"invalid decimal amount \"{c.Amount}\" for denom {c.Denom}: {e.Message}");
            }
            if (!amount.IsPositive) throw SdkErrors.InvalidCoins($"decimal coin {amount}{c.Denom} amount is not positive");
            if (list.Count > 0)
            {
                int order = string.CompareOrdinal(list[^1].Denom, c.Denom);
                if (order == 0) throw SdkErrors.InvalidCoins($"duplicate denomination {c.Denom}");
                if (order > 0) throw SdkErrors.InvalidCoins($"denomination {c.Denom} is not sorted");
            }
            list.Add(new DecCoin(c.Denom, amount));
        }
        return new DecCoins([.. list]);
    }

    public IEnumerable<ProtoDecCoin> ToProto() => _coins.Select(c => c.ToProto());

    public LegacyDec AmountOf(string denom)
    {
        foreach (var c in _coins) if (c.Denom == denom) return c.Amount;
        return LegacyDec.Zero;
    }

    public DecCoins Add(DecCoins other) => other.IsZero ? this : IsZero ? other : Merge(_coins, other._coins);

    /// <summary>The SDK's Sub: the difference, which must not go negative.</summary>
    /// <exception cref="InvalidOperationException">Some amount would be negative (the SDK panics).</exception>
    public DecCoins Sub(DecCoins other)
    {
        var (diff, hasNegative) = SafeSub(other);
        if (hasNegative) throw new InvalidOperationException($"negative decimal coin amount: {this} - {other}");
        return diff;
    }

    /// <summary>The difference, and whether some amount of it is negative.</summary>
    public (DecCoins Difference, bool HasNegative) SafeSub(DecCoins other)
    {
        if (other.IsZero) return (this, IsAnyNegative);
        var negated = new DecCoin[other._coins.Length];
        for (int i = 0; i < negated.Length; i++) negated[i] = other._coins[i] with { Amount = other._coins[i].Amount.Neg() };
        var diff = Merge(_coins, negated);
        return (diff, diff.IsAnyNegative);
    }

    /// <summary>Each amount times <paramref name="d"/>, rounded half-even; zeros dropped.</summary>
    public DecCoins MulDec(LegacyDec d) => Map(a => a.Mul(d));

    /// <summary>Each amount times <paramref name="d"/>, truncated; zeros dropped.</summary>
    public DecCoins MulDecTruncate(LegacyDec d) => Map(a => a.MulTruncate(d));

    /// <summary>Each amount divided by <paramref name="d"/>, truncated; zeros dropped.</summary>
    /// <exception cref="DivideByZeroException"><paramref name="d"/> is zero (the SDK panics).</exception>
    public DecCoins QuoDecTruncate(LegacyDec d)
    {
        if (d.IsZero) throw new DivideByZeroException("cannot divide decimal coins by zero");
        return Map(a => a.QuoTruncate(d));
    }

    /// <summary>Splits into whole coins and the decimal change (the SDK's TruncateDecimal).</summary>
    public (Coins Truncated, DecCoins Change) TruncateDecimal()
    {
        var whole = new List<Coin>(_coins.Length);
        var change = new List<DecCoin>();
        foreach (var c in _coins)
        {
            BigInteger truncated = c.Amount.TruncateInt();
            var rest = c.Amount.Sub(LegacyDec.FromInt(truncated));
            if (!truncated.IsZero) whole.Add(new Coin(c.Denom, truncated));
            if (!rest.IsZero) change.Add(new DecCoin(c.Denom, rest));
        }
        return (Coins.Of([.. whole]), new DecCoins([.. change]));
    }

    /// <summary>Per denom of this set, the smaller of the two amounts (zeros dropped), as the SDK's Intersect.</summary>
    public DecCoins Intersect(DecCoins other)
    {
        var result = new List<DecCoin>(_coins.Length);
        foreach (var c in _coins)
        {
            var min = LegacyDec.Min(c.Amount, other.AmountOf(c.Denom));
            if (!min.IsZero) result.Add(c with { Amount = min });
        }
        return new DecCoins([.. result]);
    }

    private DecCoins Map(Func<LegacyDec, LegacyDec> f)
    {
        var result = new List<DecCoin>(_coins.Length);
        foreach (var c in _coins)
        {
            var amount = f(c.Amount);
            if (!amount.IsZero) result.Add(c with { Amount = amount });
        }
        return new DecCoins([.. result]);
    }

    /// <summary>Adds two lists into a sorted set without zeros (each list may be unsorted and hold duplicates).</summary>
    private static DecCoins Merge(DecCoin[] a, DecCoin[] b)
    {
        var sums = new SortedDictionary<string, LegacyDec>(StringComparer.Ordinal);
        foreach (var c in a) sums[c.Denom] = sums.GetValueOrDefault(c.Denom).Add(c.Amount);
        foreach (var c in b) sums[c.Denom] = sums.GetValueOrDefault(c.Denom).Add(c.Amount);
        var list = new List<DecCoin>(sums.Count);
        foreach (var (denom, amount) in sums)
            if (!amount.IsZero) list.Add(new DecCoin(denom, amount));
        return new DecCoins([.. list]);
    }

    /// <summary>The SDK's text: coins joined by ",", "" when empty.</summary>
    public override string ToString() => string.Join(",", _coins.Select(c => c.ToString()));

    public bool Equals(DecCoins? other) => other is not null && _coins.AsSpan().SequenceEqual(other._coins);

    public override bool Equals(object? obj) => Equals(obj as DecCoins);

    public override int GetHashCode() => _coins.Length == 0 ? 0 : HashCode.Combine(_coins[0], _coins.Length);
}
