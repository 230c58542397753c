using System.Numerics;
using DePinChain.App;
using DePinChain.Modules.Auth;
using DePinChain.Modules.Bank;
using DePinChain.Modules.Tests;
using DePinChain.Protos.Depin.Mint.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using BankGenesis = DePinChain.Protos.Cosmos.Bank.V1Beta1.GenesisState;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;

namespace DePinChain.Modules.Mint.Tests;

/// <summary>Auth + bank + mint on an in-memory store, driven block by block through mint's end block.</summary>
internal sealed class MintChain
{
    public const string Pool = "rewards";
    public static readonly byte[] Authority = TestState.Address(0xAA);
    public static readonly byte[] Alice = TestState.Address(1);

    public SortedMultiStore Store { get; } = new(AuthKeys.ModuleName, BankKeys.ModuleName, MintKeys.ModuleName);
    public AccountKeeper Accounts { get; }
    public BankKeeper Bank { get; }
    public MintModule Mint { get; }
    public MsgRouter Msgs { get; } = new();
    public QueryRouter Queries { get; } = new();
    public long Height { get; private set; }

    public MintChain(Schedule schedule, Params? p = null, BigInteger? aliceBalance = null, MintModule? reuse = null)
    {
        Accounts = new AccountKeeper([new(AuthKeys.FeeCollectorName), new(MintKeys.ModuleName, AuthKeys.Minter), new(Pool), new("burner", AuthKeys.Burner)]);
        Bank = new BankKeeper(new AccountsBridge(Accounts));
        Mint = new MintModule(new MintKeeper(new BankBridge(Bank), Pool));
        Mint.RegisterMessages(Msgs);
        Mint.RegisterQueries(Queries);
        var ctx = Ctx(0);
        var auth = new AuthModule(Accounts);
        auth.InitGenesis(ctx, auth.DefaultGenesis());
        var bankGenesis = new BankGenesis { Params = BankKeeper.DefaultParams() };
        var balance = new DePinChain.Protos.Cosmos.Bank.V1Beta1.Balance { Address = Bech32Address.ToBech32(Alice) };
        balance.Coins.Add(new ProtoCoin { Denom = schedule.MintDenom, Amount = (aliceBalance ?? 1_000).ToString() });
        bankGenesis.Balances.Add(balance);
        new BankModule(Bank).InitGenesis(ctx, BankModule.FormatGenesis(bankGenesis));
        Mint.InitGenesis(ctx, MintGenesis.Json.Format(new GenesisState { Params = WithAuthority(p ?? MintKeeper.DefaultParams()), Schedule = schedule, Minter = MintKeeper.InitialMinter() }));
    }

    /// <summary>The params with <see cref="Authority"/> as authority unless they name one.</summary>
    public static Params WithAuthority(Params p)
        => p.Authority.Length > 0 && p.Authority != ModuleAuthority.Default ? p : new Params(p) { Authority = Bech32Address.ToBech32(Authority) };

    public static Schedule SmallSchedule(long epochBlocks = 2, long initial = 1_000, long halving = 3, long maxSupply = 1_000_000) => new()
    {
        MintDenom = "udpin", EpochBlocks = epochBlocks, InitialEpochEmission = initial.ToString(), HalvingIntervalEpochs = halving, MaxSupply = maxSupply.ToString(),
    };

    public Context Ctx(long height) => new(Store, new BlockHeader("test-chain", height, DateTimeOffset.UnixEpoch.AddSeconds(5 * height)),
        height == 0 ? ExecMode.Genesis : ExecMode.Finalize, GasMeter.Infinite(), new EventManager());

    public Context Current => Ctx(Height);

    /// <summary>Runs end blocks up to and including <paramref name="height"/>; returns the events of the last.</summary>
    public Context RunTo(long height)
    {
        Context ctx = Current;
        while (Height < height)
        {
            Height++;
            ctx = Ctx(Height);
            Mint.EndBlock(ctx);
        }
        return ctx;
    }

    /// <summary>Runs until the end of epoch <paramref name="epoch"/>.</summary>
    public Context RunThroughEpoch(long epoch) => RunTo(EpochMath.LastHeight(epoch, Mint.Keeper.GetSchedule(Current).EpochBlocks));

    public BigInteger PoolBalance => Bank.GetBalance(Current, AuthKeys.ModuleAddress(Pool), "udpin");

    public BigInteger Supply => Bank.GetSupply(Current, "udpin");

    public IMessage Execute(IMessage msg)
    {
        var route = Msgs.Find(MsgRouter.TypeUrlOf(msg))!;
        route.ValidateBasic(msg);
        return route.Handle(Current, msg);
    }

    public TResp Query<TResp>(string path, IMessage request, MessageParser<TResp> parser) where TResp : IMessage<TResp>
        => parser.ParseFrom(Queries.Find(path)!.Handle(Current, request.ToByteString()));

    /// <summary>Burns from Alice through a burner module account and tells mint, as data credits does.</summary>
    public void Burn(BigInteger amount)
    {
        var coins = Coins.Of(new Coin("udpin", amount));
        Bank.SendCoinsFromAccountToModule(Current, Alice, "burner", coins);
        Bank.BurnCoins(Current, "burner", coins);
        Mint.Keeper.RecordBurn(Current, amount);
    }
}
