using DePinChain.Protos.Cosmos.Slashing.V1Beta1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Slashing;

/// <summary>The slashing genesis in the SDK's shape: params, signing infos, and each validator's missed blocks as {index, missed} lists.</summary>
public sealed class SlashingGenesis(SlashingKeeper keeper) : ModuleGenesis<GenesisState>(Json)
{
    /// <summary>The slashing <c>app_state</c> section as JSON.</summary>
    public static readonly GenesisCodec<GenesisState> Json = new(SlashingKeys.ModuleName);

    public override GenesisState Default() => new() { Params = SlashingKeeper.DefaultParams() };

    /// <summary>The params' checks, the SDK's genesis bounds (window ≥ 10, jail ≥ 1 minute) and well-formed entries.</summary>
    public override void Validate(GenesisState g)
    {
        var p = g.Params ?? throw SlashingErrors.InvalidParams("params are missing");
        SlashingMsgServer.ValidateParams(p);
        if (p.SignedBlocksWindow < 10) throw SlashingErrors.InvalidParams($"signed blocks window must be at least 10, is {p.SignedBlocksWindow}");
        if (p.DowntimeJailDuration.ToTimeSpan() < TimeSpan.FromMinutes(1))
            throw SlashingErrors.InvalidParams($"downtime unjail duration must be at least 1 minute, is {p.DowntimeJailDuration.ToTimeSpan()}");
        var infos = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in g.SigningInfos)
        {
            ValidatorAddress.ParseConsensus(s.Address);
            if (!infos.Add(s.Address)) throw SlashingErrors.InvalidParams($"duplicate signing info for {s.Address}");
            if (s.ValidatorSigningInfo is null) throw SlashingErrors.InvalidParams($"signing info of {s.Address} is missing");
        }
        var bitmaps = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in g.MissedBlocks)
        {
            ValidatorAddress.ParseConsensus(v.Address);
            if (!bitmaps.Add(v.Address)) throw SlashingErrors.InvalidParams($"duplicate missed blocks for {v.Address}");
            foreach (var m in v.MissedBlocks)
                if (m.Index < 0) throw SlashingErrors.InvalidParams($"negative missed block index {m.Index} for {v.Address}");
        }
    }

    public override void Init(Context ctx, GenesisState g)
    {
        foreach (var s in g.SigningInfos) keeper.SetSigningInfo(ctx, ValidatorAddress.ParseConsensus(s.Address), s.ValidatorSigningInfo);
        foreach (var v in g.MissedBlocks)
        {
            var consAddr = ValidatorAddress.ParseConsensus(v.Address);
            foreach (var m in v.MissedBlocks) keeper.SetMissedBlockBitmapValue(ctx, consAddr, m.Index, m.Missed);
        }
        keeper.SetParams(ctx, g.Params);
    }

    /// <summary>Signing infos by address, each with its missed blocks (possibly none), so export(import(g)) == g for any g export produced.</summary>
    public override GenesisState Export(Context ctx)
    {
        var g = new GenesisState { Params = keeper.GetParams(ctx) };
        foreach (var (consAddr, info) in keeper.SigningInfos(ctx))
        {
            string address = ValidatorAddress.ToConsensusBech32(consAddr);
            g.SigningInfos.Add(new SigningInfo { Address = address, ValidatorSigningInfo = info });
            var missed = new ValidatorMissedBlocks { Address = address };
            missed.MissedBlocks.AddRange(keeper.GetValidatorMissedBlocks(ctx, consAddr));
            g.MissedBlocks.Add(missed);
        }
        return g;
    }
}
