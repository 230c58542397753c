using DePinChain.Protos.Cosmos.Slashing.V1Beta1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Slashing;

/// <summary>The slashing <c>service Msg</c>: MsgUnjail (cosmos-sdk v0.50 has MsgUpdateParams too, whose authority is x/gov: not here).</summary>
public sealed class SlashingMsgServer(SlashingKeeper keeper)
{
    public void Register(MsgRouter router) => router.Register(MsgUnjail.Parser, ValidateUnjail, Unjail);

    public static void ValidateUnjail(MsgUnjail m) => ValidatorAddress.ParseOperator(m.ValidatorAddr);

    public MsgUnjailResponse Unjail(Context ctx, MsgUnjail m)
    {
        keeper.Unjail(ctx, ValidatorAddress.ParseOperator(m.ValidatorAddr));
        return new MsgUnjailResponse();
    }

    /// <summary>The SDK's params checks (x/slashing/types/params.go).</summary>
    public static void ValidateParams(Params p)
    {
        if (p.SignedBlocksWindow <= 0) throw SlashingErrors.InvalidParams($"signed blocks window must be positive: {p.SignedBlocksWindow}");
        Fraction(p.MinSignedPerWindow, "min signed per window");
        var jail = p.DowntimeJailDuration?.ToTimeSpan() ?? TimeSpan.Zero;
        if (jail <= TimeSpan.Zero) throw SlashingErrors.InvalidParams($"downtime jail duration must be positive: {jail}");
        Fraction(p.SlashFractionDoubleSign, "double sign slash fraction");
        Fraction(p.SlashFractionDowntime, "downtime slash fraction");
    }

    private static void Fraction(Google.Protobuf.ByteString wire, string what)
    {
        LegacyDec value;
        try { value = SlashingKeeper.Dec(wire); }
        catch (FormatException e) { throw SlashingErrors.InvalidParams($"{what}: {e.Message}"); }
        if (value.IsNegative) throw SlashingErrors.InvalidParams($"{what} cannot be negative: {value}");
        if (value > LegacyDec.One) throw SlashingErrors.InvalidParams($"{what} too large: {value}");
    }
}
