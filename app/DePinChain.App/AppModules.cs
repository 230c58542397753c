using DePinChain.Modules.Auth;
using DePinChain.Modules.Bank;
using DePinChain.Modules.Coverage;
using DePinChain.Modules.Devices;
using DePinChain.Sdk;

namespace DePinChain.App;

/// <summary>
/// The one place that lists the app's modules, their keepers and their order. Adding a module means: construct
/// its keeper here from the keepers it needs, add it to <see cref="Modules"/> at the right position, add it to
/// the begin/end-block lists if it has hooks, and declare its module account.
/// </summary>
public sealed class AppModules
{
    /// <summary>App-level state that belongs to no module: chain id and consensus params.</summary>
    public const string BaseAppStoreName = "baseapp";

    public AppModules()
    {
        // Module accounts and what they may do to the supply. All of them are blocked from receiving MsgSend.
        AccountKeeper = new AccountKeeper(
        [
            new(AuthKeys.FeeCollectorName),
            // Onboarding and location fees pass through it to be burned.
            new(DevicesKeys.ModuleName, AuthKeys.Burner),
            // Later: new("mint", AuthKeys.Minter), new("bonded_tokens_pool", AuthKeys.Burner), ...
        ]);
        BankKeeper = new BankKeeper(AccountKeeper);
        DevicesKeeper = new DevicesKeeper(BankKeeper);
        CoverageKeeper = new CoverageKeeper(DevicesKeeper);

        // InitGenesis runs in this order, ExportGenesis too:
        // - auth first: every other module's genesis may reference accounts, and auth creates the module accounts
        //   that bank balances and later modules (staking pools, mint) pay into.
        // - bank second: balances and supply, which staking's genesis bonds from.
        // Later modules come after bank in dependency order: staking, devices, coverage, mint, rewards, data credits, ibc.
        // - devices after bank (onboarding fees are burned through it), coverage after devices (reads the registry).
        Modules = [new AuthModule(AccountKeeper), new BankModule(BankKeeper), new DevicesModule(DevicesKeeper), new CoverageModule(CoverageKeeper)];

        // Begin-block order (none yet): mint before rewards (rewards distribute what mint created), then staking.
        BeginBlockers = [.. Modules.OfType<IBeginBlocker>()];
        // End-block order: coverage (keeps the block hash for PoC entropy, recomputes density at epoch ends); staking last, so validator updates reflect every change made in the block.
        EndBlockers = [.. Modules.OfType<IEndBlocker>()];
    }

    public AccountKeeper AccountKeeper { get; }

    public BankKeeper BankKeeper { get; }

    public DevicesKeeper DevicesKeeper { get; }

    /// <summary>Also the <see cref="ICoverageRewardsSource"/> the rewards module reads.</summary>
    public CoverageKeeper CoverageKeeper { get; }

    public IReadOnlyList<IModule> Modules { get; }

    public IReadOnlyList<IBeginBlocker> BeginBlockers { get; }

    public IReadOnlyList<IEndBlocker> EndBlockers { get; }

    /// <summary>Every store the multistore must mount: one per module plus the app's own.</summary>
    public IReadOnlyList<string> StoreNames => [.. Modules.Select(m => m.Name), BaseAppStoreName];

    public static IReadOnlyList<string> AllStoreNames => new AppModules().StoreNames;
}
