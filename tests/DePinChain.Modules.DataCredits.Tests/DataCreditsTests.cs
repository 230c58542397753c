using System.Numerics;
using DePinChain.Modules.Mint;
using DePinChain.Protos.Depin.DataCredits.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using static DePinChain.Modules.DataCredits.Tests.CreditsChain;

namespace DePinChain.Modules.DataCredits.Tests;

public class DataCreditsTests
{
    private static SdkError Refused(CreditsChain chain, IMessage msg) => Assert.Throws<SdkError>(() => chain.Execute(msg));

    [Fact]
    public void Burning_udpin_credits_data_credits_at_the_price_and_shrinks_the_supply()
    {
        var chain = new CreditsChain();
        var (response, events) = chain.Execute(new MsgBurnForCredits { Sender = Text(Alice), Amount = "2000000" });
        // 2 DPIN at 100,000 DC per DPIN.
        Assert.Equal(("2000000", 200_000UL), (((MsgBurnForCreditsResponse)response).Burned, ((MsgBurnForCreditsResponse)response).Credits));
        Assert.Equal(200_000UL, chain.Dc(Alice));
        Assert.Equal(new BigInteger(8_000_000), chain.Udpin(Alice));
        Assert.Equal(new BigInteger(8_000_000), chain.Bank.GetSupply(chain.Current, "udpin"));
        Assert.Equal("2000000", chain.Mint.Keeper.GetMinter(chain.Current).BurnedTotal);
        Assert.Contains(events, e => e.Type == "burn_for_credits" && e.Attributes.Contains(new EventAttribute("credits", "200000")));
    }

    [Fact]
    public void Only_the_exact_cost_of_whole_credits_is_burned()
    {
        var chain = new CreditsChain();
        // 15 udpin buy 1.5 DC: one whole DC, which costs 10 udpin; the other 5 stay with the sender.
        var (response, _) = chain.Execute(new MsgBurnForCredits { Sender = Text(Alice), Amount = "15", Recipient = Text(Bob) });
        Assert.Equal("10", ((MsgBurnForCreditsResponse)response).Burned);
        Assert.Equal((0UL, 1UL), (chain.Dc(Alice), chain.Dc(Bob)));
        Assert.Equal(new BigInteger(9_999_990), chain.Udpin(Alice));
    }

    [Fact]
    public void A_burn_too_small_for_one_credit_or_above_the_balance_is_refused_and_changes_nothing()
    {
        var chain = new CreditsChain();
        Assert.Equal(DataCreditsErrors.NoCreditsBoughtCode, Refused(chain, new MsgBurnForCredits { Sender = Text(Alice), Amount = "9" }).Code);
        Assert.Equal(SdkErrors.InsufficientFundsCode, Refused(chain, new MsgBurnForCredits { Sender = Text(Alice), Amount = "10000010" }).Code);
        Assert.Equal(SdkErrors.InvalidCoinsCode, Refused(chain, new MsgBurnForCredits { Sender = Text(Alice), Amount = "0" }).Code);
        Assert.Equal(new BigInteger(10_000_000), chain.Udpin(Alice));
        Assert.Equal("0", chain.Mint.Keeper.GetMinter(chain.Current).BurnedTotal);
    }

    [Fact]
    public void The_authority_sets_the_price_with_an_event_and_nobody_else_can()
    {
        var chain = new CreditsChain();
        var error = Refused(chain, new MsgSetCreditPrice { Authority = Text(Alice), DcPerDpin = 1 });
        Assert.Equal((DataCreditsErrors.Codespace, DataCreditsErrors.InvalidAuthorityCode), (error.Codespace, error.Code));
        var (_, events) = chain.Execute(new MsgSetCreditPrice { Authority = Text(Authority), DcPerDpin = 50_000 });
        Assert.Contains(events, e => e.Type == "dc_price_changed"
            && e.Attributes.Contains(new EventAttribute("old_dc_per_dpin", "100000")) && e.Attributes.Contains(new EventAttribute("new_dc_per_dpin", "50000")));
        chain.Buy(Alice, 1_000_000);
        Assert.Equal(50_000UL, chain.Dc(Alice));
    }

