using System.Numerics;
using System.Text.Json.Nodes;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;
using static DePinChain.Modules.Staking.Tests.StakingChain;

namespace DePinChain.Modules.Staking.Tests;

/// <summary>Staking through the real ABCI path: txs in FinalizeBlock, validator_updates in its response.</summary>
public sealed class StakingAbciTests
{
    [Fact]
    public void A_validator_created_by_tx_appears_in_validator_updates_with_power_tokens_over_a_million()
    {
        var chain = new StakingChain();
        Assert.Empty(chain.InitChainResponse.Validators);
        var r = chain.Ok(chain.Tx(Alice, CreateValidator(Alice, 5_500_000)));
        Assert.Equal([(Hex(Alice), 5L)], Updates(r));
        var ev = r.TxResults[0].Events.Single(e => e.Type == "create_validator");
        Assert.Equal(Valoper(Alice), ev.Attributes.Single(a => a.Key == "validator").Value);
        Assert.Equal("5500000udpin", ev.Attributes.Single(a => a.Key == "amount").Value);

        var v = chain.Query("Validator", new QueryValidatorRequest { ValidatorAddr = Valoper(Alice) }, QueryValidatorResponse.Parser).Validator;
        Assert.Equal(BondStatus.Bonded, v.Status);
        Assert.Equal("5500000", v.Tokens);
        Assert.Equal(LegacyDec.FromInt(5_500_000).ToWire(), v.DelegatorShares);
        var pool = chain.Query("Pool", new QueryPoolRequest(), QueryPoolResponse.Parser).Pool;
        Assert.Equal("5500000", pool.BondedTokens);
        Assert.Equal("0", pool.NotBondedTokens);
        // Nothing changes: no update in the next block.
        Assert.Empty(chain.Block().ValidatorUpdates);
    }

    [Fact]
    public void Undelegating_below_the_top_max_validators_removes_it_with_power_zero()
    {
        var p = DefaultTestParams();
        p.MaxValidators = 2;
        var chain = new StakingChain(p);
        var r = chain.Block(chain.Tx(Alice, CreateValidator(Alice, 10 * Million)), chain.Tx(Bob, CreateValidator(Bob, 8 * Million)), chain.Tx(Carol, CreateValidator(Carol, 6 * Million)));
        Assert.All(r.TxResults, t => Assert.Equal(0u, t.Code));
        Assert.Equal([(Hex(Alice), 10L), (Hex(Bob), 8L)], Updates(r));

        r = chain.Ok(chain.Tx(Bob, Undelegate(Bob, Bob, 3 * Million)));
        // Carol (6) enters, then Bob (5) leaves with power 0.
        Assert.Equal([(Hex(Carol), 6L), (Hex(Bob), 0L)], Updates(r));
        var bob = chain.Query("Validator", new QueryValidatorRequest { ValidatorAddr = Valoper(Bob) }, QueryValidatorResponse.Parser).Validator;
        Assert.Equal(BondStatus.Unbonding, bob.Status);
        var pool = chain.Query("Pool", new QueryPoolRequest(), QueryPoolResponse.Parser).Pool;
        Assert.Equal((16 * Million).ToString(), pool.BondedTokens);
        Assert.Equal((8 * Million).ToString(), pool.NotBondedTokens); // Bob's 5 M as validator tokens + his 3 M unbonding
    }

    [Fact]
    public void A_redelegation_moves_power()
    {
        var chain = new StakingChain();
        chain.Block(chain.Tx(Alice, CreateValidator(Alice, 10 * Million)), chain.Tx(Bob, CreateValidator(Bob, 10 * Million)));
        chain.Ok(chain.Tx(Carol, Delegate(Carol, Alice, 4 * Million)));
        var r = chain.Ok(chain.Tx(Carol, Redelegate(Carol, Alice, Bob, 3 * Million)));
        Assert.Equal([(Hex(Bob), 13L), (Hex(Alice), 11L)], Updates(r));
        var ev = r.TxResults[0].Events.Single(e => e.Type == "redelegate");
        Assert.Equal(Rfc(TimeAt(chain.Height).AddSeconds(10)), ev.Attributes.Single(a => a.Key == "completion_time").Value);

        // A second hop out of Bob is transitive while the first one runs.
        var bad = chain.Block(chain.Tx(Carol, Redelegate(Carol, Bob, Alice, Million)));
        Assert.Equal(32u, bad.TxResults[0].Code);
        Assert.Equal("staking", bad.TxResults[0].Codespace);

        var reds = chain.Query("Redelegations", new QueryRedelegationsRequest { DelegatorAddr = Carol.Bech32 }, QueryRedelegationsResponse.Parser);
        Assert.Equal((3 * Million).ToString(), reds.RedelegationResponses.Single().Entries.Single().Balance);
        // It completes at its completion time: 10 s after the block that started it (the refused tx's block was one).
        for (int i = 0; i < 8; i++) Assert.DoesNotContain(chain.Block().Events, e => e.Type == "complete_redelegation");
        var done = chain.Block();
        Assert.Contains(done.Events, e => e.Type == "complete_redelegation");
        Assert.NotEqual(0u, chain.Query("/cosmos.staking.v1beta1.Query/Redelegations",
            new QueryRedelegationsRequest { DelegatorAddr = Carol.Bech32, SrcValidatorAddr = Valoper(Alice), DstValidatorAddr = Valoper(Bob) }).Code);
    }

