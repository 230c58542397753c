using System.Numerics;
using DePinChain.App;
using DePinChain.Modules.Auth;
using DePinChain.Modules.Bank;
using DePinChain.Modules.DataCredits;
using DePinChain.Modules.Mint;
using DePinChain.Modules.Tests;
using DePinChain.Sdk;
using Google.Protobuf;
using BankGenesis = DePinChain.Protos.Cosmos.Bank.V1Beta1.GenesisState;
using CreditsGenesis = DePinChain.Protos.Depin.DataCredits.V1.GenesisState;
using MintGenesisState = DePinChain.Protos.Depin.Mint.V1.GenesisState;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;
using RewardsGenesisState = DePinChain.Protos.Depin.Rewards.V1.GenesisState;

namespace DePinChain.Modules.Rewards.Tests;

/// <summary>Proof of coverage stand-in: units per epoch as the test sets them, served sorted by device key.</summary>
internal sealed class FakeCoverage : ICoverageUnitsSource
{
    public SortedDictionary<long, List<CoverageUnits>> Units { get; } = [];

    public List<CoverageUnits> EpochUnits(long epoch)
        => Units.TryGetValue(epoch, out var list) ? [.. list.OrderBy(u => u.DeviceKey, DePinChain.Store.Backend.ByteArrayComparer.Instance)] : [];

    public (ulong Beacon, ulong Witness) EpochTotals(Context ctx, long epoch)
    {
        ulong beacon = 0, witness = 0;
        foreach (var u in EpochUnits(epoch)) { beacon = checked(beacon + u.BeaconUnits); witness = checked(witness + u.WitnessUnits); }
        return (beacon, witness);
    }

    public CoverageUnits? DeviceUnits(Context ctx, long epoch, ReadOnlySpan<byte> deviceKey)
    {
        foreach (var u in EpochUnits(epoch)) if (u.DeviceKey.AsSpan().SequenceEqual(deviceKey)) return u;
        return null;
    }

    public SourcePage<CoverageUnits> EpochUnitsPage(Context ctx, long epoch, byte[]? after, int limit)
    {
        var page = EpochUnits(epoch).Where(u => after is null || u.DeviceKey.AsSpan().SequenceCompareTo(after) > 0).Take(limit).ToList();
        return new(page, page.Count == limit ? page[^1].DeviceKey : null);
    }
}

/// <summary>Device registry stand-in: device key (hex) → owner.</summary>
internal sealed class FakeDevices : IDeviceOwners
{
    public SortedDictionary<string, byte[]> Owners { get; } = new(StringComparer.Ordinal);

    public byte[]? GetActiveDeviceOwner(Context ctx, ReadOnlySpan<byte> deviceKey) => Owners.GetValueOrDefault(Convert.ToHexString(deviceKey));

    public byte[]? GetDeviceOwner(Context ctx, ReadOnlySpan<byte> deviceKey) => GetActiveDeviceOwner(ctx, deviceKey);

    public IEnumerable<byte[]> DevicesOf(Context ctx, byte[] owner)
        => Owners.Where(kv => kv.Value.AsSpan().SequenceEqual(owner)).Select(kv => Convert.FromHexString(kv.Key));
}

/// <summary>
/// Distribution stand-in: validators known by consensus address (hex) → operator address bytes. A known validator's
/// share moves, through the test's bank, to the account with the operator's bytes (so a test reads it as a balance);
/// an unknown one is refused (null, nothing moved). Every call is recorded.
/// </summary>
internal sealed class FakeRewardSink(BankKeeper bank) : IValidatorRewardSink
{
    public SortedDictionary<string, byte[]> Operators { get; } = new(StringComparer.Ordinal);

    public List<(byte[] ConsensusAddress, string FromModule, Coins Amount, string? Answer)> Calls { get; } = [];

    public void Add(byte[] consensusAddress, byte[] operatorAddress) => Operators[Convert.ToHexString(consensusAddress)] = operatorAddress;

    public void Remove(byte[] consensusAddress) => Operators.Remove(Convert.ToHexString(consensusAddress));

    public string? PayValidator(Context ctx, ReadOnlySpan<byte> consensusAddress, string fromModule, Coins amount)
    {
        string? answer = null;
        if (Operators.TryGetValue(Convert.ToHexString(consensusAddress), out var operatorAddress))
        {
            bank.SendCoinsFromModuleToAccount(ctx, fromModule, operatorAddress, amount);
            answer = ValidatorAddress.ToOperatorBech32(operatorAddress);
        }
        Calls.Add((consensusAddress.ToArray(), fromModule, amount, answer));
        return answer;
    }
}

