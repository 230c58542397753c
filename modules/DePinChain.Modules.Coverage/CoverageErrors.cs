using DePinChain.Modules.Coverage.Poc;
using DePinChain.Sdk;

namespace DePinChain.Modules.Coverage;

/// <summary>
/// Codes in codespace "coverage". A rejected report fails with its <see cref="PocVerdict"/> code (2–19);
/// deny-list errors use 50 and up. Never renumber.
/// </summary>
public static class CoverageErrors
{
    public const string Codespace = "coverage";

    /// <summary>Code 53, with the deny list's (the numbers below were taken before the one authority rule).</summary>
    public const uint InvalidAuthorityCode = 53;

    /// <summary>Only <c>params.authority</c> may keep the deny list (the kit's one rule and wording).</summary>
    public static readonly AuthorityRule Authority = new(Codespace, InvalidAuthorityCode);

    public static SdkError Rejected(RuleResult result) => new(Codespace, (uint)result.Verdict, $"{result.Verdict}: {result.Reason}");
    public static SdkError InvalidDenyEntry(string m) => new(Codespace, 50, "invalid deny-list entry: " + m);
    public static SdkError DenyEntryExists() => new(Codespace, 51, "this deny-list entry already exists");
    public static SdkError DenyEntryNotFound() => new(Codespace, 52, "no such deny-list entry");
}