    private static string Rfc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Unbonding_matures_exactly_at_its_completion_time_and_pays_out_exactly()
    {
        var chain = new StakingChain();
        chain.Ok(chain.Tx(Alice, CreateValidator(Alice, 10 * Million)));
        chain.Ok(chain.Tx(Bob, Delegate(Bob, Alice, 3 * Million)));
        var r = chain.Ok(chain.Tx(Bob, Undelegate(Bob, Alice, 1_234_567)));
        long started = chain.Height;
        var unbond = r.TxResults[0].Events.Single(e => e.Type == "unbond");
        Assert.Equal("1234567udpin", unbond.Attributes.Single(a => a.Key == "amount").Value);
        Assert.Equal(Rfc(TimeAt(started).AddSeconds(10)), unbond.Attributes.Single(a => a.Key == "completion_time").Value);
        var ubd = chain.Query("UnbondingDelegation", new QueryUnbondingDelegationRequest { DelegatorAddr = Bob.Bech32, ValidatorAddr = Valoper(Alice) }, QueryUnbondingDelegationResponse.Parser).Unbond;
        Assert.Equal(started, ubd.Entries.Single().CreationHeight);

        var before = chain.Balance(Bob);
        for (int i = 1; i < 10; i++)
        {
            var b = chain.Block();
            Assert.DoesNotContain(b.Events, e => e.Type == "complete_unbonding");
            Assert.Equal(before, chain.Balance(Bob));
        }
        var done = chain.Block();
        Assert.Equal(TimeAt(started).AddSeconds(10), TimeAt(chain.Height));
        var complete = done.Events.Single(e => e.Type == "complete_unbonding");
        Assert.Equal("1234567udpin", complete.Attributes.Single(a => a.Key == "amount").Value);
        Assert.Equal(before + 1_234_567, chain.Balance(Bob));
        Assert.NotEqual(0u, chain.Query("/cosmos.staking.v1beta1.Query/UnbondingDelegation",
            new QueryUnbondingDelegationRequest { DelegatorAddr = Bob.Bech32, ValidatorAddr = Valoper(Alice) }).Code);
        // Power followed the undelegation: 10 + 3 - 1.234567 = 11.765433 M → 11.
        var v = chain.Query("Validator", new QueryValidatorRequest { ValidatorAddr = Valoper(Alice) }, QueryValidatorResponse.Parser).Validator;
        Assert.Equal(11, v.ConsensusPower());
    }

    [Fact]
    public void Slash_burns_from_the_validator_and_a_post_infraction_unbonding_entry_and_supply_drops_by_exactly_the_burn()
    {
        var chain = new StakingChain();
        chain.Ok(chain.Tx(Alice, CreateValidator(Alice, 8 * Million)));
        chain.Ok(chain.Tx(Bob, Delegate(Bob, Alice, 2 * Million)));
        long infraction = chain.Height; // power 10 here
        chain.Block();
        chain.Ok(chain.Tx(Bob, Undelegate(Bob, Alice, 2 * Million)));   // entry created after the infraction
        var supply = chain.Supply();
        var cons = ValidatorMath.ConsAddress(ConsKey(Alice));

        var burned = chain.InBlockState(ctx => chain.Keeper.Slash(ctx, cons, infraction, 10, LegacyDec.FromWire("100000000000000000")));
        var r = chain.Block();
        // 10% of 10 M = 1 M: 200,000 from the unbonding entry (10% of its 2 M), 800,000 from the validator.
        Assert.Equal(new BigInteger(800_000), burned);
        Assert.Equal(supply - 1_000_000, chain.Supply());
        var v = chain.Query("Validator", new QueryValidatorRequest { ValidatorAddr = Valoper(Alice) }, QueryValidatorResponse.Parser).Validator;
        Assert.Equal("7200000", v.Tokens);
        Assert.Equal([(Hex(Alice), 7L)], Updates(r));
        var ubd = chain.Query("UnbondingDelegation", new QueryUnbondingDelegationRequest { DelegatorAddr = Bob.Bech32, ValidatorAddr = Valoper(Alice) }, QueryUnbondingDelegationResponse.Parser).Unbond;
        Assert.Equal("1800000", ubd.Entries.Single().Balance);
        Assert.Equal("2000000", ubd.Entries.Single().InitialBalance);
        var pool = chain.Query("Pool", new QueryPoolRequest(), QueryPoolResponse.Parser).Pool;
        Assert.Equal("7200000", pool.BondedTokens);
        Assert.Equal("1800000", pool.NotBondedTokens);
    }

