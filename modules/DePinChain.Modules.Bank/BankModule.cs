using DePinChain.Store.Backend;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;

namespace DePinChain.Modules.Bank;

/// <summary>Balances and supply; messages MsgSend and MsgMultiSend; the cosmos.bank.v1beta1 queries.</summary>
public sealed class BankModule(BankKeeper keeper) : IModule
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default
        .WithPreserveProtoFieldNames(true).WithFormatDefaultValues(true));

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);

    public string Name => BankKeys.ModuleName;


    public ServiceDescriptor? MsgService => TxReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Msg");


    public ServiceDescriptor? QueryService => QueryReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public BankKeeper Keeper { get; } = keeper;

    public void RegisterMessages(MsgRouter router)
    {
        router.Register(MsgSend.Parser, ValidateSend, HandleSend);
        router.Register(MsgMultiSend.Parser, ValidateMultiSend, HandleMultiSend);
    }

    public static void ValidateSend(MsgSend msg)
    {
        Bech32Address.Parse(msg.FromAddress);
        try { Bech32Address.Parse(msg.ToAddress); }
        catch (SdkError e) { throw e.Wrap("invalid to address"); }
        RequirePositive(msg.Amount);
    }

    private static Coins RequirePositive(IEnumerable<ProtoCoin> amount)
    {
        var coins = Coins.FromProto(amount);
        if (coins.IsEmpty) throw SdkErrors.InvalidCoins("empty amount");
        return coins;
    }

    private IMessage HandleSend(Context ctx, MsgSend msg)
    {
        var amount = Coins.FromProto(msg.Amount);
        var from = Bech32Address.Parse(msg.FromAddress);
        var to = Bech32Address.Parse(msg.ToAddress);
        Keeper.RequireKnownDenoms(ctx, amount);
        if (Keeper.Accounts.IsModuleAddress(to))
            throw SdkErrors.Unauthorized($"{msg.ToAddress} is not allowed to receive funds");
        Keeper.SendCoins(ctx, from, to, amount);
        return new MsgSendResponse();
    }

    public static void ValidateMultiSend(MsgMultiSend msg)
    {
        // As in SDK v0.50: exactly one input, at least one output, and the sums must match per denom.
        if (msg.Inputs.Count == 0) throw BankErrors.NoInputs();
        if (msg.Inputs.Count != 1) throw BankErrors.MultipleSenders();
        if (msg.Outputs.Count == 0) throw BankErrors.NoOutputs();
        Bech32Address.Parse(msg.Inputs[0].Address);
        var inputs = RequirePositive(msg.Inputs[0].Coins);
        var outputs = Coins.Empty;
        foreach (var output in msg.Outputs)
        {
            Bech32Address.Parse(output.Address);
            outputs = outputs.Add(RequirePositive(output.Coins));
        }
        if (!inputs.Equals(outputs)) throw BankErrors.InputOutputMismatch($"inputs {inputs} outputs {outputs}");
    }

    private IMessage HandleMultiSend(Context ctx, MsgMultiSend msg)
    {
        Keeper.RequireKnownDenoms(ctx, Coins.FromProto(msg.Inputs[0].Coins));
        var outputs = new List<(byte[], Coins)>(msg.Outputs.Count);
        foreach (var output in msg.Outputs)
        {
            var to = Bech32Address.Parse(output.Address);
            if (Keeper.Accounts.IsModuleAddress(to))
                throw SdkErrors.Unauthorized($"{output.Address} is not allowed to receive funds");
            outputs.Add((to, Coins.FromProto(output.Coins)));
        }
        Keeper.InputOutputCoins(ctx, msg.Inputs[0], outputs);
        return new MsgMultiSendResponse();
    }

    public void RegisterQueries(QueryRouter router)
    {
        var query = router.For(QueryService!);
        query.Register("Balance", QueryBalanceRequest.Parser, (ctx, req) =>
        {
            var address = Bech32Address.Parse(req.Address);
            if (!Coins.IsValidDenom(req.Denom)) throw SdkErrors.InvalidCoins($"invalid denom: \"{req.Denom}\"");
            return new QueryBalanceResponse
            {
                Balance = new ProtoCoin { Denom = req.Denom, Amount = Keeper.GetBalance(ctx, address, req.Denom).ToString() },
            };
        });
        query.Register("AllBalances", QueryAllBalancesRequest.Parser, (ctx, req) =>
        {
            var balances = Keeper.GetAllBalances(ctx, Bech32Address.Parse(req.Address));
            var response = new QueryAllBalancesResponse
            {
                Pagination = new() { Total = (ulong)balances.Items.Count },
            };
            response.Balances.AddRange(balances.ToProto());
            return response;
        });
        query.Register("TotalSupply", QueryTotalSupplyRequest.Parser, (ctx, _) =>
        {
            var supply = Keeper.GetTotalSupply(ctx);
            var response = new QueryTotalSupplyResponse { Pagination = new() { Total = (ulong)supply.Items.Count } };
            response.Supply.AddRange(supply.ToProto());
            return response;
        });
        query.Register("SupplyOf", QuerySupplyOfRequest.Parser, (ctx, req) =>
        {
            if (!Coins.IsValidDenom(req.Denom)) throw SdkErrors.InvalidCoins($"invalid denom: \"{req.Denom}\"");
            return new QuerySupplyOfResponse
            {
                Amount = new ProtoCoin { Denom = req.Denom, Amount = Keeper.GetSupply(ctx, req.Denom).ToString() },
            };
        });
        query.Register("Params", QueryParamsRequest.Parser,
            (ctx, _) => new QueryParamsResponse { Params = Keeper.GetParams(ctx) });
        query.Register("DenomMetadata", QueryDenomMetadataRequest.Parser, (ctx, req) =>
        {
            var bytes = ctx.KVStore(BankKeys.ModuleName).Get(BankKeys.DenomMetadataKey(req.Denom))
                ?? throw SdkErrors.KeyNotFound($"rpc error: code = NotFound desc = client metadata for denom {req.Denom}");
            return new QueryDenomMetadataResponse { Metadata = Metadata.Parser.ParseFrom(bytes) };
        });
    }

    public string DefaultGenesis() => Formatter.Format(new GenesisState { Params = BankKeeper.DefaultParams() });

    public static GenesisState ParseGenesis(string json)
    {
        try
        {
            return Parser.Parse<GenesisState>(json);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            throw SdkErrors.JsonUnmarshal($"bank genesis: {e.Message}");
        }
    }

    public static string FormatGenesis(GenesisState genesis) => Formatter.Format(genesis);

    public void ValidateGenesis(string json) => Validate(ParseGenesis(json));

    /// <summary>Checks balances and supply; returns the validated balances and the supply they add up to.</summary>
    private static (List<(byte[] Address, Coins Coins)> Balances, Coins Supply) Validate(GenesisState genesis)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var balances = new List<(byte[], Coins)>();
        var total = Coins.Empty;
        foreach (var balance in genesis.Balances)
        {
            byte[] address;
            Coins coins;
            try
            {
                address = Bech32Address.Parse(balance.Address);
                coins = Coins.FromProto(balance.Coins);
            }
            catch (SdkError e)
            {
                throw e.Wrap($"bank genesis balance of {balance.Address}");
            }
            if (!seen.Add(balance.Address)) throw SdkErrors.InvalidRequest($"duplicate balance for address {balance.Address}");
            balances.Add((address, coins));
            total = total.Add(coins);
        }
        if (genesis.Supply.Count > 0)
        {
            var declared = Coins.FromProto(genesis.Supply);
            if (!declared.Equals(total))
                throw SdkErrors.InvalidCoins($"genesis supply is incorrect, expected {total}, got {declared}");
        }
        foreach (var metadata in genesis.DenomMetadata) Coins.ValidateDenom(metadata.Base);
        return (balances, total);
    }

    public void InitGenesis(Context ctx, string json)
    {
        var genesis = ParseGenesis(json);
        var (balances, supply) = Validate(genesis);
        Keeper.SetParams(ctx, genesis.Params ?? BankKeeper.DefaultParams());
        foreach (var (address, coins) in balances)
            foreach (var c in coins.Items) Keeper.SetBalance(ctx, address, c.Denom, c.Amount);
        foreach (var c in supply.Items) Keeper.SetSupply(ctx, c.Denom, c.Amount);
        foreach (var metadata in genesis.DenomMetadata)
            ctx.KVStore(BankKeys.ModuleName).Set(BankKeys.DenomMetadataKey(metadata.Base), metadata.ToByteArray());
    }

    public string ExportGenesis(Context ctx)
    {
        var genesis = new GenesisState { Params = Keeper.GetParams(ctx) };
        foreach (var (address, coins) in Keeper.IterateAllBalances(ctx))
        {
            var balance = new Balance { Address = Bech32Address.ToBech32(address) };
            balance.Coins.AddRange(coins.ToProto());
            genesis.Balances.Add(balance);
        }
        genesis.Supply.AddRange(Keeper.GetTotalSupply(ctx).ToProto());
        byte[] prefix = [BankKeys.DenomMetadataPrefix];
        foreach (var (_, value) in ctx.KVStore(BankKeys.ModuleName).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
            genesis.DenomMetadata.Add(Metadata.Parser.ParseFrom(value));
        return Formatter.Format(genesis);
    }
}
