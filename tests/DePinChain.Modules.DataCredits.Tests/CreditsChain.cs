using System.Numerics;
using DePinChain.App;
using DePinChain.Modules.Auth;
using DePinChain.Modules.Bank;
using DePinChain.Modules.Mint;
using DePinChain.Modules.Tests;
using DePinChain.Protos.Depin.DataCredits.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using BankGenesis = DePinChain.Protos.Cosmos.Bank.V1Beta1.GenesisState;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;

namespace DePinChain.Modules.DataCredits.Tests;

/// <summary>A device registry for tests: device key (hex) → owner.</summary>
internal sealed class FakeDevices : IDeviceDirectory
{
    public SortedDictionary<string, byte[]> Owners { get; } = new(StringComparer.Ordinal);

    public byte[]? GetActiveDeviceOwner(Context ctx, ReadOnlySpan<byte> deviceKey) => Owners.GetValueOrDefault(Convert.ToHexString(deviceKey));
}

/// <summary>Auth + bank + mint + data credits on an in-memory store; every tx runs on its own branch.</summary>
internal sealed class CreditsChain
{
    public static readonly byte[] Authority = TestState.Address(0xAA);
    public static readonly byte[] Alice = TestState.Address(1);
    public static readonly byte[] Bob = TestState.Address(2);
    public static readonly byte[] RouterAddress = TestState.Address(0x40);
    public static readonly byte[] Device = [0x02, .. Enumerable.Repeat((byte)7, 32)];
    public static string Text(byte[] address) => Bech32Address.ToBech32(address);

    public SortedMultiStore Store { get; } = new(AuthKeys.ModuleName, BankKeys.ModuleName, MintKeys.ModuleName, DataCreditsKeys.ModuleName);
    public BankKeeper Bank { get; }
    public MintModule Mint { get; }
    public DataCreditsModule Credits { get; }
    public FakeDevices Devices { get; } = new();
    public MsgRouter Msgs { get; } = new();
    public QueryRouter Queries { get; } = new();
    public long Height { get; private set; } = 1;

    public CreditsChain(long epochBlocks = 10, Params? p = null)
    {
        var accounts = new AccountKeeper([new(AuthKeys.FeeCollectorName), new(MintKeys.ModuleName, AuthKeys.Minter), new("rewards"),
            new(DataCreditsKeys.ModuleName, AuthKeys.Burner)]);
        Bank = new BankKeeper(new AccountsBridge(accounts));
        var mintKeeper = new MintKeeper(new BankBridge(Bank), "rewards");
        Mint = new MintModule(mintKeeper);
        var mint = new MintBridge(mintKeeper);
        Credits = new DataCreditsModule(new DataCreditsKeeper(new BankBridge(Bank), mint, mint, Devices, MintKeys.DefaultDenom));
        Credits.RegisterMessages(Msgs);
        Credits.RegisterQueries(Queries);
        Devices.Owners[Convert.ToHexString(Device)] = Bob;

        var ctx = Ctx(0);
        var auth = new AuthModule(accounts);
        auth.InitGenesis(ctx, auth.DefaultGenesis());
        var bankGenesis = new BankGenesis { Params = BankKeeper.DefaultParams() };
        var balance = new DePinChain.Protos.Cosmos.Bank.V1Beta1.Balance { Address = Text(Alice) };
        balance.Coins.Add(new ProtoCoin { Denom = "udpin", Amount = "10000000" });
        bankGenesis.Balances.Add(balance);
        new BankModule(Bank).InitGenesis(ctx, BankModule.FormatGenesis(bankGenesis));
        var schedule = MintKeeper.DefaultSchedule();
        schedule.EpochBlocks = epochBlocks;
        Mint.InitGenesis(ctx, MintGenesis.Json.Format(new DePinChain.Protos.Depin.Mint.V1.GenesisState { Params = MintKeeper.DefaultParams(), Schedule = schedule, Minter = MintKeeper.InitialMinter() }));
        var creditParams = p ?? DataCreditsKeeper.DefaultParams();
        if (creditParams.Authority.Length == 0 || creditParams.Authority == ModuleAuthority.Default) creditParams = new Params(creditParams) { Authority = Text(Authority) };
        Credits.InitGenesis(ctx, DataCreditsGenesis.Json.Format(new GenesisState { Params = creditParams }));
    }

    public Context Ctx(long height) => new(Store, new BlockHeader("test-chain", height, DateTimeOffset.UnixEpoch.AddSeconds(5 * height)),
        height == 0 ? ExecMode.Genesis : ExecMode.Finalize, GasMeter.Infinite(), new EventManager());

    public Context Current => Ctx(Height);

    public void NextBlocks(long count)
    {
        for (long i = 0; i < count; i++)
        {
            var ctx = Ctx(Height);
            Credits.EndBlock(ctx);
            Mint.EndBlock(ctx);
            Height++;
        }
    }

    /// <summary>Delivers one message like a tx: validate, handle on a branch, keep the branch only on success.</summary>
    public (IMessage Response, IReadOnlyList<SdkEvent> Events) Execute(IMessage msg)
    {
        var route = Msgs.Find(MsgRouter.TypeUrlOf(msg)) ?? throw new InvalidOperationException("no route");
        route.ValidateBasic(msg);
        var branch = Store.Branch();
        var events = new EventManager();
        var response = route.Handle(Current.With(store: branch, events: events), msg);
        branch.Write();
        return (response, events.Events);
    }

    public TResp Query<TResp>(string path, IMessage request, MessageParser<TResp> parser) where TResp : IMessage<TResp>
        => parser.ParseFrom(Queries.Find(path)!.Handle(Current, request.ToByteString()));

    public BigInteger Udpin(byte[] address) => Bank.GetBalance(Current, address, "udpin");

    public ulong Dc(byte[] owner) => Credits.Keeper.GetBalance(Current, owner);

    public void RegisterRouter() => Execute(new MsgRegisterRouter { Authority = Text(Authority), Router = Text(RouterAddress), Name = "router-1" });

    public void Buy(byte[] who, long udpin) => Execute(new MsgBurnForCredits { Sender = Text(who), Amount = udpin.ToString() });
}
