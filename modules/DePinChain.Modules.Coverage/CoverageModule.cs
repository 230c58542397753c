using DePinChain.Protos.Depin.Coverage.V1;
using DePinChain.Sdk;
using Google.Protobuf.Reflection;

namespace DePinChain.Modules.Coverage;

/// <summary>
/// Proof of coverage. Messages (<see cref="CoverageMsgServer"/>): MsgSubmitPoc, and the deny list (authority). Queries
/// (<see cref="CoverageQueryServer"/>) under /depin.coverage.v1.Query/. Beginning of each epoch's first block (the
/// chain's epochs): recompute the density scales, before any of the epoch's reports. End of every block: keep this
/// block's hash for the entropy window (the header's, FinalizeBlock's <c>hash</c>; a block without one records no
/// entropy), and prune a bounded batch of reports and archived ledgers older than the retention
/// (<see cref="CoverageKeeper.PruneExpired"/>).
/// </summary>
public sealed class CoverageModule(CoverageKeeper keeper)
    : Module<GenesisState>(CoverageKeys.ModuleName, new CoverageGenesis(keeper)), IBeginBlocker, IEndBlocker
{
    public override ServiceDescriptor? MsgService => TxReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Msg");

    public override ServiceDescriptor? QueryService => QueryReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public CoverageKeeper Keeper { get; } = keeper;

    public override void RegisterMessages(MsgRouter router) => new CoverageMsgServer(Keeper).Register(router);

    public override void RegisterQueries(QueryRouter router) => new CoverageQueryServer(Keeper).Register(router.For(QueryService!));

    public void BeginBlock(Context ctx)
    {
        if (Keeper.StartsEpoch(ctx, ctx.Height)) Keeper.RecomputeDensity(ctx);
    }

    public void EndBlock(Context ctx)
    {
        var hash = ctx.Header.BlockHash;
        if (hash.Length > 0) Keeper.RecordBlockHash(ctx, ctx.Height, hash);
        Keeper.PruneExpired(ctx);
    }
}
