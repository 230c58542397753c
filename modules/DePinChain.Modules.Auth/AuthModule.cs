using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Modules.Auth;

/// <summary>Accounts, sequences, account numbers and module accounts. No messages of its own.</summary>
public sealed class AuthModule(AccountKeeper keeper) : IModule
{
    /// <summary>The message types that can appear inside auth genesis and query Anys.</summary>
    public static readonly TypeRegistry Types = TypeRegistry.FromMessages(
        BaseAccount.Descriptor, ModuleAccount.Descriptor, DePinChain.Protos.Cosmos.Crypto.Secp256k1.PubKey.Descriptor);

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default
        .WithPreserveProtoFieldNames(true).WithFormatDefaultValues(true).WithTypeRegistry(Types));

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(Types));

    public string Name => AuthKeys.ModuleName;


    public ServiceDescriptor? MsgService => null;


    public ServiceDescriptor? QueryService => QueryReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public AccountKeeper Keeper { get; } = keeper;

    public void RegisterMessages(MsgRouter router)
    {
    }

    public void RegisterQueries(QueryRouter router)
    {
        var query = router.For(QueryService!);
        query.Register("Account", QueryAccountRequest.Parser, (ctx, req) =>
        {
            var address = Bech32Address.Parse(req.Address);
            var any = Keeper.GetAccountAny(ctx, address)
                ?? throw SdkErrors.KeyNotFound($"rpc error: code = NotFound desc = account {req.Address} not found");
            return new QueryAccountResponse { Account = any };
        });
        query.Register("AccountInfo", QueryAccountInfoRequest.Parser, (ctx, req) =>
        {
            var account = Keeper.GetAccount(ctx, Bech32Address.Parse(req.Address))
                ?? throw SdkErrors.KeyNotFound($"rpc error: code = NotFound desc = account {req.Address} not found");
            return new QueryAccountInfoResponse { Info = account };
        });
        query.Register("Params", QueryParamsRequest.Parser,
            (ctx, _) => new QueryParamsResponse { Params = Keeper.GetParams(ctx) });
        query.Register("ModuleAccountByName", QueryModuleAccountByNameRequest.Parser, (ctx, req) =>
        {
            if (Keeper.ModuleAccounts.All(m => m.Name != req.Name))
                throw SdkErrors.KeyNotFound($"rpc error: code = NotFound desc = module account {req.Name} not found");
            var any = Keeper.GetAccountAny(ctx, AuthKeys.ModuleAddress(req.Name))
                ?? throw SdkErrors.KeyNotFound($"rpc error: code = NotFound desc = module account {req.Name} not found");
            return new QueryModuleAccountByNameResponse { Account = any };
        });
        query.Register("Bech32Prefix", Bech32PrefixRequest.Parser,
            (_, _) => new Bech32PrefixResponse { Bech32Prefix = Bech32Address.AccountPrefix });
    }

    public string DefaultGenesis() => Formatter.Format(new GenesisState { Params = AccountKeeper.DefaultParams() });

    public static GenesisState ParseGenesis(string json)
    {
        try
        {
            return Parser.Parse<GenesisState>(json);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            throw SdkErrors.JsonUnmarshal($"auth genesis: {e.Message}");
        }
    }

    public static string FormatGenesis(GenesisState genesis) => Formatter.Format(genesis);

    public void ValidateGenesis(string json) => Validate(ParseGenesis(json));

    private static List<BaseAccount> Validate(GenesisState genesis)
    {
        var p = genesis.Params ?? throw SdkErrors.InvalidRequest("auth genesis has no params");
        if (p.MaxMemoCharacters == 0) throw SdkErrors.InvalidRequest("auth params: max_memo_characters must be positive");
        if (p.TxSigLimit == 0) throw SdkErrors.InvalidRequest("auth params: tx_sig_limit must be positive");
        if (p.TxSizeCostPerByte == 0) throw SdkErrors.InvalidRequest("auth params: tx_size_cost_per_byte must be positive");
        if (p.SigVerifyCostSecp256K1 == 0) throw SdkErrors.InvalidRequest("auth params: sig_verify_cost_secp256k1 must be positive");
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        var numbers = new HashSet<ulong>();
        var accounts = new List<BaseAccount>();
        foreach (var any in genesis.Accounts)
        {
            BaseAccount account;
            try { account = AccountKeeper.UnpackBase(any); }
            catch (Exception e) when (e is InvalidDataException or InvalidProtocolBufferException)
            {
                throw SdkErrors.InvalidType($"auth genesis account: {e.Message}");
            }
            Bech32Address.Parse(account.Address);
            if (!addresses.Add(account.Address)) throw SdkErrors.InvalidRequest($"duplicate account found in genesis state; address: {account.Address}");
            if (!numbers.Add(account.AccountNumber)) throw SdkErrors.InvalidRequest($"duplicate account number {account.AccountNumber} in genesis state");
            accounts.Add(account);
        }
        return accounts;
    }

    public void InitGenesis(Context ctx, string json)
    {
        var genesis = ParseGenesis(json);
        Validate(genesis);
        Keeper.SetParams(ctx, genesis.Params);
        // Account numbers are kept as given; the counter ends one past the highest, like the SDK's InitGenesis.
        ulong next = 0;
        foreach (var any in genesis.Accounts)
        {
            var account = AccountKeeper.UnpackBase(any);
            if (account.AccountNumber == ulong.MaxValue) throw SdkErrors.InvalidRequest("auth genesis: account number overflows");
            next = Math.Max(next, account.AccountNumber + 1);
            var address = Bech32Address.Parse(account.Address);
            ctx.KVStore(AuthKeys.ModuleName).Set(AuthKeys.AccountKey(address), any.ToByteArray());
        }
        Keeper.SetNextAccountNumber(ctx, next);
        foreach (var m in Keeper.ModuleAccounts) Keeper.EnsureModuleAccount(ctx, m.Name);
    }

    public string ExportGenesis(Context ctx)
    {
        var genesis = new GenesisState { Params = Keeper.GetParams(ctx) };
        genesis.Accounts.AddRange(Keeper.IterateAccounts(ctx).OrderBy(a => AccountKeeper.UnpackBase(a).AccountNumber));
        return Formatter.Format(genesis);
    }

    /// <summary>A genesis account entry for a fresh address (no pubkey, sequence 0).</summary>
    public static Any GenesisAccount(byte[] address, ulong accountNumber)
        => Any.Pack(new BaseAccount { Address = Bech32Address.ToBech32(address), AccountNumber = accountNumber }, "");
}
