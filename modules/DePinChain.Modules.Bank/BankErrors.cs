using DePinChain.Sdk;

namespace DePinChain.Modules.Bank;

/// <summary>The bank codespace's codes, numbered as in x/bank/types/errors.go.</summary>
public static class BankErrors
{
    public const string Codespace = "bank";

    public static SdkError NoInputs() => new(Codespace, 2, "no inputs to send transaction");
    public static SdkError NoOutputs() => new(Codespace, 3, "no outputs to send transaction");
    public static SdkError InputOutputMismatch(string m) => new(Codespace, 4, m + ": sum inputs != sum outputs");
    public static SdkError SendDisabled(string denom) => new(Codespace, 5, $"{denom} transfers are currently disabled: send transactions are disabled");
    public static SdkError MultipleSenders() => new(Codespace, 9, "multiple senders not allowed");
}
