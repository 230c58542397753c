using System.Numerics;
using DePinChain.Modules.Tests;
using DePinChain.Protos.Depin.Mint.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Mint.Tests;

public class MintTests
{
    [Fact]
    public void Nothing_is_minted_before_the_last_block_of_an_epoch()
    {
        var chain = new MintChain(MintChain.SmallSchedule(epochBlocks: 5));
        chain.RunTo(3);
        Assert.Equal(BigInteger.Zero, chain.PoolBalance);
        var ctx = chain.RunTo(4);
        Assert.Equal(new BigInteger(1_000), chain.PoolBalance);
        Assert.Contains(ctx.Events.Events, e => e.Type == "mint_epoch" && e.Attributes.Contains(new EventAttribute("epoch", "0")));
        chain.RunTo(8);
        Assert.Equal(new BigInteger(1_000), chain.PoolBalance);
        chain.RunTo(9);
        Assert.Equal(new BigInteger(2_000), chain.PoolBalance);
    }

    [Theory]
    [InlineData(0, 1_000)]
    [InlineData(2, 1_000)]
    [InlineData(3, 500)]
    [InlineData(5, 500)]
    [InlineData(6, 250)]
    [InlineData(9, 125)]
    [InlineData(29, 1)]
    [InlineData(30, 0)]
    public void Each_halving_period_mints_half_of_the_previous_one(long epoch, long expected)
    {
        var chain = new MintChain(MintChain.SmallSchedule(initial: 1_000, halving: 3));
        if (epoch > 0) chain.RunThroughEpoch(epoch - 1);
        var before = chain.Supply;
        chain.RunThroughEpoch(epoch);
        Assert.Equal(new BigInteger(expected), chain.Supply - before);
        Assert.Equal(epoch, chain.Mint.Keeper.GetLastEmission(chain.Current)!.Epoch);
    }

    [Fact]
    public void The_last_epoch_before_the_cap_mints_only_what_is_left_and_later_epochs_mint_nothing()
    {
        // Genesis supply 1,000; cap 3,500: epochs mint 1,000 and 1,000, then 500 of the scheduled 1,000, then nothing.
        var chain = new MintChain(MintChain.SmallSchedule(initial: 1_000, halving: 100, maxSupply: 3_500));
        chain.RunThroughEpoch(1);
        Assert.Equal(new BigInteger(3_000), chain.Supply);
        chain.RunThroughEpoch(2);
        var last = chain.Mint.Keeper.GetLastEmission(chain.Current)!;
        Assert.Equal(("1000", "500", "500"), (last.Scheduled, last.ScheduledMinted, last.Total));
        Assert.Equal(new BigInteger(3_500), chain.Supply);
        chain.RunThroughEpoch(6);
        Assert.Equal(new BigInteger(3_500), chain.Supply);
        Assert.Equal("0", chain.Mint.Keeper.GetLastEmission(chain.Current)!.Total);
        var minted = chain.Query("/depin.mint.v1.Query/Minted", new QueryMintedRequest(), QueryMintedResponse.Parser);
        Assert.Equal(("2500", "0"), (minted.Minter.MintedTotal, minted.RemainingToCap));
    }

    [Fact]
    public void A_share_of_burned_tokens_is_re_emitted_at_a_bounded_rate_and_never_past_the_cap()
    {
        // Half of every burn is eligible, at most 100 per epoch.
        var chain = new MintChain(MintChain.SmallSchedule(initial: 0, maxSupply: 10_000),
            new Params { ReemissionShareBps = 5_000, MaxReemissionPerEpoch = "100" }, aliceBalance: 1_000);
        chain.RunTo(1);
        chain.Burn(500);
        chain.RunThroughEpoch(1);
        Assert.Equal(new BigInteger(100), chain.PoolBalance);
        chain.RunThroughEpoch(2);
        Assert.Equal(new BigInteger(200), chain.PoolBalance);
        chain.RunThroughEpoch(5);
        Assert.Equal(new BigInteger(250), chain.PoolBalance);
        var minter = chain.Mint.Keeper.GetMinter(chain.Current);
        Assert.Equal(("250", "500", "0"), (minter.ReemittedTotal, minter.BurnedTotal, minter.ReemissionPending));
        Assert.Equal(new BigInteger(750), chain.Supply);
    }

