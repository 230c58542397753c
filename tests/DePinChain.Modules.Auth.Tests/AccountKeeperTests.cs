using DePinChain.Modules.Auth;
using DePinChain.Modules.Tests;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.Modules.Auth.Tests;

public class AccountKeeperTests
{
    private static (AuthModule Module, Context Ctx) Setup()
    {
        var keeper = new AccountKeeper([new(AuthKeys.FeeCollectorName), new("mint", AuthKeys.Minter)]);
        return (new AuthModule(keeper), TestState.NewContext(AuthKeys.ModuleName));
    }

    [Fact]
    public void New_accounts_get_increasing_account_numbers()
    {
        var (module, ctx) = Setup();
        var a = module.Keeper.CreateAccount(ctx, TestState.Address(1));
        var b = module.Keeper.CreateAccount(ctx, TestState.Address(2));
        Assert.Equal(0UL, a.AccountNumber);
        Assert.Equal(1UL, b.AccountNumber);
        Assert.Equal(b, module.Keeper.GetAccount(ctx, TestState.Address(2)));
        Assert.Null(module.Keeper.GetAccount(ctx, TestState.Address(3)));
    }

    [Fact]
    public void A_stored_account_is_the_packed_any_of_the_account()
    {
        var (module, ctx) = Setup();
        var account = module.Keeper.CreateAccount(ctx, TestState.Address(7));
        account.Sequence = 300;
        account.PubKey = Google.Protobuf.WellKnownTypes.Any.Pack(new DePinChain.Protos.Cosmos.Crypto.Secp256k1.PubKey
        {
            Key = ByteString.CopyFrom(Enumerable.Range(0, 33).Select(i => (byte)(i + 2)).ToArray()),
        }, "");
        module.Keeper.SetAccount(ctx, account);

        byte[] stored = ctx.KVStore(AuthKeys.ModuleName).Get([0x01, .. TestState.Address(7)])!;
        Assert.Equal(Google.Protobuf.WellKnownTypes.Any.Pack(account, "").ToByteArray(), stored);
    }

    [Fact]
    public void Accounts_read_back_equal_what_was_stored_whatever_their_shape()
    {
        var (module, ctx) = Setup();
        module.InitGenesis(ctx, module.DefaultGenesis());
        var store = ctx.KVStore(AuthKeys.ModuleName);
        var plain = module.Keeper.CreateAccount(ctx, TestState.Address(1)); // value under 128 bytes
        var withKey = module.Keeper.CreateAccount(ctx, TestState.Address(2));
        withKey.Sequence = ulong.MaxValue;
        withKey.PubKey = Google.Protobuf.WellKnownTypes.Any.Pack(new DePinChain.Protos.Cosmos.Crypto.Secp256k1.PubKey
        {
            Key = ByteString.CopyFrom(Enumerable.Range(0, 33).Select(i => (byte)(i + 2)).ToArray()),
        }, "");
        module.Keeper.SetAccount(ctx, withKey); // value over 128 bytes: a two-byte length
        Assert.Equal(plain, module.Keeper.GetAccount(ctx, TestState.Address(1)));
        Assert.Equal(withKey, module.Keeper.GetAccount(ctx, TestState.Address(2)));

        // Other shapes a client or an older writer could have stored: an extra field, fields swapped, a module account.
        var any = Google.Protobuf.WellKnownTypes.Any.Pack(withKey, "");
        store.Set([0x01, .. TestState.Address(3)], [.. any.ToByteArray(), 0x18, 0x01]);
        store.Set([0x01, .. TestState.Address(4)], [.. new Google.Protobuf.WellKnownTypes.Any { Value = any.Value }.ToByteArray(),
            .. new Google.Protobuf.WellKnownTypes.Any { TypeUrl = any.TypeUrl }.ToByteArray()]);
        Assert.Equal(withKey, module.Keeper.GetAccount(ctx, TestState.Address(3)));
        Assert.Equal(withKey, module.Keeper.GetAccount(ctx, TestState.Address(4)));
        Assert.Equal(AuthKeys.ModuleAddress(AuthKeys.FeeCollectorName),
            Bech32Address.Parse(module.Keeper.GetAccount(ctx, AuthKeys.ModuleAddress(AuthKeys.FeeCollectorName))!.Address));

        // A truncated account fails the same way on either path.
        byte[] stored = store.Get([0x01, .. TestState.Address(2)])!;
        store.Set([0x01, .. TestState.Address(5)], stored[..^1]);
        Assert.Throws<InvalidProtocolBufferException>(() => module.Keeper.GetAccount(ctx, TestState.Address(5)));
    }

