using DePinChain.Crypto;

namespace DePinChain.Sdk;

/// <summary>
/// Account addresses in bech32 with the chain's prefix, with parse failures as SDK errors (code 7, invalid address)
/// so handlers can let them propagate to the tx result.
/// </summary>
public static class Bech32Address
{
    public const string AccountPrefix = "depin";

    public static string ToBech32(ReadOnlySpan<byte> address) => CosmosAddress.ToBech32(address, AccountPrefix);

    /// <exception cref="SdkError">Not a bech32 string with our prefix (code 7).</exception>
    public static byte[] Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) throw SdkErrors.InvalidAddress("empty address string is not allowed");
        try
        {
            return CosmosAddress.Parse(text, AccountPrefix);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw SdkErrors.InvalidAddress($"invalid address {text}: {e.Message}");
        }
    }
}
