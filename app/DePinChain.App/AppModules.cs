using DePinChain.Modules.Auth;
using DePinChain.Modules.Bank;
using DePinChain.Modules.Coverage;
using DePinChain.Modules.DataCredits;
using DePinChain.Modules.Devices;
using DePinChain.Modules.Mint;
using DePinChain.Modules.Rewards;
using DePinChain.Modules.Distribution;
using DePinChain.Modules.Ibc;
using DePinChain.Modules.Transfer;
using DePinChain.Modules.Slashing;
using DePinChain.Modules.Staking;
using DePinChain.Sdk;

namespace DePinChain.App;

/// <summary>
/// The one place that lists the app's modules, their keepers and their order. Adding a module (see the README, "Adding
/// a module"): construct its keeper here from bridges to the keepers it declares in its ExpectedKeepers.cs (add the
/// interfaces to the providers' bridges in DepinWiring.cs), add it to <see cref="Modules"/> at the right position, to
/// <see cref="BeginBlockers"/>/<see cref="EndBlockers"/> if it has hooks, and declare its module account.
/// </summary>
public sealed class AppModules
{
    /// <summary>App-level state that belongs to no module: chain id and consensus params.</summary>
    public const string BaseAppStoreName = "baseapp";

    /// <param name="depin">Overrides for the token modules' outside sources (tests and benchmarks pass fakes); null,
    /// or a null member, = the real devices and coverage keepers.</param>
    public AppModules(DepinWiring? depin = null)
    {
        // Module accounts and what they may do to the supply. All of them are blocked from receiving MsgSend.
        AccountKeeper = new AccountKeeper(
        [
            new(AuthKeys.FeeCollectorName),
            // Onboarding and location fees pass through it to be burned.
            new(DevicesKeys.ModuleName, AuthKeys.Burner),
            // Mint creates each epoch's emission; rewards pays it out; the treasury keeps what nobody earned;
            // data credits burns what customers pay for credits.
            new(MintKeys.ModuleName, AuthKeys.Minter),
            new(RewardsKeys.ModuleName),
            new(RewardsKeys.TreasuryModuleName),
            new(DataCreditsKeys.ModuleName, AuthKeys.Burner),
            // Staking's pools: delegated tokens sit in one or the other by the validator's status; slashes burn from them.
            new(StakingKeys.BondedPoolName, AuthKeys.Burner),
            new(StakingKeys.NotBondedPoolName, AuthKeys.Burner),
            // Distribution holds what validators and delegators are owed until they withdraw, and the community pool.
            new(DistributionKeys.ModuleName),
            // ICS-20: mints vouchers of tokens arriving from other chains and burns them when they go back. (Native tokens
            // sent away are escrowed in per-channel escrow accounts, not here.)
            new(TransferKeys.ModuleName, AuthKeys.Minter, AuthKeys.Burner),
        ]);
        // Each keeper gets bridges (DepinWiring.cs) to what its module declares in ExpectedKeepers.cs, nothing more. The
        // ante handler uses AccountKeeper and BankKeeper themselves (signatures, sequences, the fee).
        var accounts = new AccountsBridge(AccountKeeper);
        BankKeeper = new BankKeeper(accounts);
        var bank = new BankBridge(BankKeeper);
        // Mint owns the chain's epochs (coverage, data credits and rewards all read them) and hears about every burn
        // for net emissions: the registry's fees and the udpin burned for DC. The authority of every module that has
        // one is that module's genesis param (params.authority), not wiring.
        MintKeeper = new MintKeeper(bank, RewardsKeys.ModuleName);
        var mint = new MintBridge(MintKeeper);
        DevicesKeeper = new DevicesKeeper(bank, mint);
        var devices = new DevicesBridge(DevicesKeeper);
        CoverageKeeper = new CoverageKeeper(devices, mint);

        var deviceDirectory = depin?.Devices ?? devices;
        var coverageUnits = depin?.Coverage ?? new CoverageUnitsBridge(CoverageKeeper, devices);
        DataCreditsKeeper = new DataCreditsKeeper(bank, mint, mint, deviceDirectory, MintKeys.DefaultDenom);
        // Staking: its pools through bank, its slash burns reported to mint. Distribution and slashing read it through
        // one bridge and hear of its changes through its hooks (distribution first, as the SDK's simapp).
        StakingKeeper = new StakingKeeper(bank, mint);
        var staking = new StakingBridge(StakingKeeper);
        DistributionKeeper = new DistributionKeeper(bank, accounts, staking, AuthKeys.FeeCollectorName);
        SlashingKeeper = new SlashingKeeper(staking, new EvidenceParamsBridge());
        var distributionModule = new DistributionModule(DistributionKeeper);
        var slashingModule = new SlashingModule(SlashingKeeper);
        StakingKeeper.SetHooks(new StakingHooksBridge(distributionModule.Hooks, slashingModule.Hooks));
        // The validators' share of each epoch's emission goes to distribution (commission, then delegators by F1).
        RewardsKeeper = new RewardsKeeper(bank, accounts, mint, mint,
            new DataCreditsBridge(DataCreditsKeeper), deviceDirectory, coverageUnits, new DistributionBridge(DistributionKeeper));
        DevicesKeeper.SetHooks(new DeviceHooksBridge(RewardsKeeper));
        DataCreditsKeeper.SetTrafficHold(new TrafficHoldBridge(RewardsKeeper));

        // InitGenesis runs in this order, ExportGenesis too:
        // - auth first: every other module's genesis may reference accounts, and auth creates the module accounts
        //   that bank balances and later modules pay into.
        // - bank second: balances and supply.
        // - devices after bank (onboarding fees are burned through it), coverage after devices (reads the registry).
        // - mint after bank: its InitGenesis checks the genesis supply against the hard cap.
        // - staking after bank: its InitGenesis checks its pools against the pool accounts' bank balances.
        // - ibc last: it reads staking's historical info (this chain's consensus states) and owns no accounts.
        var coverage = new CoverageModule(CoverageKeeper);
        var mintModule = new MintModule(MintKeeper);
        var dataCredits = new DataCreditsModule(DataCreditsKeeper);
        var rewards = new RewardsModule(RewardsKeeper);
        var stakingModule = new StakingModule(StakingKeeper);
        // - distribution and slashing after staking: their records refer to its validators.
        // IBC and its applications: core first (transfer sends through its channels), then each application bound to its
        // port in the router core routes packets by. ICS-20 transfer: port "transfer".
        var ports = new DePinChain.Modules.Ibc.Channel.PortRouter();
        IbcModule = new IbcModule(new IbcStakingBridge(StakingKeeper), ports);
        var channels = new TransferChannelsBridge(IbcModule.Channels);
        var transferBank = new TransferBankBridge(BankKeeper, AccountKeeper);
        TransferKeeper = new TransferKeeper(transferBank, transferBank, channels, channels);
        var transfer = new TransferModule(TransferKeeper, channels, ModuleAuthority.Default);
        ports.Bind(TransferKeys.PortId, new TransferPortBridge(transfer.Ibc));
        // - transfer after ibc: its genesis (port, denom traces, escrow totals) refers to IBC's channels.
        Modules = [new AuthModule(AccountKeeper), new BankModule(BankKeeper), stakingModule, distributionModule, slashingModule,
            new DevicesModule(DevicesKeeper), coverage, mintModule, dataCredits, rewards, IbcModule, transfer];

        // Begin-block order (the SDK's simapp: distribution, slashing, evidence, staking):
        // - distribution: the last block's fees to the validators that voted on it, by the powers they had then.
        // - slashing: liveness of the last block's votes, then its misbehavior (slash, jail, tombstone).
        // - staking: keeps this height's historical info (header and the bonded set) after the punishments.
        // - coverage: at an epoch's first block it recomputes the density scales, before any of the epoch's reports.
        BeginBlockers = [distributionModule, slashingModule, stakingModule, coverage];
        // End-block order (staking is not listed: the block executor asks ValidatorSet for its updates after every end
        // blocker, so they see every change of the block; mature unbondings and redelegations complete there too):
        // - coverage first: keeps the block hash for PoC entropy. (Its units are written only by txs, so they are final
        //   before any end blocker; its density scales are recomputed in BeginBlock of an epoch's first block, so the
        //   scales rewards records at the epoch's last block are the ones the epoch's reports used.)
        // - data credits: prunes traffic older than its retention (never the epoch that is ending).
        // - mint before rewards: at an epoch's last block mint fills the rewards pool, rewards empties it.
        EndBlockers = [coverage, dataCredits, mintModule, rewards];
        ValidatorSet = stakingModule;
        // Mempool-only checks after the ante handler: IBC refuses relayer txs whose packets are all relayed already.
        MempoolChecks = [new DePinChain.Modules.Ibc.Channel.RedundantRelayCheck(IbcModule.Channels, IbcModule.Clients)];
    }