/// <summary>
/// Auth, bank, mint, data credits and rewards wired as the app wires them, on an in-memory store, with fake
/// coverage and device sources and a fake validator reward sink (none with <c>withSink: false</c>). Blocks run txs on branches, then the end blockers in the app's order:
/// data credits, mint, rewards.
/// </summary>
internal sealed class RewardsChain
{
    public static readonly byte[] Authority = TestState.Address(0xAA);
    public static readonly byte[] Customer = TestState.Address(1);
    public static readonly byte[] RouterAddress = TestState.Address(0x40);

    public static string Text(byte[] address) => Bech32Address.ToBech32(address);

    public SortedMultiStore Store { get; } = new(AuthKeys.ModuleName, BankKeys.ModuleName, MintKeys.ModuleName, DataCreditsKeys.ModuleName, RewardsKeys.ModuleName);
    public AccountKeeper Accounts { get; }
    public BankKeeper Bank { get; }
    public MintModule Mint { get; }
    public DataCreditsModule Credits { get; }
    public RewardsModule Rewards { get; }
    public FakeCoverage Coverage { get; } = new();
    public FakeDevices Devices { get; } = new();
    public FakeRewardSink? Sink { get; }
    public MsgRouter Msgs { get; } = new();
    public QueryRouter Queries { get; } = new();
    public long Height { get; private set; }
    public BigInteger GenesisSupply { get; }

    public RewardsChain(long epochBlocks = 5, long initialEmission = 1_000_000, long maxSupply = 1_000_000_000_000, long halving = 1_000,
        BigInteger? customerBalance = null, DePinChain.Protos.Depin.Mint.V1.Params? mintParams = null, bool withSink = true,
        uint payoutDevicesPerBlock = 0)
    {
        Accounts = new AccountKeeper([new(AuthKeys.FeeCollectorName), new(MintKeys.ModuleName, AuthKeys.Minter), new(RewardsKeys.ModuleName),
            new(RewardsKeys.TreasuryModuleName), new(DataCreditsKeys.ModuleName, AuthKeys.Burner)]);
        Bank = new BankKeeper(new AccountsBridge(Accounts));
        var mint = new MintKeeper(new BankBridge(Bank), RewardsKeys.ModuleName);
        Mint = new MintModule(mint);
        var bank = new BankBridge(Bank);
        var mintBridge = new MintBridge(mint);
        var credits = new DataCreditsKeeper(bank, mintBridge, mintBridge, Devices, MintKeys.DefaultDenom);
        Credits = new DataCreditsModule(credits);
        Sink = withSink ? new FakeRewardSink(Bank) : null;
        Rewards = new RewardsModule(new RewardsKeeper(bank, new AccountsBridge(Accounts), mintBridge, mintBridge, new DataCreditsBridge(credits), Devices, Coverage, Sink));
        credits.SetTrafficHold(new TrafficHoldBridge(Rewards.Keeper));
        foreach (IModule m in new IModule[] { Mint, Credits, Rewards })
        {
            m.RegisterMessages(Msgs);
            m.RegisterQueries(Queries);
        }

        var ctx = Ctx(0, []);
        var auth = new AuthModule(Accounts);
        auth.InitGenesis(ctx, auth.DefaultGenesis());
        GenesisSupply = customerBalance ?? 1_000_000_000;
        var bankGenesis = new BankGenesis { Params = BankKeeper.DefaultParams() };
        var balance = new DePinChain.Protos.Cosmos.Bank.V1Beta1.Balance { Address = Text(Customer) };
        balance.Coins.Add(new ProtoCoin { Denom = "udpin", Amount = GenesisSupply.ToString() });
        bankGenesis.Balances.Add(balance);
        new BankModule(Bank).InitGenesis(ctx, BankModule.FormatGenesis(bankGenesis));
        var schedule = MintKeeper.DefaultSchedule();
        schedule.EpochBlocks = epochBlocks;
        schedule.InitialEpochEmission = initialEmission.ToString();
        schedule.MaxSupply = maxSupply.ToString();
        schedule.HalvingIntervalEpochs = halving;
        // The test's authority for all three modules (a genesis param of each).
        var mintGenesisParams = new DePinChain.Protos.Depin.Mint.V1.Params(mintParams ?? MintKeeper.DefaultParams()) { Authority = Text(Authority) };
        Mint.InitGenesis(ctx, MintGenesis.Json.Format(new MintGenesisState { Params = mintGenesisParams, Schedule = schedule, Minter = MintKeeper.InitialMinter() }));
        Credits.InitGenesis(ctx, DataCreditsGenesis.Json.Format(new CreditsGenesis { Params = new(DataCreditsKeeper.DefaultParams()) { Authority = Text(Authority) } }));
        Rewards.InitGenesis(ctx, RewardsGenesis.Json.Format(new RewardsGenesisState { Params = RewardsParams(payoutDevicesPerBlock) }));
    }

