namespace DePinChain.Modules.Mint;

/// <summary>The mint module's name (store, module account, app_state key) and store layout.</summary>
public static class MintKeys
{
    public const string ModuleName = "mint";

    public const string DefaultDenom = "udpin";

    internal const byte ParamsKey = 0x01;
    internal const byte ScheduleKey = 0x02;
    internal const byte MinterKey = 0x03;
    internal const byte LastEmissionKey = 0x04;
}
