using System.Text;
using DePinChain.Crypto;
using DePinChain.Sdk;

namespace DePinChain.Modules.Transfer;

/// <summary>
/// Where a token came from: the <c>port/channel</c> hops it crossed (<see cref="Path"/>, most recent first) and its
/// denomination on the chain that issued it (<see cref="BaseDenom"/>, which may itself contain '/'). The rules are
/// ibc-go v8's (types/trace.go); the voucher denom <c>ibc/{UPPERHEX(sha256(full path))}</c> is what bank holds.
/// </summary>
public readonly record struct DenomTrace(string Path, string BaseDenom)
{
    /// <summary>
    /// Splits a full denom path into trace and base as ibc-go v8 does: leading <c>{port}/{channel}</c> pairs are the
    /// trace for as long as the second element of the pair is a valid <c>channel-N</c> (and there are more than two
    /// elements); everything from the first pair that is not is the base denom ("transfer/channel-0/gamm/pool/1" →
    /// path "transfer/channel-0", base "gamm/pool/1").
    /// </summary>
    public static DenomTrace Parse(string rawDenom)
    {
        var items = rawDenom.Split('/');
        if (items.Length == 1) return new DenomTrace("", rawDenom);
        var (path, baseDenom) = SplitPathAndBase(items);
        return new DenomTrace(path, baseDenom);
    }

    private static (string Path, string BaseDenom) SplitPathAndBase(string[] items)
    {
        int length = items.Length, pathItems = 0;
        for (int i = 0; i < length; i += 2)
        {
            if (i < length - 1 && length > 2 && Identifiers.IsValidChannelId(items[i + 1])) pathItems = i + 2;
            else break;
        }
        return (string.Join('/', items, 0, pathItems), string.Join('/', items, pathItems, length - pathItems));
    }

    public bool IsNative => Path.Length == 0;

    /// <summary><c>{path}/{base}</c>, or the base alone for a native denom.</summary>
    public string FullPath => Path.Length == 0 ? BaseDenom : Path + "/" + BaseDenom;

    public byte[] Hash() => Hashes.Sha256(Encoding.UTF8.GetBytes(FullPath));

    /// <summary>The hash as ibc-go prints it (tmbytes.HexBytes: upper-case hex).</summary>
    public string HashHex() => Convert.ToHexString(Hash());

    /// <summary>The denom bank holds: <c>ibc/{HASH}</c> for a voucher, the base denom for a native token.</summary>
    public string IbcDenom() => Path.Length == 0 ? BaseDenom : DenomPrefixWithSlash + HashHex();

    private const string DenomPrefixWithSlash = TransferKeys.DenomPrefix + "/";

    /// <summary>ibc-go's DenomTrace.Validate: a non-blank base, and a path of valid port/channel pairs when present.</summary>
    /// <exception cref="SdkError">The trace is malformed.</exception>
    public void Validate()
    {
        if (Path.Length == 0 && BaseDenom.Length != 0) return;
        if (string.IsNullOrWhiteSpace(BaseDenom)) throw TransferErrors.InvalidDenomForTransfer("base denomination cannot be blank");
        ValidateTraceIdentifiers(Path.Split('/'));
    }

    /// <summary>
    /// ibc-go's ValidatePrefixedDenom, the check on a packet's denom: either a non-blank denom without '/', or a
    /// non-blank last element and, when the split finds a trace, valid port/channel pairs (a base denom with slashes
    /// and no trace is accepted as it is).
    /// </summary>
    /// <exception cref="SdkError">The denom is not a valid prefixed denom.</exception>
    public static void ValidatePrefixedDenom(string denom)
    {
        var items = denom.Split('/');
        if (items.Length == 1 && !string.IsNullOrWhiteSpace(denom)) return;
        if (string.IsNullOrWhiteSpace(items[^1])) throw TransferErrors.InvalidDenomForTransfer("base denomination cannot be blank");
        var (path, _) = SplitPathAndBase(items);
        if (path.Length == 0) return;
        ValidateTraceIdentifiers(path.Split('/'));
    }

    private static void ValidateTraceIdentifiers(string[] identifiers)
    {
        if (identifiers.Length == 0 || identifiers.Length % 2 != 0)
            throw TransferErrors.InvalidDenomForTransfer(
                $"trace info must come in pairs of port and channel identifiers '{{portID}}/{{channelID}}', got the identifiers: [{string.Join(' ', identifiers)}]");
        for (int i = 0; i < identifiers.Length; i += 2)
        {
            try { Identifiers.ValidatePortId(identifiers[i]); }
            catch (SdkError e) { throw e.Wrap($"invalid port ID at position {i}"); }
            try { Identifiers.ValidateChannelId(identifiers[i + 1]); }
            catch (SdkError e) { throw e.Wrap($"invalid channel ID at position {i}"); }
        }
    }

    /// <summary>
    /// ibc-go's ValidateIBCDenom, the check on MsgTransfer's token denom: an SDK denom, and when it starts with
    /// <c>ibc/</c> a 32-byte hash in hex (either case) after it.
    /// </summary>
    /// <exception cref="SdkError">The denom is not one a transfer can send.</exception>
    public static void ValidateIbcDenom(string denom)
    {
        if (!Coins.IsValidDenom(denom)) throw SdkErrors.InvalidCoins($"invalid denom: \"{denom}\"");
        if (denom == TransferKeys.DenomPrefix)
            throw TransferErrors.InvalidDenomForTransfer($"denomination should be prefixed with the format 'ibc/{{hash(trace + \"/\" + {denom})}}'");
        if (!denom.StartsWith(DenomPrefixWithSlash, StringComparison.Ordinal)) return;
        var hex = denom[DenomPrefixWithSlash.Length..];
        if (string.IsNullOrWhiteSpace(hex))
            throw TransferErrors.InvalidDenomForTransfer($"denomination should be prefixed with the format 'ibc/{{hash(trace + \"/\" + {denom})}}'");
        if (ParseHexHash(hex) is null) throw TransferErrors.InvalidDenomForTransfer($"invalid denom trace hash {hex}");
    }

    /// <summary>
    /// The hash of an <c>ibc/{hex}</c> denom as ibc-go's ParseHexHash reads it: hex of either case that is empty or
    /// 32 bytes; null when it is not.
    /// </summary>
    public static byte[]? ParseHexHash(string hex)
    {
        if (hex.Length % 2 != 0) return null;
        foreach (char c in hex)
            if (!char.IsAsciiHexDigit(c)) return null;
        var bytes = Convert.FromHexString(hex);
        return bytes.Length is 0 or 32 ? bytes : null;
    }

    /// <summary><c>{port}/{channel}/</c>: what the receiving chain puts in front of a denom it did not issue.</summary>
    public static string DenomPrefix(string portId, string channelId) => portId + "/" + channelId + "/";

    /// <summary>
    /// True when the token being sent is not a voucher that came in over this very port and channel, so this chain
    /// escrows it (a native token, or a voucher from elsewhere); false means it goes home and is burned here.
    /// </summary>
    public static bool SenderChainIsSource(string sourcePort, string sourceChannel, string fullDenomPath)
        => !ReceiverChainIsSource(sourcePort, sourceChannel, fullDenomPath);

    /// <summary>
    /// True when the denom in a packet carries the sender's <c>{port}/{channel}/</c> prefix: the token was first sent
    /// from the receiving chain, so the receiver releases it from escrow instead of minting a voucher.
    /// </summary>
    public static bool ReceiverChainIsSource(string sourcePort, string sourceChannel, string denom)
        => denom.StartsWith(DenomPrefix(sourcePort, sourceChannel), StringComparison.Ordinal);
}
