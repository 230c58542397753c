using System.Numerics;
using DePinChain.Sdk;

namespace DePinChain.App;

/// <summary>Node-local settings (app.toml). None of them may change what a block does to state, except through CheckTx.</summary>
public sealed record AppOptions
{
    /// <summary>Minimum gas prices a tx must pay to enter this node's mempool (CheckTx only), e.g. "0.025udpin".</summary>
    public IReadOnlyList<GasPrice> MinGasPrices { get; init; } = [];

    /// <summary>Blocks CometBFT must keep (Commit's retain_height); 0 keeps everything.</summary>
    public long MinRetainBlocks { get; init; }

    /// <summary>Largest tx the app accepts, in bytes (code 21 above it; ProcessProposal rejects blocks containing one).</summary>
    public int MaxTxBytes { get; init; } = 1024 * 1024;

    /// <summary>Most messages in one tx.</summary>
    public int MaxMsgsPerTx { get; init; } = 64;

    /// <summary>
    /// Decode a block's txs and verify their signatures (tx signers' and those messages declare) on the other cores,
    /// ahead of execution in tx order, while execution runs (results are identical either way).
    /// </summary>
    public bool ParallelSignatureVerification { get; init; } = true;

    /// <summary>The event attributes CometBFT indexes (app.toml <c>index-events</c>); default: all.</summary>
    public EventIndexing IndexEvents { get; init; } = EventIndexing.All;

    public static IReadOnlyList<GasPrice> ParseGasPrices(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        return text.Split(',', StringSplitOptions.TrimEntries).Select(GasPrice.Parse).ToArray();
    }
}

/// <summary>
/// A price per unit of gas in one denom, as an exact decimal with 18 fractional digits (the SDK's LegacyDec),
/// so the fee check is integer math.
/// </summary>
public readonly record struct GasPrice(string Denom, BigInteger Atto)
{
    public static readonly BigInteger Scale = BigInteger.Pow(10, 18);

    /// <summary>Parses "0.025udpin" / "1udpin".</summary>
    /// <exception cref="FormatException">Not a decimal amount followed by a valid denom.</exception>
    public static GasPrice Parse(string text)
    {
        int i = 0;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
        string number = text[..i], denom = text[i..];
        if (number.Length == 0 || !Coins.IsValidDenom(denom)) throw new FormatException($"invalid gas price \"{text}\": want an amount and a denom like 0.025udpin");
        var parts = number.Split('.');
        if (parts.Length > 2 || parts[0].Length == 0 || (parts.Length == 2 && parts[1].Length == 0))
            throw new FormatException($"invalid gas price amount \"{number}\": want a decimal number like 0.025");
        if (parts.Length == 2 && parts[1].Length > 18)
            throw new FormatException($"invalid gas price amount \"{number}\": at most 18 decimal places");
        var whole = BigInteger.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        var fraction = parts.Length == 2 ? BigInteger.Parse(parts[1].PadRight(18, '0'), System.Globalization.CultureInfo.InvariantCulture) : BigInteger.Zero;
        return new GasPrice(denom, whole * Scale + fraction);
    }

    /// <summary>ceil(price × gas): the smallest fee in this denom that pays for <paramref name="gas"/>.</summary>
    public BigInteger RequiredFee(ulong gas) => (Atto * gas + Scale - 1) / Scale;
}