    [Fact]
    public void Re_emission_stops_at_the_cap()
    {
        var chain = new MintChain(MintChain.SmallSchedule(initial: 0, maxSupply: 1_000),
            new Params { ReemissionShareBps = 10_000, MaxReemissionPerEpoch = "1000000" }, aliceBalance: 1_000);
        chain.Burn(300);
        chain.Mint.Keeper.RecordBurn(chain.Current, 10_000); // a module reporting more than it burned still cannot break the cap
        chain.RunThroughEpoch(3);
        Assert.Equal(new BigInteger(1_000), chain.Supply);
    }

    private static string Bech(byte[] address) => Bech32Address.ToBech32(address);

    private static Params ParamsOf(byte[] authority, uint shareBps, string maxReemission)
        => new() { ReemissionShareBps = shareBps, MaxReemissionPerEpoch = maxReemission, Authority = Bech(authority) };

    [Fact]
    public void Only_the_genesis_authority_may_update_params_and_no_message_can_touch_the_schedule_or_cap()
    {
        var chain = new MintChain(MintChain.SmallSchedule(maxSupply: 5_000));
        Assert.Equal(Bech(MintChain.Authority), chain.Query("/depin.mint.v1.Query/Params", new QueryParamsRequest(), QueryParamsResponse.Parser).Authority);
        var error = Assert.Throws<SdkError>(() => chain.Execute(new MsgUpdateParams { Authority = Bech(MintChain.Alice), Params = ParamsOf(MintChain.Alice, 1, "1") }));
        Assert.Equal((MintErrors.Codespace, MintErrors.InvalidAuthorityCode), (error.Codespace, error.Code));
        Assert.Equal(MintKeeper.DefaultParams().ReemissionShareBps, chain.Mint.Keeper.GetParams(chain.Current).ReemissionShareBps);

        var schedule = chain.Mint.Keeper.GetSchedule(chain.Current).Clone();
        chain.Execute(new MsgUpdateParams { Authority = Bech(MintChain.Authority), Params = ParamsOf(MintChain.Authority, 10_000, "7") });
        Assert.Equal(schedule, chain.Mint.Keeper.GetSchedule(chain.Current));
        Assert.Equal("7", chain.Mint.Keeper.GetParams(chain.Current).MaxReemissionPerEpoch);
        // MsgUpdateParams is mint's only message and its params have no schedule or cap field.
        Assert.DoesNotContain(Params.Descriptor.Fields.InDeclarationOrder(), f => f.Name.Contains("supply") || f.Name.Contains("epoch_blocks"));

        var bad = Assert.Throws<SdkError>(() => chain.Execute(new MsgUpdateParams { Authority = Bech(MintChain.Authority), Params = ParamsOf(MintChain.Authority, 10_001, "7") }));
        Assert.Equal(MintErrors.InvalidParamsCode, bad.Code);
        // Params without an authority would lock everyone out: refused.
        var locked = Assert.Throws<SdkError>(() => chain.Execute(new MsgUpdateParams { Authority = Bech(MintChain.Authority), Params = new Params { ReemissionShareBps = 1, MaxReemissionPerEpoch = "1" } }));
        Assert.Equal(MintErrors.InvalidParamsCode, locked.Code);
        Assert.Contains("authority", locked.Message);
    }

    [Fact]
    public void The_authority_hands_over_by_updating_params_and_the_old_one_is_refused_afterwards()
    {
        var chain = new MintChain(MintChain.SmallSchedule());
        chain.Execute(new MsgUpdateParams { Authority = Bech(MintChain.Authority), Params = ParamsOf(MintChain.Alice, 100, "5") });
        var error = Assert.Throws<SdkError>(() => chain.Execute(new MsgUpdateParams { Authority = Bech(MintChain.Authority), Params = ParamsOf(MintChain.Authority, 1, "1") }));
        Assert.Equal((MintErrors.Codespace, MintErrors.InvalidAuthorityCode), (error.Codespace, error.Code));
        chain.Execute(new MsgUpdateParams { Authority = Bech(MintChain.Alice), Params = ParamsOf(MintChain.Alice, 200, "6") });
        Assert.Equal((200u, "6"), (chain.Mint.Keeper.GetParams(chain.Current).ReemissionShareBps, chain.Mint.Keeper.GetParams(chain.Current).MaxReemissionPerEpoch));
    }