    [Fact]
    public void Module_account_address_is_the_sdk_derivation()
    {
        // The fee collector's address is the same on every Cosmos chain: cosmos17xpfvakm2amg962yls6f84z3kell8c5lserqta.
        Assert.Equal("F1829676DB577682E944FC3493D451B67FF3E29F", Convert.ToHexString(AuthKeys.ModuleAddress("fee_collector")));
    }

    [Fact]
    public void Module_accounts_are_created_at_genesis_and_are_blocked()
    {
        var (module, ctx) = Setup();
        module.InitGenesis(ctx, module.DefaultGenesis());
        var fee = module.Keeper.GetAccountAny(ctx, AuthKeys.ModuleAddress(AuthKeys.FeeCollectorName));
        Assert.NotNull(fee);
        Assert.Equal(AuthKeys.ModuleAccountTypeUrl, fee.TypeUrl);
        Assert.True(module.Keeper.IsModuleAddress(AuthKeys.ModuleAddress("mint")));
        Assert.False(module.Keeper.IsModuleAddress(TestState.Address(1)));
        Assert.True(module.Keeper.HasPermission("mint", AuthKeys.Minter));
        Assert.False(module.Keeper.HasPermission(AuthKeys.FeeCollectorName, AuthKeys.Minter));
    }

    [Fact]
    public void Genesis_json_has_the_cosmos_shape_and_round_trips()
    {
        var (module, ctx) = Setup();
        string json = $$"""
        {"params":{"max_memo_characters":"256","tx_sig_limit":"7","tx_size_cost_per_byte":"10","sig_verify_cost_ed25519":"590","sig_verify_cost_secp256k1":"1000"},
         "accounts":[{"@type":"/cosmos.auth.v1beta1.BaseAccount","address":"{{Bech32Address.ToBech32(TestState.Address(7))}}","pub_key":null,"account_number":"5","sequence":"0"}]}
        """;
        module.ValidateGenesis(json);
        module.InitGenesis(ctx, json);
        Assert.Equal(5UL, module.Keeper.GetAccount(ctx, TestState.Address(7))!.AccountNumber);
        // The counter continues after the highest genesis number; module accounts took 6 and 7.
        Assert.Equal(8UL, module.Keeper.CreateAccount(ctx, TestState.Address(8)).AccountNumber);

        string exported = module.ExportGenesis(ctx);
        Assert.Contains("\"account_number\": \"5\"", exported);
        Assert.Contains("\"@type\": \"/cosmos.auth.v1beta1.BaseAccount\"", exported);
        var (again, ctx2) = Setup();
        again.InitGenesis(ctx2, exported);
        Assert.Equal(exported, again.ExportGenesis(ctx2));
    }

    [Fact]
    public void Genesis_with_duplicate_addresses_is_invalid()
    {
        var (module, _) = Setup();
        var genesis = new GenesisState { Params = AccountKeeper.DefaultParams() };
        genesis.Accounts.Add(AuthModule.GenesisAccount(TestState.Address(1), 0));
        genesis.Accounts.Add(AuthModule.GenesisAccount(TestState.Address(1), 1));
        var error = Assert.Throws<SdkError>(() => module.ValidateGenesis(AuthModule.FormatGenesis(genesis)));
        Assert.Contains("duplicate account", error.Message);
    }

    [Fact]
    public void Genesis_that_is_not_json_is_a_clear_error()
    {
        var (module, _) = Setup();
        var error = Assert.Throws<SdkError>(() => module.ValidateGenesis("{\"params\": 5"));
        Assert.Equal(SdkErrors.JsonUnmarshalCode, error.Code);
    }

    [Fact]
    public void Account_query_returns_an_any_packed_base_account_or_not_found()
    {
        var (module, ctx) = Setup();
        var router = new QueryRouter();
        module.RegisterQueries(router);
        module.Keeper.CreateAccount(ctx, TestState.Address(1));
        var route = router.Find("/cosmos.auth.v1beta1.Query/Account")!;

        var request = new QueryAccountRequest { Address = Bech32Address.ToBech32(TestState.Address(1)) };
        var response = QueryAccountResponse.Parser.ParseFrom(route.Handle(ctx, request.ToByteString()));
        Assert.Equal(AuthKeys.BaseAccountTypeUrl, response.Account.TypeUrl);
        Assert.Equal(request.Address, BaseAccount.Parser.ParseFrom(response.Account.Value).Address);

        var missing = new QueryAccountRequest { Address = Bech32Address.ToBech32(TestState.Address(2)) };
        var error = Assert.Throws<SdkError>(() => route.Handle(ctx, missing.ToByteString()));
        Assert.Equal(SdkErrors.KeyNotFoundCode, error.Code);
        Assert.Contains("NotFound", error.Message);
    }
}