    [Fact]
    public void Traffic_from_a_registered_router_burns_one_credit_per_24_bytes_from_the_delegation_and_is_recorded_per_device()
    {
        var chain = new CreditsChain(epochBlocks: 10);
        chain.RegisterRouter();
        chain.Buy(Alice, 1_000);
        Assert.Equal(100UL, chain.Dc(Alice));
        chain.Execute(new MsgDelegateCredits { Owner = Text(Alice), Router = Text(RouterAddress), Amount = 60 });
        Assert.Equal((40UL, 60UL), (chain.Dc(Alice), chain.Credits.Keeper.GetDelegation(chain.Current, Alice, RouterAddress)));

        var (response, events) = chain.Execute(new MsgReportTraffic { Router = Text(RouterAddress), Payer = Text(Alice), DeviceKey = ByteString.CopyFrom(Device), Bytes = 100 });
        Assert.Equal(5UL, ((MsgReportTrafficResponse)response).DcBurned); // ⌈100 / 24⌉
        chain.Execute(new MsgReportTraffic { Router = Text(RouterAddress), Payer = Text(Alice), DeviceKey = ByteString.CopyFrom(Device), Bytes = 48 });
        Assert.Equal(53UL, chain.Credits.Keeper.GetDelegation(chain.Current, Alice, RouterAddress));
        Assert.Contains(events, e => e.Type == "traffic_reported" && e.Attributes.Contains(new EventAttribute("dc_burned", "5")));

        var record = Assert.Single(chain.Credits.Keeper.EpochTraffic(chain.Current, 0));
        Assert.Equal((148UL, 7UL, 2U), (record.Bytes, record.DcBurned, record.Reports));
        var q = chain.Query("/depin.datacredits.v1.Query/Balance", new QueryBalanceRequest { Owner = Text(Alice) }, QueryBalanceResponse.Parser);
        Assert.Equal(40UL, q.Amount);
        Assert.Equal(53UL, Assert.Single(q.Delegations).Amount);
    }

    [Fact]
    public void Traffic_beyond_what_the_payer_delegated_is_refused_and_burns_nothing()
    {
        var chain = new CreditsChain();
        chain.RegisterRouter();
        chain.Buy(Alice, 1_000);
        chain.Execute(new MsgDelegateCredits { Owner = Text(Alice), Router = Text(RouterAddress), Amount = 2 });
        var error = Refused(chain, new MsgReportTraffic { Router = Text(RouterAddress), Payer = Text(Alice), DeviceKey = ByteString.CopyFrom(Device), Bytes = 49 });
        Assert.Equal(DataCreditsErrors.InsufficientCreditsCode, error.Code);
        Assert.Contains("delegated 2 DC", error.Message);
        Assert.Equal(2UL, chain.Credits.Keeper.GetDelegation(chain.Current, Alice, RouterAddress));
        Assert.Empty(chain.Credits.Keeper.EpochTraffic(chain.Current, 0));
    }

    [Fact]
    public void Unregistered_routers_and_unknown_devices_are_refused()
    {
        var chain = new CreditsChain();
        chain.Buy(Alice, 1_000);
        Assert.Equal(DataCreditsErrors.RouterNotRegisteredCode,
            Refused(chain, new MsgDelegateCredits { Owner = Text(Alice), Router = Text(RouterAddress), Amount = 1 }).Code);
        Assert.Equal(DataCreditsErrors.RouterNotRegisteredCode,
            Refused(chain, new MsgReportTraffic { Router = Text(RouterAddress), Payer = Text(Alice), DeviceKey = ByteString.CopyFrom(Device), Bytes = 1 }).Code);
        chain.RegisterRouter();
        Assert.Equal(DataCreditsErrors.RouterAlreadyRegisteredCode,
            Refused(chain, new MsgRegisterRouter { Authority = Text(Authority), Router = Text(RouterAddress), Name = "again" }).Code);
        Assert.Equal(DataCreditsErrors.UnknownDeviceCode,
            Refused(chain, new MsgReportTraffic { Router = Text(RouterAddress), Payer = Text(Alice), DeviceKey = ByteString.CopyFrom([9, 9]), Bytes = 1 }).Code);
        Assert.Equal(DataCreditsErrors.InvalidAuthorityCode,
            Refused(chain, new MsgRegisterRouter { Authority = Text(Alice), Router = Text(Bob), Name = "mine" }).Code);
    }

