namespace DePinChain.Sdk;

/// <summary>
/// A rejection with a stable (codespace, code) pair, as the Cosmos SDK reports it in CheckTx/ExecTxResult/Query.
/// Thrown by handlers; the app turns it into a result code and log.
/// </summary>
public sealed class SdkError(string codespace, uint code, string message) : Exception(message)
{
    public string Codespace { get; } = codespace;

    public uint Code { get; } = code;

    /// <summary>The same error with more context in front, like the SDK's errors.Wrap.</summary>
    public SdkError Wrap(string context) => new(Codespace, Code, $"{context}: {Message}");
}

/// <summary>
/// The root codespace's codes, numbered as in cosmos-sdk types/errors/errors.go, so wallets and explorers
/// read our codes the way they read any Cosmos chain's.
/// </summary>
public static class SdkErrors
{
    public const string RootCodespace = "sdk";

    public const uint InternalCode = 1;
    public const uint TxDecodeCode = 2;
    public const uint InvalidSequenceCode = 3;
    public const uint UnauthorizedCode = 4;
    public const uint InsufficientFundsCode = 5;
    public const uint UnknownRequestCode = 6;
    public const uint InvalidAddressCode = 7;
    public const uint InvalidPubKeyCode = 8;
    public const uint UnknownAddressCode = 9;
    public const uint InvalidCoinsCode = 10;
    public const uint OutOfGasCode = 11;
    public const uint MemoTooLargeCode = 12;
    public const uint InsufficientFeeCode = 13;
    public const uint TooManySignaturesCode = 14;
    public const uint NoSignaturesCode = 15;
    public const uint JsonUnmarshalCode = 17;
    public const uint InvalidRequestCode = 18;
    public const uint TxTooLargeCode = 21;
    public const uint KeyNotFoundCode = 22;
    public const uint InvalidChainIdCode = 28;
    public const uint InvalidTypeCode = 29;
    public const uint TxTimeoutHeightCode = 30;
    public const uint UnknownExtensionOptionsCode = 31;
    public const uint WrongSequenceCode = 32;
    public const uint NotSupportedCode = 37;
    public const uint NotFoundCode = 38;
    public const uint InvalidGasLimitCode = 41;

    private static SdkError Root(uint code, string message) => new(RootCodespace, code, message);

    public static SdkError Internal(string m) => new("undefined", InternalCode, m);
    public static SdkError TxDecode(string m) => Root(TxDecodeCode, "tx parse error: " + m);
    public static SdkError Unauthorized(string m) => Root(UnauthorizedCode, m + ": unauthorized");
    public static SdkError InsufficientFunds(string m) => Root(InsufficientFundsCode, m + ": insufficient funds");
    public static SdkError UnknownRequest(string m) => Root(UnknownRequestCode, m + ": unknown request");
    public static SdkError InvalidAddress(string m) => Root(InvalidAddressCode, m + ": invalid address");
    public static SdkError InvalidPubKey(string m) => Root(InvalidPubKeyCode, m + ": invalid pubkey");
    public static SdkError UnknownAddress(string m) => Root(UnknownAddressCode, m + ": unknown address");
    public static SdkError InvalidCoins(string m) => Root(InvalidCoinsCode, m + ": invalid coins");
    public static SdkError OutOfGas(string m) => Root(OutOfGasCode, m + ": out of gas");
    public static SdkError MemoTooLarge(string m) => Root(MemoTooLargeCode, m + ": memo too large");
    public static SdkError InsufficientFee(string m) => Root(InsufficientFeeCode, m + ": insufficient fee");
    public static SdkError TooManySignatures(string m) => Root(TooManySignaturesCode, m + ": maximum number of signatures exceeded");
    public static SdkError NoSignatures(string m) => Root(NoSignaturesCode, m + ": no signatures supplied");
    public static SdkError JsonUnmarshal(string m) => Root(JsonUnmarshalCode, m + ": failed to unmarshal JSON bytes");
    public static SdkError InvalidRequest(string m) => Root(InvalidRequestCode, m + ": invalid request");
    public static SdkError TxTooLarge(string m) => Root(TxTooLargeCode, m + ": tx too large");
    public static SdkError KeyNotFound(string m) => Root(KeyNotFoundCode, m + ": key not found");
    public static SdkError InvalidChainId(string m) => Root(InvalidChainIdCode, m + ": invalid chain-id");
    public static SdkError InvalidType(string m) => Root(InvalidTypeCode, m + ": invalid type");
    public static SdkError TxTimeoutHeight(string m) => Root(TxTimeoutHeightCode, m + ": tx timeout height");
    public static SdkError UnknownExtensionOptions(string m) => Root(UnknownExtensionOptionsCode, m + ": unknown extension options");
    public static SdkError WrongSequence(string m) => Root(WrongSequenceCode, m + ": incorrect account sequence");
    public static SdkError NotSupported(string m) => Root(NotSupportedCode, m + ": feature not supported");
    public static SdkError NotFound(string m) => Root(NotFoundCode, m + ": not found");
    public static SdkError InvalidGasLimit(string m) => Root(InvalidGasLimitCode, m + ": invalid gas limit");
}