    /// <summary>The modules' extra checks of txs entering the mempool (CheckTx, ReCheckTx), in order.</summary>
    public IReadOnlyList<IMempoolTxCheck> MempoolChecks { get; }

    public AccountKeeper AccountKeeper { get; }

    public BankKeeper BankKeeper { get; }

    public DevicesKeeper DevicesKeeper { get; }

    public CoverageKeeper CoverageKeeper { get; }

    public MintKeeper MintKeeper { get; }

    public DataCreditsKeeper DataCreditsKeeper { get; }

    public RewardsKeeper RewardsKeeper { get; }

    public StakingKeeper StakingKeeper { get; }

    public DistributionKeeper DistributionKeeper { get; }

    public SlashingKeeper SlashingKeeper { get; }

    public IbcModule IbcModule { get; }

    public TransferKeeper TransferKeeper { get; }

    public IReadOnlyList<IModule> Modules { get; }

    public IReadOnlyList<IBeginBlocker> BeginBlockers { get; }

    public IReadOnlyList<IEndBlocker> EndBlockers { get; }

    /// <summary>The module that decides CometBFT's validator set (staking). When staking's genesis has no validators,
    /// CometBFT's genesis set stands until a validator is created by tx.</summary>
    public IValidatorSetModule? ValidatorSet { get; }

