using DePinChain.Crypto;

namespace DePinChain.Sdk;

/// <summary>
/// The chain's other bech32 address kinds, as the Cosmos SDK names them: a validator's operator address
/// (<c>depinvaloper1…</c>, the operator's account bytes) and its consensus address (<c>depinvalcons1…</c>, the first 20
/// bytes of sha256 of the ed25519 consensus key, as CometBFT's). Parse failures are SDK errors (code 7).
/// </summary>
public static class ValidatorAddress
{
    public const string OperatorPrefix = Bech32Address.AccountPrefix + "valoper";
    public const string ConsensusPrefix = Bech32Address.AccountPrefix + "valcons";

    public static string ToOperatorBech32(ReadOnlySpan<byte> address) => CosmosAddress.ToBech32(address, OperatorPrefix);

    public static string ToConsensusBech32(ReadOnlySpan<byte> address) => CosmosAddress.ToBech32(address, ConsensusPrefix);

    /// <exception cref="SdkError">Not a <c>depinvaloper1…</c> address (code 7).</exception>
    public static byte[] ParseOperator(string? text) => Parse(text, OperatorPrefix);

    /// <exception cref="SdkError">Not a <c>depinvalcons1…</c> address (code 7).</exception>
    public static byte[] ParseConsensus(string? text) => Parse(text, ConsensusPrefix);

    /// <summary>
    /// A message signer: an account address, or an operator address (the SDK's staking and slashing messages name
    /// their signer by the operator address; it signs with the account key of the same bytes).
    /// </summary>
    /// <exception cref="SdkError">Neither (code 7).</exception>
    public static byte[] ParseSigner(string? text)
        => text is not null && text.StartsWith(OperatorPrefix + "1", StringComparison.Ordinal) ? ParseOperator(text) : Bech32Address.Parse(text);

    private static byte[] Parse(string? text, string prefix)
    {
        if (string.IsNullOrEmpty(text)) throw SdkErrors.InvalidAddress("empty address string is not allowed");
        try
        {
            return CosmosAddress.Parse(text, prefix);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw SdkErrors.InvalidAddress($"invalid {prefix} address {text}: {e.Message}");
        }
    }
}
