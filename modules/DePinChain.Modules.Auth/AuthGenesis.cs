using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DePinChain.Modules.Auth;

/// <summary>The auth genesis (cosmos.auth.v1beta1 shape): params and accounts (BaseAccount or ModuleAccount, as Any).</summary>
public sealed class AuthGenesis(AccountKeeper keeper) : ModuleGenesis<GenesisState>(Json)
{
    /// <summary>The message types that can appear inside auth genesis and query Anys.</summary>
    public static readonly TypeRegistry Types = TypeRegistry.FromMessages(
        BaseAccount.Descriptor, ModuleAccount.Descriptor, DePinChain.Protos.Cosmos.Crypto.Secp256k1.PubKey.Descriptor);

    /// <summary>The auth <c>app_state</c> section as JSON.</summary>
    public static readonly GenesisCodec<GenesisState> Json = new(AuthKeys.ModuleName, Types);

    public override GenesisState Default() => new() { Params = AccountKeeper.DefaultParams() };

    public override void Validate(GenesisState genesis)
    {
        var p = genesis.Params ?? throw SdkErrors.InvalidRequest("auth genesis has no params");
        if (p.MaxMemoCharacters == 0) throw SdkErrors.InvalidRequest("auth params: max_memo_characters must be positive");
        if (p.TxSigLimit == 0) throw SdkErrors.InvalidRequest("auth params: tx_sig_limit must be positive");
        if (p.TxSizeCostPerByte == 0) throw SdkErrors.InvalidRequest("auth params: tx_size_cost_per_byte must be positive");
        if (p.SigVerifyCostSecp256K1 == 0) throw SdkErrors.InvalidRequest("auth params: sig_verify_cost_secp256k1 must be positive");
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        var numbers = new HashSet<ulong>();
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
        }
    }

    public override void Init(Context ctx, GenesisState genesis)
    {
        keeper.SetParams(ctx, genesis.Params);
        // Account numbers are kept as given; the counter ends one past the highest, like the SDK's InitGenesis.
        ulong next = 0;
        foreach (var any in genesis.Accounts)
        {
            var account = AccountKeeper.UnpackBase(any);
            if (account.AccountNumber == ulong.MaxValue) throw SdkErrors.InvalidRequest("auth genesis: account number overflows");
            next = Math.Max(next, account.AccountNumber + 1);
            keeper.ImportAccount(ctx, Bech32Address.Parse(account.Address), any);
        }
        keeper.SetNextAccountNumber(ctx, next);
        foreach (var m in keeper.ModuleAccounts) keeper.EnsureModuleAccount(ctx, m.Name);
    }

    public override GenesisState Export(Context ctx)
    {
        var genesis = new GenesisState { Params = keeper.GetParams(ctx) };
        genesis.Accounts.AddRange(keeper.IterateAccounts(ctx).OrderBy(a => AccountKeeper.UnpackBase(a).AccountNumber));
        return genesis;
    }
}