    [Fact]
    public void Jail_gives_power_zero_at_the_next_end_block_and_unjail_brings_it_back()
    {
        var chain = new StakingChain();
        chain.Block(chain.Tx(Alice, CreateValidator(Alice, 3 * Million)), chain.Tx(Bob, CreateValidator(Bob, 2 * Million)));
        var cons = ValidatorMath.ConsAddress(ConsKey(Alice));
        chain.InBlockState(ctx => { chain.Keeper.Jail(ctx, cons); return 0; });
        Assert.Equal([(Hex(Alice), 0L)], Updates(chain.Block()));
        Assert.Throws<SdkError>(() => chain.InBlockState(ctx => { chain.Keeper.Jail(ctx, cons); return 0; }));
        chain.InBlockState(ctx => { chain.Keeper.Unjail(ctx, cons); return 0; });
        Assert.Equal([(Hex(Alice), 3L)], Updates(chain.Block()));
    }

    [Fact]
    public void Self_bond_below_min_self_delegation_jails_the_validator()
    {
        var chain = new StakingChain();
        chain.Ok(chain.Tx(Alice, CreateValidator(Alice, 5 * Million, minSelf: 4 * Million)));
        var r = chain.Ok(chain.Tx(Alice, Undelegate(Alice, Alice, 2 * Million)));
        Assert.Equal([(Hex(Alice), 0L)], Updates(r));
        Assert.True(chain.Query("Validator", new QueryValidatorRequest { ValidatorAddr = Valoper(Alice) }, QueryValidatorResponse.Parser).Validator.Jailed);
    }

    [Fact]
    public void Historical_info_is_kept_per_height_and_pruned_beyond_historical_entries()
    {
        var p = DefaultTestParams();
        p.HistoricalEntries = 3;
        var chain = new StakingChain(p);
        chain.Ok(chain.Tx(Alice, CreateValidator(Alice, 5 * Million)));
        for (int i = 0; i < 4; i++) chain.Block();
        long h = chain.Height;
        var hist = chain.Query("HistoricalInfo", new QueryHistoricalInfoRequest { Height = h }, QueryHistoricalInfoResponse.Parser).Hist;
        Assert.Equal(h, hist.Header.Height);
        Assert.Equal(ChainId, hist.Header.ChainId);
        Assert.Equal(Valoper(Alice), hist.Valset.Single().OperatorAddress);
        Assert.Equal(0u, chain.Query("/cosmos.staking.v1beta1.Query/HistoricalInfo", new QueryHistoricalInfoRequest { Height = h - 2 }).Code);
        Assert.NotEqual(0u, chain.Query("/cosmos.staking.v1beta1.Query/HistoricalInfo", new QueryHistoricalInfoRequest { Height = h - 3 }).Code);
    }

    [Fact]
    public void Params_query_answers_the_bytes_of_a_real_sdk_node()
    {
        var p = StakingKeeper.DefaultParams();
        p.BondDenom = "stake";
        var chain = new StakingChain(p);
        var response = chain.Query("/cosmos.staking.v1beta1.Query/Params", new QueryParamsRequest());
        Assert.Equal("ChcKBAiA324QZBgHIJBOKgVzdGFrZTIBMA==", Convert.ToBase64String(response.Value.ToByteArray()));
    }

    [Fact]
    public void Export_then_import_into_a_fresh_chain_reproduces_the_staking_state()
    {
        var chain = new StakingChain();
        chain.Block(chain.Tx(Alice, CreateValidator(Alice, 10 * Million)), chain.Tx(Bob, CreateValidator(Bob, 7 * Million)));
        chain.Block(chain.Txs(Carol, Delegate(Carol, Alice, 5 * Million), Undelegate(Carol, Alice, Million), Redelegate(Carol, Alice, Bob, 2 * Million)));
        chain.Ok(chain.Tx(Dave, Delegate(Dave, Bob, 3 * Million)));
        var exported = chain.App.ExportAppState();
        var staking = JsonNode.Parse(exported)!["staking"]!.ToJsonString();
        Assert.Contains("\"exported\": true", JsonNode.Parse(exported)!["staking"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

        var fresh = new StakingChain(appState: exported);
        var validators = fresh.InitChainResponse.Validators.Select(u => (Convert.ToHexString(u.PubKey.Ed25519.ToByteArray()), u.Power)).ToList();
        Assert.Equal([(Hex(Alice), 12L), (Hex(Bob), 12L)], validators.OrderBy(v => v.Item1 == Hex(Alice) ? 0 : 1).ToList());
        Assert.Equal(staking, JsonNode.Parse(fresh.App.ExportAppState())!["staking"]!.ToJsonString());
        // The imported chain runs on: nothing changed, so no updates; the unbonding still completes.
        var r = fresh.Block();
        Assert.Empty(r.ValidatorUpdates);
    }
}
