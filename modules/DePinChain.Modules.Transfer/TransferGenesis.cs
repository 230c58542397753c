using DePinChain.Protos.Ibc.Applications.Transfer.V1;
using DePinChain.Sdk;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;
using ProtoDenomTrace = DePinChain.Protos.Ibc.Applications.Transfer.V1.DenomTrace;

namespace DePinChain.Modules.Transfer;

/// <summary>
/// The transfer genesis as ibc-go v8 writes it (ibc.applications.transfer.v1.GenesisState): the bound port, the denom
/// traces of the vouchers in circulation, params, and the total escrowed per native denom.
/// </summary>
public sealed class TransferGenesis(TransferKeeper keeper) : ModuleGenesis<GenesisState>(Json)
{
    /// <summary>The transfer <c>app_state</c> section as JSON.</summary>
    public static readonly GenesisCodec<GenesisState> Json = new(TransferKeys.ModuleName);

    public override GenesisState Default() => new() { PortId = TransferKeys.PortId, Params = ToProto(TransferParams.Default) };

    public override void Validate(GenesisState g)
    {
        try { Identifiers.ValidatePortId(g.PortId); }
        catch (SdkError e) { throw Invalid(e.Message); }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < g.DenomTraces.Count; i++)
        {
            var trace = FromProto(g.DenomTraces[i]);
            if (!seen.Add(trace.HashHex())) throw Invalid($"duplicated denomination trace with hash {trace.HashHex()}");
            try { trace.Validate(); }
            catch (SdkError e) { throw Invalid($"failed denom trace {i} validation: {e.Message}"); }
        }
        // sdk.Coins.Validate: valid denoms, positive amounts, sorted by denom without duplicates.
        string? previous = null;
        foreach (var coin in g.TotalEscrowed)
        {
            if (!Coins.IsValidDenom(coin.Denom)) throw Invalid($"invalid denom: {coin.Denom}");
            try
            {
                if (Amounts.Parse(coin.Amount, $"total_escrowed amount of {coin.Denom}").IsZero) throw Invalid($"coin {coin.Amount}{coin.Denom} amount is not positive");
            }
            catch (FormatException e) { throw Invalid(e.Message); }
            if (previous is not null && string.CompareOrdinal(previous, coin.Denom) >= 0)
                throw Invalid(previous == coin.Denom ? $"duplicate denomination {coin.Denom}" : $"denomination {coin.Denom} is not sorted");
            previous = coin.Denom;
        }
    }

    private static SdkError Invalid(string why) => SdkErrors.JsonUnmarshal($"transfer genesis: {why}");

    public override void Init(Context ctx, GenesisState g)
    {
        keeper.SetPort(ctx, g.PortId);
        foreach (var trace in g.DenomTraces) keeper.SetDenomTraceWithMetadata(ctx, FromProto(trace));
        keeper.SetParams(ctx, FromProto(g.Params));
        foreach (var coin in g.TotalEscrowed) keeper.SetTotalEscrowForDenom(ctx, coin.Denom, Amounts.Parse(coin.Amount, "total_escrowed"));
    }

    public override GenesisState Export(Context ctx)
    {
        var g = new GenesisState { PortId = keeper.GetPort(ctx), Params = ToProto(keeper.GetParams(ctx)) };
        // ibc-go exports the traces sorted by full path.
        g.DenomTraces.AddRange(keeper.DenomTraces(ctx).OrderBy(t => t.FullPath, StringComparer.Ordinal).Select(ToProto));
        g.TotalEscrowed.AddRange(keeper.TotalEscrows(ctx).Select(c => new ProtoCoin { Denom = c.Denom, Amount = Amounts.Format(c.Amount) }));
        return g;
    }

    public static DenomTrace FromProto(ProtoDenomTrace t) => new(t.Path, t.BaseDenom);

    public static ProtoDenomTrace ToProto(DenomTrace t) => new() { Path = t.Path, BaseDenom = t.BaseDenom };

    /// <summary>A missing params message is the zero value, as gogoproto's non-nullable field is: both disabled.</summary>
    public static TransferParams FromProto(Params? p) => new(p?.SendEnabled ?? false, p?.ReceiveEnabled ?? false);

    public static Params ToProto(TransferParams p) => new() { SendEnabled = p.SendEnabled, ReceiveEnabled = p.ReceiveEnabled };
}
