using DePinChain.Modules.Auth;
using DePinChain.Modules.Bank;
using DePinChain.Modules.DataCredits;
using DePinChain.Modules.Mint;
using DePinChain.Modules.Rewards;
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

    /// <param name="depin">Authority and coverage/device sources for the token modules; null = <see cref="DepinWiring.Default"/>.</param>
    public AppModules(DepinWiring? depin = null)
    {
        depin ??= DepinWiring.Default;
        // Module accounts and what they may do to the supply. All of them are blocked from receiving MsgSend.
        AccountKeeper = new AccountKeeper(
        [
            new(AuthKeys.FeeCollectorName),
            // Mint creates each epoch's emission; rewards pays it out; the treasury keeps what nobody earned;
            // data credits burns what customers pay for credits.
            new(MintKeys.ModuleName, AuthKeys.Minter),
            new(RewardsKeys.ModuleName),
            new(RewardsKeys.TreasuryModuleName),
            new(DataCreditsKeys.ModuleName, AuthKeys.Burner),
        ]);
        BankKeeper = new BankKeeper(AccountKeeper);
        // Mint owns the chain's epochs (IEpochClock) and hears about burns (IBurnRecorder) for net emissions.
        MintKeeper = new MintKeeper(BankKeeper, depin.Authority, RewardsKeys.ModuleName);
        DataCreditsKeeper = new DataCreditsKeeper(BankKeeper, MintKeeper, MintKeeper, depin.Devices, depin.Authority);
        RewardsKeeper = new RewardsKeeper(BankKeeper, AccountKeeper, MintKeeper, MintKeeper, DataCreditsKeeper, depin.Devices, depin.Coverage, depin.Authority);

        // InitGenesis runs in this order, ExportGenesis too:
        // - auth first: every other module's genesis may reference accounts, and auth creates the module accounts
        //   that bank balances and later modules (staking pools, mint) pay into.
        // - bank second: balances and supply, which staking's genesis bonds from.
        // Later modules come after bank in dependency order: staking, devices, coverage, mint, rewards, data credits, ibc.
        // - mint after bank: its InitGenesis checks the genesis supply against the hard cap.
        var mint = new MintModule(MintKeeper);
        var dataCredits = new DataCreditsModule(DataCreditsKeeper);
        var rewards = new RewardsModule(RewardsKeeper);
        Modules = [new AuthModule(AccountKeeper), new BankModule(BankKeeper), mint, dataCredits, rewards];

        BeginBlockers = [.. Modules.OfType<IBeginBlocker>()];
        // End-block order: staking last, so validator updates reflect every change made in the block.
        // - data credits: prunes traffic older than its retention (never the epoch that is ending).
        // - mint before rewards: at an epoch's last block mint fills the rewards pool, rewards empties it. Coverage
        //   (when wired) must end-block before rewards too, so the epoch's units are final.
        EndBlockers = [dataCredits, mint, rewards];
    }

    public MintKeeper MintKeeper { get; }

    public DataCreditsKeeper DataCreditsKeeper { get; }

    public RewardsKeeper RewardsKeeper { get; }

    public AccountKeeper AccountKeeper { get; }

    public BankKeeper BankKeeper { get; }

    public IReadOnlyList<IModule> Modules { get; }

    public IReadOnlyList<IBeginBlocker> BeginBlockers { get; }

    public IReadOnlyList<IEndBlocker> EndBlockers { get; }

    /// <summary>Every store the multistore must mount: one per module plus the app's own.</summary>
    public IReadOnlyList<string> StoreNames => [.. Modules.Select(m => m.Name), BaseAppStoreName];

    public static IReadOnlyList<string> AllStoreNames => new AppModules().StoreNames;
}