    [Fact]
    public void A_router_pays_from_its_own_balance_when_it_is_the_payer_and_removed_routers_cannot_report()
    {
        var chain = new CreditsChain();
        chain.RegisterRouter();
        chain.Execute(new MsgBurnForCredits { Sender = Text(Alice), Amount = "100", Recipient = Text(RouterAddress) });
        chain.Execute(new MsgReportTraffic { Router = Text(RouterAddress), Payer = Text(RouterAddress), DeviceKey = ByteString.CopyFrom(Device), Bytes = 24 });
        Assert.Equal(9UL, chain.Dc(RouterAddress));
        chain.Execute(new MsgRemoveRouter { Authority = Text(Authority), Router = Text(RouterAddress) });
        Assert.Equal(DataCreditsErrors.RouterNotRegisteredCode,
            Refused(chain, new MsgReportTraffic { Router = Text(RouterAddress), Payer = Text(RouterAddress), DeviceKey = ByteString.CopyFrom(Device), Bytes = 24 }).Code);
    }

    [Fact]
    public void Undelegating_returns_unspent_credits_to_the_owner()
    {
        var chain = new CreditsChain();
        chain.RegisterRouter();
        chain.Buy(Alice, 1_000);
        chain.Execute(new MsgDelegateCredits { Owner = Text(Alice), Router = Text(RouterAddress), Amount = 30 });
        Assert.Equal(DataCreditsErrors.InsufficientCreditsCode,
            Refused(chain, new MsgUndelegateCredits { Owner = Text(Alice), Router = Text(RouterAddress), Amount = 31 }).Code);
        chain.Execute(new MsgUndelegateCredits { Owner = Text(Alice), Router = Text(RouterAddress), Amount = 30 });
        Assert.Equal((100UL, 0UL), (chain.Dc(Alice), chain.Credits.Keeper.GetDelegation(chain.Current, Alice, RouterAddress)));
    }

    [Fact]
    public void Traffic_records_are_kept_for_the_retention_window_then_pruned()
    {
        var chain = new CreditsChain(epochBlocks: 5, p: new Params { DcPerDpin = 100_000, BytesPerDc = 24, TrafficRetentionEpochs = 1 });
        chain.RegisterRouter();
        chain.Execute(new MsgBurnForCredits { Sender = Text(Alice), Amount = "1000", Recipient = Text(RouterAddress) });
        chain.Execute(new MsgReportTraffic { Router = Text(RouterAddress), Payer = Text(RouterAddress), DeviceKey = ByteString.CopyFrom(Device), Bytes = 24 });
        chain.NextBlocks(4); // through height 4, the last block of epoch 0
        Assert.Single(chain.Credits.Keeper.EpochTraffic(chain.Current, 0));
        chain.NextBlocks(5); // through height 9, the end of epoch 1: epoch 0 is pruned
        Assert.Empty(chain.Credits.Keeper.EpochTraffic(chain.Current, 0));
    }

    [Fact]
    public void Exported_genesis_imports_into_a_fresh_chain_and_exports_identically()
    {
        var chain = new CreditsChain();
        chain.RegisterRouter();
        chain.Buy(Alice, 5_000);
        chain.Execute(new MsgBurnForCredits { Sender = Text(Alice), Amount = "1000", Recipient = Text(Bob) });
        chain.Execute(new MsgDelegateCredits { Owner = Text(Alice), Router = Text(RouterAddress), Amount = 300 });
        chain.Execute(new MsgReportTraffic { Router = Text(RouterAddress), Payer = Text(Alice), DeviceKey = ByteString.CopyFrom(Device), Bytes = 1_000 });
        var exported = chain.Credits.ExportGenesis(chain.Current);
        chain.Credits.ValidateGenesis(exported);
        var g = DataCreditsGenesis.Json.Parse(exported);
        Assert.Equal((2, 1, 1, 1), (g.Balances.Count, g.Delegations.Count, g.Routers.Count, g.Traffic.Count));
        Assert.Equal((600UL, 42UL), (g.DcIssuedTotal, g.DcBurnedTotal));

        var fresh = new CreditsChain();
        fresh.Credits.InitGenesis(fresh.Current, exported);
        Assert.Equal(exported, fresh.Credits.ExportGenesis(fresh.Current));
    }

