using System.Numerics;
using DePinChain.App;
using DePinChain.Crypto;
using DePinChain.Modules.Auth;
using DePinChain.Modules.Bank;
using DePinChain.Modules.Tests;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Sdk;
using DePinChain.Store;
using Google.Protobuf;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;

namespace DePinChain.Modules.Devices.Tests;

/// <summary>
/// A block/tx driver over the modules, standing in for the app until it lands: each message runs on
/// its own branch written back only on success (as BaseApp does), end-block hooks run in module order.
/// It does not check tx signatures; signer rules are the messages' GetSigners, tested where the app is.
/// </summary>
public sealed class ModuleChain
{
    public const string Denom = "udpin";
    private readonly SortedMultiStore _state;
    private readonly List<IModule> _modules;
    public MsgRouter Msgs { get; } = new();
    public QueryRouter Queries { get; } = new();
    public AccountKeeper Accounts { get; }
    public BankKeeper Bank { get; }
    public string ChainId { get; }
    public long Height { get; private set; } = 1;

    public ModuleChain(string chainId, IEnumerable<(byte[] Address, long Amount)> balances, Func<BankBridge, IEnumerable<IModule>> modules,
        IReadOnlyDictionary<string, string>? genesis = null)
    {
        ChainId = chainId;
        Accounts = new AccountKeeper([new(AuthKeys.FeeCollectorName), new(DevicesKeys.ModuleName, AuthKeys.Burner)]);
        Bank = new BankKeeper(new AccountsBridge(Accounts));
        var auth = new AuthModule(Accounts);
        var bank = new BankModule(Bank);
        _modules = [auth, bank, .. modules(new BankBridge(Bank))];
        _state = new SortedMultiStore([.. _modules.Select(m => m.Name)]);
        foreach (var m in _modules) { m.RegisterMessages(Msgs); m.RegisterQueries(Queries); }

        var ctx = Context();
        var bankGenesis = new GenesisState { Params = BankKeeper.DefaultParams() };
        foreach (var (address, amount) in balances)
        {
            var balance = new Balance { Address = Bech32Address.ToBech32(address) };
            balance.Coins.Add(new ProtoCoin { Denom = Denom, Amount = amount.ToString() });
            bankGenesis.Balances.Add(balance);
        }
        foreach (var m in _modules)
        {
            var json = m == bank ? BankModule.FormatGenesis(bankGenesis) : genesis?.GetValueOrDefault(m.Name) ?? m.DefaultGenesis();
            m.ValidateGenesis(json);
            m.InitGenesis(ctx, json);
        }
    }

    public Context Context(IMultiStore? store = null) =>
        new(store ?? _state, new BlockHeader(ChainId, Height, DateTimeOffset.UnixEpoch.AddSeconds(Height * 5), BlockHashOf(Height)), ExecMode.Finalize, GasMeter.Infinite(), new EventManager());

    /// <summary>Runs one message like a tx: stateless checks, then the handler on a branch kept only on success.</summary>
    public (uint Code, string Codespace, string Log, IMessage? Response) Execute(IMessage msg)
    {
        var route = Msgs.Find(MsgRouter.TypeUrlOf(msg)) ?? throw new InvalidOperationException("no route for " + MsgRouter.TypeUrlOf(msg));
        var branch = _state.Branch();
        try
        {
            route.ValidateBasic(msg);
            route.GetSigners(msg);
            var response = route.Handle(Context(branch), msg);
            branch.Write();
            return (0, "", "", response);
        }
        catch (SdkError e)
        {
            return (e.Code, e.Codespace, e.Message, null);
        }
    }

    public IMessage ExecuteOk(IMessage msg)
    {
        var (code, codespace, log, response) = Execute(msg);
        if (code != 0) throw new InvalidOperationException($"{msg.Descriptor.Name} failed: {codespace}/{code}: {log}");
        return response!;
    }

    /// <summary>Ends the current block (end-block hooks in module order) and starts the next.</summary>
    public void EndBlock()
    {
        var ctx = Context();
        foreach (var m in _modules) if (m is IEndBlocker e) e.EndBlock(ctx);
        Height++;
    }

    /// <summary>The hash this harness gives block <paramref name="height"/>.</summary>
    public static byte[] BlockHashOf(long height) => Hashes.Sha256(BitConverter.GetBytes(height));

    public TResp Query<TResp>(string path, IMessage request, MessageParser<TResp> parser) where TResp : IMessage<TResp>
    {
        var route = Queries.Find(path) ?? throw new InvalidOperationException("no query " + path);
        return parser.ParseFrom(route.Handle(Context(), request.ToByteString()));
    }

    public BigInteger Balance(byte[] address) => Bank.GetBalance(Context(), address, Denom);

    public BigInteger Supply() => Bank.GetSupply(Context(), Denom);

    /// <summary>A snapshot of every store, to prove a failed message changed nothing.</summary>
    public string Snapshot() => string.Join("\n", _modules.Select(m =>
        m.Name + ":" + string.Join(",", _state.GetStore(m.Name).Iterate(null, null).Select(kv => Convert.ToHexString(kv.Key) + "=" + Convert.ToHexString(kv.Value)))));

    public string ExportGenesis(string module) => _modules.Single(m => m.Name == module).ExportGenesis(Context());
}
