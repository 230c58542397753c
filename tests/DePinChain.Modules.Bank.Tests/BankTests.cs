using System.Numerics;
using DePinChain.App;
using DePinChain.Modules.Auth;
using DePinChain.Modules.Tests;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;

namespace DePinChain.Modules.Bank.Tests;

public class BankTests
{
    private static readonly byte[] Alice = TestState.Address(1);
    private static readonly byte[] Bob = TestState.Address(2);
    private static readonly string AliceText = Bech32Address.ToBech32(Alice);
    private static readonly string BobText = Bech32Address.ToBech32(Bob);

    private sealed record Chain(AuthModule Auth, BankModule Bank, MsgRouter Msgs, QueryRouter Queries, Context Ctx);

    private static Chain Setup(string aliceCoins = "1000udpin")
    {
        var accounts = new AccountKeeper([new(AuthKeys.FeeCollectorName), new("mint", AuthKeys.Minter, AuthKeys.Burner)]);
        var auth = new AuthModule(accounts);
        var bank = new BankModule(new BankKeeper(new AccountsBridge(accounts)));
        var msgs = new MsgRouter();
        var queries = new QueryRouter();
        bank.RegisterMessages(msgs);
        bank.RegisterQueries(queries);
        auth.RegisterQueries(queries);
        var ctx = TestState.NewContext(AuthKeys.ModuleName, BankKeys.ModuleName);
        auth.InitGenesis(ctx, auth.DefaultGenesis());
        var genesis = new GenesisState { Params = BankKeeper.DefaultParams() };
        var balance = new Balance { Address = AliceText };
        foreach (var part in aliceCoins.Split(','))
        {
            int i = part.IndexOfAny("abcdefghijklmnopqrstuvwxyz".ToCharArray());
            balance.Coins.Add(new ProtoCoin { Amount = part[..i], Denom = part[i..] });
        }
        genesis.Balances.Add(balance);
        bank.InitGenesis(ctx, BankModule.FormatGenesis(genesis));
        return new Chain(auth, bank, msgs, queries, ctx);
    }

    private static MsgSend Send(string from, string to, params (string Amount, string Denom)[] coins)
    {
        var msg = new MsgSend { FromAddress = from, ToAddress = to };
        foreach (var (amount, denom) in coins) msg.Amount.Add(new ProtoCoin { Amount = amount, Denom = denom });
        return msg;
    }

    private static void Execute(Chain chain, IMessage msg)
    {
        var route = chain.Msgs.Find(MsgRouter.TypeUrlOf(msg))!;
        route.ValidateBasic(msg);
        route.Handle(chain.Ctx, msg);
    }

    [Fact]
    public void MsgSend_moves_coins_and_creates_the_recipient_account()
    {
        var chain = Setup();
        Execute(chain, Send(AliceText, BobText, ("300", "udpin")));
        Assert.Equal(new BigInteger(700), chain.Bank.Keeper.GetBalance(chain.Ctx, Alice, "udpin"));
        Assert.Equal(new BigInteger(300), chain.Bank.Keeper.GetBalance(chain.Ctx, Bob, "udpin"));
        Assert.NotNull(chain.Auth.Keeper.GetAccount(chain.Ctx, Bob));
        Assert.Equal(new BigInteger(1000), chain.Bank.Keeper.GetSupply(chain.Ctx, "udpin"));
        Assert.Contains(chain.Ctx.Events.Events, e => e.Type == "transfer"
            && e.Attributes.Contains(new EventAttribute("recipient", BobText))
            && e.Attributes.Contains(new EventAttribute("amount", "300udpin")));
        Assert.Contains(chain.Ctx.Events.Events, e => e.Type == "coin_spent");
        Assert.Contains(chain.Ctx.Events.Events, e => e.Type == "coin_received");
    }