    /// <summary>
    /// Registers every module's message and query handlers, and holds them to the modules' proto services: each rpc of
    /// a module's <c>service Msg</c> / <c>service Query</c> has a handler, and no handler is outside those services (the
    /// CLI and the gRPC server, and later the REST gateway, are made from the same services).
    /// </summary>
    /// <exception cref="InvalidOperationException">A module's handlers and its proto services disagree.</exception>
    public void RegisterRoutes(MsgRouter msgs, QueryRouter queries)
    {
        var declaredMsgs = new HashSet<string>(StringComparer.Ordinal);
        var declaredQueries = new HashSet<string>(StringComparer.Ordinal);
        foreach (var module in Modules)
        {
            module.RegisterMessages(msgs);
            module.RegisterQueries(queries);
            foreach (var msgService in module.MsgServices)
            {
                msgs.CheckServes(msgService);
                foreach (var method in msgService.Methods) declaredMsgs.Add("/" + method.InputType.FullName);
            }
            foreach (var queryService in module.QueryServices)
            {
                queries.CheckServes(queryService);
                foreach (var method in queryService.Methods) declaredQueries.Add(QueryRouter.PathOf(method));
            }
        }
        if (msgs.TypeUrls.FirstOrDefault(url => !declaredMsgs.Contains(url)) is { } strayMsg)
            throw new InvalidOperationException($"message {strayMsg} has a handler but is in no module's service Msg");
        if (queries.Paths.FirstOrDefault(path => !declaredQueries.Contains(path)) is { } strayQuery)
            throw new InvalidOperationException($"query {strayQuery} has a handler but is in no module's service Query");
    }

    /// <summary>Every store the multistore must mount: one per module plus the app's own.</summary>
    public IReadOnlyList<string> StoreNames => [.. Modules.Select(m => m.Name), BaseAppStoreName];

    public static IReadOnlyList<string> AllStoreNames => new AppModules().StoreNames;

    /// <summary>
    /// The modules whose genesis params have an <c>authority</c> (the account that may change their params, add makers,
    /// keep the deny list): what `genesis set-authority` and the localnet genesis set, so a new module is covered
    /// without a list to keep.
    /// </summary>
    public IReadOnlyList<string> AuthorityModuleNames =>
        [.. Modules.Where(m => System.Text.Json.Nodes.JsonNode.Parse(m.DefaultGenesis())?["params"]?["authority"] is not null).Select(m => m.Name)];
}