    private static DePinChain.Protos.Depin.Rewards.V1.Params RewardsParams(uint payoutDevicesPerBlock)
    {
        var p = new DePinChain.Protos.Depin.Rewards.V1.Params(RewardsKeeper.DefaultParams()) { Authority = Text(Authority) };
        if (payoutDevicesPerBlock > 0) p.PayoutDevicesPerBlock = payoutDevicesPerBlock;
        return p;
    }

    /// <summary>What the devices module does when an owner hands a device over: its hook settles the device's unpaid epochs first.</summary>
    public void TransferDevice(byte[] key, byte[] newOwner)
    {
        Rewards.Keeper.SettleDevice(Current, key);
        Devices.Owners[Convert.ToHexString(key)] = newOwner;
    }

    public long EpochBlocks => Mint.Keeper.GetSchedule(Current).EpochBlocks;

    public Context Ctx(long height, IReadOnlyList<VoteInfo> votes) => new(Store,
        new BlockHeader("test-chain", height, DateTimeOffset.UnixEpoch.AddSeconds(5 * height), LastCommitVotes: votes),
        height == 0 ? ExecMode.Genesis : ExecMode.Finalize, GasMeter.Infinite(), new EventManager());

    /// <summary>A read-only-by-convention context at the last executed height.</summary>
    public Context Current => Ctx(Height, []);

    /// <summary>Executes the next block: each message on its own branch (a failure drops only that message), then end blocks.</summary>
    public (List<SdkError> Failures, Context Ctx) Block(IReadOnlyList<VoteInfo>? votes = null, params IMessage[] txs)
    {
        Height++;
        var ctx = Ctx(Height, votes ?? []);
        var failures = new List<SdkError>();
        foreach (var msg in txs)
        {
            var route = Msgs.Find(MsgRouter.TypeUrlOf(msg)) ?? throw new InvalidOperationException($"no route for {msg.Descriptor.FullName}");
            var branch = Store.Branch();
            try
            {
                route.ValidateBasic(msg);
                route.Handle(ctx.With(store: branch), msg);
                branch.Write();
            }
            catch (SdkError e) { failures.Add(e); }
        }
        Credits.EndBlock(ctx);
        Mint.EndBlock(ctx);
        Rewards.EndBlock(ctx);
        return (failures, ctx);
    }

    /// <summary>Runs empty blocks through the last block of the current epoch.</summary>
    public Context FinishEpoch(IReadOnlyList<VoteInfo>? votes = null)
    {
        Context ctx;
        do { ctx = Block(votes).Ctx; } while (!EpochMath.IsLastBlockOfEpoch(Height, EpochBlocks));
        return ctx;
    }

    public long CurrentEpoch => EpochMath.EpochOf(Height + 1, EpochBlocks);

    public BigInteger Udpin(byte[] address) => Bank.GetBalance(Current, address, "udpin");

    public BigInteger Treasury => Udpin(AuthKeys.ModuleAddress(RewardsKeys.TreasuryModuleName));

    public BigInteger Pool => Udpin(AuthKeys.ModuleAddress(RewardsKeys.ModuleName));

    public TResp Query<TResp>(string path, IMessage request, MessageParser<TResp> parser) where TResp : IMessage<TResp>
        => parser.ParseFrom(Queries.Find(path)!.Handle(Current, request.ToByteString()));

    public void AddDevice(byte[] key, byte[] owner) => Devices.Owners[Convert.ToHexString(key)] = owner;

    public void SetUnits(long epoch, byte[] key, ulong beacon, ulong witness, ulong scale = RewardCalculator.UnitScale)
    {
        if (!Coverage.Units.TryGetValue(epoch, out var list)) Coverage.Units[epoch] = list = [];
        list.Add(new CoverageUnits(key, Devices.Owners[Convert.ToHexString(key)], beacon, witness, scale));
    }
}