    [Fact]
    public void The_most_generous_params_the_authority_can_set_never_take_the_supply_above_the_cap()
    {
        // Cap 4,000 over a genesis supply of 1,000: the schedule alone would mint 1,000 per epoch for three epochs.
        var chain = new MintChain(MintChain.SmallSchedule(initial: 1_000, halving: 1_000, maxSupply: 4_000), aliceBalance: 1_000);
        chain.Execute(new MsgUpdateParams { Authority = Bech(MintChain.Authority), Params = ParamsOf(MintChain.Authority, MintKeeper.BasisPoints, EmissionSchedule.MaxEpochPart.ToString()) });
        for (long epoch = 0; epoch < 6; epoch++)
        {
            chain.Burn(chain.Bank.GetBalance(chain.Current, MintChain.Alice, "udpin") / 2);
            chain.RunThroughEpoch(epoch);
            Assert.True(chain.Supply <= 4_000, $"epoch {epoch}: supply {chain.Supply} is above the cap");
        }
        Assert.Equal(new BigInteger(4_000), chain.Supply);
        var response = chain.Query("/depin.mint.v1.Query/Params", new QueryParamsRequest(), QueryParamsResponse.Parser);
        Assert.Equal("4000", response.Schedule.MaxSupply);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-address")]
    [InlineData("cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6")]
    public void A_genesis_without_a_valid_authority_is_refused(string authority)
    {
        var chain = new MintChain(MintChain.SmallSchedule());
        var genesis = MintGenesis.Json.Parse(chain.Mint.DefaultGenesis());
        genesis.Params.Authority = authority;
        var error = Assert.Throws<SdkError>(() => chain.Mint.ValidateGenesis(MintGenesis.Json.Format(genesis)));
        Assert.Equal((MintErrors.Codespace, MintErrors.InvalidParamsCode), (error.Codespace, error.Code));
        Assert.Contains("authority", error.Message);
    }

    [Fact]
    public void The_default_authority_is_the_gov_module_address_and_genesis_export_keeps_the_authority()
    {
        Assert.Equal(Bech(Auth.AuthKeys.ModuleAddress("gov")), MintKeeper.DefaultParams().Authority);
        var chain = new MintChain(MintChain.SmallSchedule());
        var exported = MintGenesis.Json.Parse(chain.Mint.ExportGenesis(chain.Current));
        Assert.Equal(Bech(MintChain.Authority), exported.Params.Authority);
    }

    [Fact]
    public void A_genesis_supply_above_the_cap_is_refused()
    {
        var error = Assert.Throws<SdkError>(() => new MintChain(MintChain.SmallSchedule(maxSupply: 999), aliceBalance: 1_000));
        Assert.Equal((MintErrors.Codespace, MintErrors.SupplyAboveCapCode), (error.Codespace, error.Code));
    }

    [Theory]
    [InlineData("epoch_blocks", "0")]
    [InlineData("halving_interval_epochs", "0")]
    [InlineData("max_supply", "\"0\"")]
    [InlineData("max_supply", "\"0100\"")]
    [InlineData("initial_epoch_emission", "\"-5\"")]
    [InlineData("initial_epoch_emission", "\"9223372036854775808\"")]
    [InlineData("mint_denom", "\"u\"")]
    public void Invalid_schedules_are_rejected_with_the_field_named(string field, string value)
    {
        var module = new MintChain(MintChain.SmallSchedule()).Mint;
        var json = module.DefaultGenesis();
        var doc = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        doc["schedule"]![field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        var error = Assert.Throws<SdkError>(() => module.ValidateGenesis(doc.ToJsonString()));
        Assert.Equal(MintErrors.Codespace, error.Codespace);
        Assert.Contains(field.Split('_')[0], error.Message);
    }

    [Fact]
    public void Exported_genesis_imports_into_a_fresh_chain_and_exports_identically()
    {
        var chain = new MintChain(MintChain.SmallSchedule(), new Params { ReemissionShareBps = 2_500, MaxReemissionPerEpoch = "50" });
        chain.RunTo(1);
        chain.Burn(40);
        chain.RunTo(6);
        chain.Burn(8);
        var exported = chain.Mint.ExportGenesis(chain.Current);
        chain.Mint.ValidateGenesis(exported);

        var fresh = new MintChain(MintChain.SmallSchedule());
        fresh.Mint.InitGenesis(fresh.Current, exported);
        Assert.Equal(exported, fresh.Mint.ExportGenesis(fresh.Current));
        var g = MintGenesis.Json.Parse(exported);
        Assert.Equal(2, g.Minter.LastMintedEpoch);
        Assert.Equal("8", g.Minter.BurnedThisEpoch);
        Assert.Equal(exported, fresh.Mint.ExportGenesis(fresh.Current));

        var defaults = fresh.Mint.DefaultGenesis();
        fresh.Mint.ValidateGenesis(defaults);
    }

    [Fact]
    public void The_epoch_clock_ends_an_epoch_every_epoch_blocks_heights()
    {
        var chain = new MintChain(MintChain.SmallSchedule(epochBlocks: 720));
        var clock = chain.Mint.Keeper;
        var ctx = chain.Current;
        Assert.Equal((0L, false), (clock.EpochOf(ctx, 1), clock.IsLastBlockOfEpoch(ctx, 1)));
        Assert.Equal((0L, true), (clock.EpochOf(ctx, 719), clock.IsLastBlockOfEpoch(ctx, 719)));
        Assert.Equal((1L, false), (clock.EpochOf(ctx, 720), clock.IsLastBlockOfEpoch(ctx, 720)));
        Assert.Equal((1L, true), (clock.EpochOf(ctx, 1439), clock.IsLastBlockOfEpoch(ctx, 1439)));
        var q = chain.Query("/depin.mint.v1.Query/CurrentEpoch", new QueryCurrentEpochRequest(), QueryCurrentEpochResponse.Parser);
        Assert.Equal((0L, 1L, 719L), (q.Epoch, q.EpochStartHeight, q.EpochEndHeight));
    }

    [Fact]
    public void The_projected_schedule_shows_halvings_and_the_cap()
    {
        var chain = new MintChain(MintChain.SmallSchedule(initial: 1_000, halving: 2, maxSupply: 4_000));
        var q = chain.Query("/depin.mint.v1.Query/Schedule", new QueryScheduleRequest { Count = 5 }, QueryScheduleResponse.Parser);
        Assert.Equal(["1000", "1000", "500", "500", "250"], q.Epochs.Select(e => e.Scheduled));
        Assert.Equal(["1000", "1000", "500", "500", "0"], q.Epochs.Select(e => e.Minted));
        Assert.Equal("4000", q.Epochs[^1].SupplyAfter);

        var error = Assert.Throws<SdkError>(() => chain.Query("/depin.mint.v1.Query/Schedule", new QueryScheduleRequest { Count = 0 }, QueryScheduleResponse.Parser));
        Assert.Equal(MintErrors.InvalidRequestCode, error.Code);
        var emission = chain.Query("/depin.mint.v1.Query/EpochEmission", new QueryEpochEmissionRequest(), QueryEpochEmissionResponse.Parser);
        Assert.Equal(("1000", "1000"), (emission.Scheduled, emission.ScheduledAfterCap));
    }

    [Fact]
    public void Cumulative_minted_may_pass_the_cap_through_re_emission_while_the_supply_stays_under_it_and_genesis_still_round_trips()
    {
        var chain = new MintChain(MintChain.SmallSchedule(initial: 0, maxSupply: 1_200),
            new Params { ReemissionShareBps = 10_000, MaxReemissionPerEpoch = "1000" }, aliceBalance: 1_000);
        for (long e = 0; e < 4; e++)
        {
            chain.Burn(1_000);
            chain.RunThroughEpoch(e);
            Assert.True(chain.Supply <= 1_200);
            // Hand the re-emitted coins back to Alice so she can burn them again.
            chain.Bank.SendCoinsFromModuleToAccount(chain.Current, MintChain.Pool, MintChain.Alice, Coins.Of(new Coin("udpin", chain.PoolBalance)));
        }
        Assert.Equal("4000", chain.Mint.Keeper.GetMinter(chain.Current).MintedTotal);
        var exported = chain.Mint.ExportGenesis(chain.Current);
        chain.Mint.ValidateGenesis(exported);
        var fresh = new MintChain(MintChain.SmallSchedule(initial: 0, maxSupply: 1_200));
        fresh.Mint.InitGenesis(fresh.Current, exported);
        Assert.Equal(exported, fresh.Mint.ExportGenesis(fresh.Current));
    }

    [Fact]
    public void Minting_an_epoch_twice_is_a_wiring_error_that_stops_the_chain()
    {
        var chain = new MintChain(MintChain.SmallSchedule());
        chain.RunThroughEpoch(0);
        Assert.Throws<InvalidOperationException>(() => chain.Mint.Keeper.MintEpoch(chain.Current, 0));
    }
}