    [Theory]
    [InlineData("999999999999999999", "1")]
    [InlineData("1000000000000000000", "1")]
    [InlineData("18446744073709551616", "1")]
    [InlineData("18446744073709551615", "18446744073709551614")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639935", "5")]
    public void Balances_of_any_size_are_stored_and_read_back_exactly(string aliceAmount, string sent)
    {
        var chain = Setup(aliceAmount + "udpin");
        Execute(chain, Send(AliceText, BobText, (sent, "udpin")));
        var total = BigInteger.Parse(aliceAmount);
        Assert.Equal(total - BigInteger.Parse(sent), chain.Bank.Keeper.GetBalance(chain.Ctx, Alice, "udpin"));
        Assert.Equal(BigInteger.Parse(sent), chain.Bank.Keeper.GetBalance(chain.Ctx, Bob, "udpin"));
        // The stored form (part of the app hash) is the plain decimal string: 0x02 | len | address | denom → digits.
        byte[] key = [0x02, (byte)Alice.Length, .. Alice, .. "udpin"u8];
        var stored = chain.Ctx.MultiStore.GetStore(BankKeys.ModuleName).Get(key);
        Assert.Equal((total - BigInteger.Parse(sent)).ToString(), System.Text.Encoding.ASCII.GetString(stored!));
    }

    [Fact]
    public void Sending_more_than_the_balance_is_insufficient_funds()
    {
        var chain = Setup();
        var error = Assert.Throws<SdkError>(() => Execute(chain, Send(AliceText, BobText, ("1001", "udpin"))));
        Assert.Equal(SdkErrors.InsufficientFundsCode, error.Code);
    }

    [Theory]
    [InlineData("0", "udpin")]
    [InlineData("-5", "udpin")]
    [InlineData("5.5", "udpin")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639936", "udpin")]
    [InlineData("5", "u")]
    [InlineData("5", "1abc")]
    [InlineData("", "udpin")]
    public void Bad_amounts_and_denoms_are_invalid_coins(string amount, string denom)
    {
        var chain = Setup();
        var error = Assert.Throws<SdkError>(() => Execute(chain, Send(AliceText, BobText, (amount, denom))));
        Assert.Equal(SdkErrors.InvalidCoinsCode, error.Code);
    }

    [Fact]
    public void The_largest_256_bit_amount_parses()
    {
        Assert.Equal(Coins.MaxAmount, Coins.ParseAmount(Coins.MaxAmount.ToString(), "udpin"));
    }

    [Fact]
    public void Unsorted_or_duplicate_denoms_are_invalid_coins()
    {
        var chain = Setup("1000udpin,1000uzzz");
        Assert.Equal(SdkErrors.InvalidCoinsCode,
            Assert.Throws<SdkError>(() => Execute(chain, Send(AliceText, BobText, ("1", "uzzz"), ("1", "udpin")))).Code);
        Assert.Equal(SdkErrors.InvalidCoinsCode,
            Assert.Throws<SdkError>(() => Execute(chain, Send(AliceText, BobText, ("1", "udpin"), ("1", "udpin")))).Code);
        Execute(chain, Send(AliceText, BobText, ("1", "udpin"), ("1", "uzzz")));
        Assert.Equal(Coins.Of(new Coin("udpin", 1), new Coin("uzzz", 1)), chain.Bank.Keeper.GetAllBalances(chain.Ctx, Bob));
    }

    [Fact]
    public void A_denom_nobody_has_is_rejected()
    {
        var chain = Setup();
        var error = Assert.Throws<SdkError>(() => Execute(chain, Send(AliceText, BobText, ("1", "unothing"))));
        Assert.Equal(SdkErrors.InvalidCoinsCode, error.Code);
        Assert.Contains("unknown denom", error.Message);
    }

    [Fact]
    public void Module_accounts_cannot_receive_sends()
    {
        var chain = Setup();
        string feeCollector = Bech32Address.ToBech32(AuthKeys.ModuleAddress(AuthKeys.FeeCollectorName));
        var error = Assert.Throws<SdkError>(() => Execute(chain, Send(AliceText, feeCollector, ("1", "udpin"))));
        Assert.Equal(SdkErrors.UnauthorizedCode, error.Code);
        Assert.Equal(new BigInteger(1000), chain.Bank.Keeper.GetBalance(chain.Ctx, Alice, "udpin"));
    }

    [Fact]
    public void A_parsed_address_belongs_to_the_caller_and_a_bad_one_fails_every_time()
    {
        var first = Bech32Address.Parse(BobText);
        first[0] ^= 0xff;
        Assert.Equal(Bob, Bech32Address.Parse(BobText));
        Assert.Equal(BobText, Bech32Address.ToBech32(Bob));
        for (int i = 0; i < 2; i++)
            Assert.Equal(SdkErrors.InvalidAddressCode, Assert.Throws<SdkError>(() => Bech32Address.Parse("depin1xyz")).Code);
    }

    [Fact]
    public void Bad_recipient_address_is_invalid_address()
    {
        var chain = Setup();
        var error = Assert.Throws<SdkError>(() => Execute(chain, Send(AliceText, "depin1xyz", ("1", "udpin"))));
        Assert.Equal(SdkErrors.InvalidAddressCode, error.Code);
    }

    [Fact]
    public void MultiSend_requires_matching_sums_and_pays_every_output()
    {
        var chain = Setup();
        var carol = TestState.Address(3);
        var msg = new MsgMultiSend();
        msg.Inputs.Add(new Input { Address = AliceText, Coins = { new ProtoCoin { Denom = "udpin", Amount = "30" } } });
        msg.Outputs.Add(new Output { Address = BobText, Coins = { new ProtoCoin { Denom = "udpin", Amount = "10" } } });
        msg.Outputs.Add(new Output { Address = Bech32Address.ToBech32(carol), Coins = { new ProtoCoin { Denom = "udpin", Amount = "20" } } });
        Execute(chain, msg);
        Assert.Equal(new BigInteger(970), chain.Bank.Keeper.GetBalance(chain.Ctx, Alice, "udpin"));
        Assert.Equal(new BigInteger(20), chain.Bank.Keeper.GetBalance(chain.Ctx, carol, "udpin"));

        msg.Outputs[1].Coins[0].Amount = "21";
        var error = Assert.Throws<SdkError>(() => Execute(chain, msg));
        Assert.Equal((BankErrors.Codespace, 4u), (error.Codespace, error.Code));
        Assert.Equal([AliceText], chain.Msgs.Find(MsgRouter.TypeUrlOf(msg))!.GetSigners(msg));
    }

    [Fact]
    public void Mint_and_burn_change_supply_only_with_permission()
    {
        var chain = Setup();
        var keeper = chain.Bank.Keeper;
        keeper.MintCoins(chain.Ctx, "mint", Coins.Of(new Coin("udpin", 50)));
        Assert.Equal(new BigInteger(1050), keeper.GetSupply(chain.Ctx, "udpin"));
        keeper.BurnCoins(chain.Ctx, "mint", Coins.Of(new Coin("udpin", 20)));
        Assert.Equal(new BigInteger(1030), keeper.GetSupply(chain.Ctx, "udpin"));
        Assert.Equal(new BigInteger(30), keeper.GetBalance(chain.Ctx, AuthKeys.ModuleAddress("mint"), "udpin"));
        Assert.Equal(SdkErrors.UnauthorizedCode,
            Assert.Throws<SdkError>(() => keeper.MintCoins(chain.Ctx, AuthKeys.FeeCollectorName, Coins.Of(new Coin("udpin", 1)))).Code);
    }

    [Fact]
    public void Genesis_supply_must_equal_the_sum_of_balances()
    {
        var chain = Setup();
        var genesis = BankGenesis.Json.Parse(chain.Bank.ExportGenesis(chain.Ctx));
        genesis.Supply[0].Amount = "999";
        var error = Assert.Throws<SdkError>(() => chain.Bank.ValidateGenesis(BankModule.FormatGenesis(genesis)));
        Assert.Contains("genesis supply is incorrect", error.Message);
    }

    [Fact]
    public void Genesis_export_then_import_reproduces_the_state()
    {
        var chain = Setup("1000udpin,5uzzz");
        Execute(chain, Send(AliceText, BobText, ("300", "udpin"), ("2", "uzzz")));
        string exported = chain.Bank.ExportGenesis(chain.Ctx);
        var fresh = Setup();
        var ctx = TestState.NewContext(AuthKeys.ModuleName, BankKeys.ModuleName);
        fresh.Bank.InitGenesis(ctx, exported);
        Assert.Equal(exported, fresh.Bank.ExportGenesis(ctx));
        Assert.Equal(new BigInteger(2), fresh.Bank.Keeper.GetBalance(ctx, Bob, "uzzz"));
    }

    [Fact]
    public void Balance_queries_answer_like_the_sdk()
    {
        var chain = Setup("1000udpin,5uzzz");
        var balance = QueryBalanceResponse.Parser.ParseFrom(chain.Queries.Find("/cosmos.bank.v1beta1.Query/Balance")!
            .Handle(chain.Ctx, new QueryBalanceRequest { Address = AliceText, Denom = "udpin" }.ToByteString()));
        Assert.Equal("1000", balance.Balance.Amount);
        var none = QueryBalanceResponse.Parser.ParseFrom(chain.Queries.Find("/cosmos.bank.v1beta1.Query/Balance")!
            .Handle(chain.Ctx, new QueryBalanceRequest { Address = BobText, Denom = "udpin" }.ToByteString()));
        Assert.Equal("0", none.Balance.Amount);
        var all = QueryAllBalancesResponse.Parser.ParseFrom(chain.Queries.Find("/cosmos.bank.v1beta1.Query/AllBalances")!
            .Handle(chain.Ctx, new QueryAllBalancesRequest { Address = AliceText }.ToByteString()));
        Assert.Equal(["udpin", "uzzz"], all.Balances.Select(c => c.Denom));
        var supply = QueryTotalSupplyResponse.Parser.ParseFrom(chain.Queries.Find("/cosmos.bank.v1beta1.Query/TotalSupply")!
            .Handle(chain.Ctx, new QueryTotalSupplyRequest().ToByteString()));
        Assert.Equal("5", supply.Supply.Single(c => c.Denom == "uzzz").Amount);
        var supplyOf = QuerySupplyOfResponse.Parser.ParseFrom(chain.Queries.Find("/cosmos.bank.v1beta1.Query/SupplyOf")!
            .Handle(chain.Ctx, new QuerySupplyOfRequest { Denom = "udpin" }.ToByteString()));
        Assert.Equal("1000", supplyOf.Amount.Amount);
    }

    [Fact]
    public void Balances_and_supply_paginate_by_denom_as_the_sdk()
    {
        var chain = Setup("1000udpin,5uzzz");
        QueryAllBalancesResponse All(DePinChain.Protos.Cosmos.Base.Query.V1Beta1.PageRequest? page) => QueryAllBalancesResponse.Parser.ParseFrom(
            chain.Queries.Find("/cosmos.bank.v1beta1.Query/AllBalances")!.Handle(chain.Ctx, new QueryAllBalancesRequest { Address = AliceText, Pagination = page }.ToByteString()));

        var whole = All(null);
        Assert.Equal(("udpin uzzz ", 2ul, true), (whole.Balances.Select(c => c.Denom).Aggregate("", (a, d) => a + d + " "), whole.Pagination.Total, whole.Pagination.NextKey.IsEmpty));
        var first = All(new() { Limit = 1 });
        Assert.Equal(("udpin ", 0ul, "uzzz"), (first.Balances.Select(c => c.Denom).Aggregate("", (a, d) => a + d + " "), first.Pagination.Total, first.Pagination.NextKey.ToStringUtf8()));
        var second = All(new() { Limit = 1, Key = first.Pagination.NextKey });
        Assert.Equal(("uzzz ", true), (second.Balances.Select(c => c.Denom).Aggregate("", (a, d) => a + d + " "), second.Pagination.NextKey.IsEmpty));
        var reversed = All(new() { Limit = 1, Reverse = true, CountTotal = true });
        Assert.Equal(("uzzz ", 2ul, "udpin"), (reversed.Balances.Select(c => c.Denom).Aggregate("", (a, d) => a + d + " "), reversed.Pagination.Total, reversed.Pagination.NextKey.ToStringUtf8()));
        Assert.Equal(["uzzz"], All(new() { Offset = 1 }).Balances.Select(c => c.Denom));
        Assert.Throws<SdkError>(() => All(new() { Offset = 1, Key = first.Pagination.NextKey }));

        var supply = QueryTotalSupplyResponse.Parser.ParseFrom(chain.Queries.Find("/cosmos.bank.v1beta1.Query/TotalSupply")!
            .Handle(chain.Ctx, new QueryTotalSupplyRequest { Pagination = new() { Limit = 1 } }.ToByteString()));
        Assert.Equal(("udpin ", "uzzz"), (supply.Supply.Select(c => c.Denom).Aggregate("", (a, d) => a + d + " "), supply.Pagination.NextKey.ToStringUtf8()));
    }
}