    [Fact]
    public void Invalid_params_are_rejected()
    {
        var chain = new CreditsChain();
        Assert.Equal(DataCreditsErrors.InvalidParamsCode, Refused(chain, new MsgUpdateParams
        {
            Authority = Text(Authority), Params = new Params { DcPerDpin = 1, BytesPerDc = 24, TrafficRetentionEpochs = 0 },
        }).Code);
        Assert.Equal(DataCreditsErrors.InvalidParamsCode, Refused(chain, new MsgSetCreditPrice { Authority = Text(Authority), DcPerDpin = 0 }).Code);
    }
}

public class DataCreditsAuthorityTests
{
    private static SdkError Refused(CreditsChain chain, IMessage msg) => Assert.Throws<SdkError>(() => chain.Execute(msg));

    private static Params WithPrice(CreditsChain chain, ulong dcPerDpin, byte[]? authority = null)
        => new(chain.Credits.Keeper.GetParams(chain.Current)) { DcPerDpin = dcPerDpin, Authority = authority is null ? chain.Credits.Keeper.GetAuthority(chain.Current) : Text(authority) };

    [Fact]
    public void The_genesis_authority_changes_the_price_through_params_and_anyone_else_is_refused()
    {
        var chain = new CreditsChain();
        var query = chain.Query("/depin.datacredits.v1.Query/Params", new QueryParamsRequest(), QueryParamsResponse.Parser);
        Assert.Equal((Text(Authority), Text(Authority)), (query.Authority, query.Params.Authority));

        var error = Refused(chain, new MsgUpdateParams { Authority = Text(Alice), Params = WithPrice(chain, 1, Alice) });
        Assert.Equal((DataCreditsErrors.Codespace, DataCreditsErrors.InvalidAuthorityCode), (error.Codespace, error.Code));
        Assert.Equal(100_000UL, chain.Credits.Keeper.DcPerDpin(chain.Current));

        var (_, events) = chain.Execute(new MsgUpdateParams { Authority = Text(Authority), Params = WithPrice(chain, 250_000) });
        Assert.Contains(events, e => e.Type == "dc_price_changed" && e.Attributes.Contains(new EventAttribute("new_dc_per_dpin", "250000")));
        chain.Buy(Alice, 1_000_000);
        Assert.Equal(250_000UL, chain.Dc(Alice));
    }

    [Fact]
    public void Params_without_an_authority_are_refused_and_a_handover_moves_every_authority_message()
    {
        var chain = new CreditsChain();
        var locked = Refused(chain, new MsgUpdateParams { Authority = Text(Authority), Params = new(WithPrice(chain, 5)) { Authority = "" } });
        Assert.Equal(DataCreditsErrors.InvalidParamsCode, locked.Code);

        chain.Execute(new MsgUpdateParams { Authority = Text(Authority), Params = WithPrice(chain, 100_000, Bob) });
        Assert.Equal(DataCreditsErrors.InvalidAuthorityCode, Refused(chain, new MsgSetCreditPrice { Authority = Text(Authority), DcPerDpin = 7 }).Code);
        Assert.Equal(DataCreditsErrors.InvalidAuthorityCode,
            Refused(chain, new MsgRegisterRouter { Authority = Text(Authority), Router = Text(RouterAddress), Name = "r" }).Code);
        chain.Execute(new MsgSetCreditPrice { Authority = Text(Bob), DcPerDpin = 7 });
        chain.Execute(new MsgRegisterRouter { Authority = Text(Bob), Router = Text(RouterAddress), Name = "r" });
        Assert.Equal(7UL, chain.Credits.Keeper.DcPerDpin(chain.Current));
        Assert.Equal(Text(Bob), DataCreditsGenesis.Json.Parse(chain.Credits.ExportGenesis(chain.Current)).Params.Authority);
    }

    [Theory]
    [InlineData("")]
    [InlineData("depin1notvalid")]
    public void A_genesis_without_a_valid_authority_is_refused(string authority)
    {
        var chain = new CreditsChain();
        var genesis = DataCreditsGenesis.Json.Parse(chain.Credits.DefaultGenesis());
        Assert.Equal(ModuleAuthority.Default, genesis.Params.Authority);
        genesis.Params.Authority = authority;
        var error = Assert.Throws<SdkError>(() => chain.Credits.ValidateGenesis(DataCreditsGenesis.Json.Format(genesis)));
        Assert.Equal((DataCreditsErrors.Codespace, DataCreditsErrors.InvalidParamsCode), (error.Codespace, error.Code));
    }
}
