using System.Numerics;
using DePinChain.Protos.Cosmos.Distribution.V1Beta1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Distribution.Tests;

public sealed class DistributionKeeperTests
{
    private static LegacyDec D(string s) => LegacyDec.Parse(s);

    private static DecCoins Udpin(string amount) => DecCoins.Of(new DecCoin("udpin", D(amount)));

    [Fact]
    public void Default_params_are_the_sdks()
    {
        var p = DistributionKeeper.DefaultParams();
        Assert.Equal(D("0.02"), LegacyDec.FromWire(p.CommunityTax));
        Assert.True(LegacyDec.FromWire(p.BaseProposerReward).IsZero);
        Assert.True(LegacyDec.FromWire(p.BonusProposerReward).IsZero);
        Assert.True(p.WithdrawAddrEnabled);
    }

    [Fact]
    public void Created_validator_starts_at_period_one_with_a_referenced_period_zero()
    {
        var chain = new DistChain();
        var op = DistChain.Addr(1);
        chain.Staking.CreateValidator(chain.Ctx, op, DistChain.Cons(1), D("0.1"), 100);
        // The self-delegation's BeforeDelegationCreated ended period 1; its starting info references it.
        var (_, period) = chain.Keeper.GetCurrentRewards(chain.Ctx, op)!.Value;
        Assert.Equal(2UL, period);
        var info = chain.Keeper.GetStartingInfo(chain.Ctx, op, op)!;
        Assert.Equal(1UL, info.PreviousPeriod);
        Assert.Equal(D("100"), LegacyDec.FromWire(info.Stake));
        Assert.Equal(2U, chain.Keeper.GetHistoricalRewards(chain.Ctx, op, 1).ReferenceCount);
    }

    [Fact]
    public void Allocation_splits_commission_and_rewards_and_emits_the_sdks_events()
    {
        var chain = new DistChain();
        var op = DistChain.Addr(1);
        chain.Staking.CreateValidator(chain.Ctx, op, DistChain.Cons(1), D("0.1"), 100);
        Assert.Equal(ValidatorAddress.ToOperatorBech32(op), chain.PayFromRewards(DistChain.Cons(1), 1000));
        Assert.Equal(Udpin("100"), chain.Keeper.GetAccumulatedCommission(chain.Ctx, op));
        Assert.Equal(Udpin("900"), chain.Keeper.GetCurrentRewards(chain.Ctx, op)!.Value.Rewards);
        Assert.Equal(Udpin("1000"), chain.Keeper.GetOutstanding(chain.Ctx, op));
        Assert.Equal(1000, chain.Bank.ModuleBalance(DistributionKeys.ModuleName));
        Assert.Equal(0, chain.Bank.ModuleBalance(DistChain.Rewards));
        var commission = chain.Events.Single(e => e.Type == "commission");
        Assert.Equal(["amount", "validator"], commission.Attributes.Select(a => a.Key));
        Assert.Equal("100.000000000000000000udpin", commission.Attributes[0].Value);
        var rewards = chain.Events.Single(e => e.Type == "rewards");
        Assert.Equal("1000.000000000000000000udpin", rewards.Attributes[0].Value);
    }

    [Fact]
    public void AllocateFromModule_for_an_unknown_validator_moves_nothing()
    {
        var chain = new DistChain();
        chain.Bank.MintToModule(DistChain.Rewards, Coins.Of(new Coin("udpin", 50)));
        Assert.Null(chain.Keeper.AllocateFromModule(chain.Ctx, DistChain.Rewards, DistChain.Cons(9), Coins.Of(new Coin("udpin", 50))));
        Assert.Equal(50, chain.Bank.ModuleBalance(DistChain.Rewards));
    }

    [Fact]
    public void Delegators_share_by_stake_after_commission()
    {
        var chain = new DistChain();
        var op = DistChain.Addr(1);
        var alice = DistChain.Addr(2);
        chain.Staking.CreateValidator(chain.Ctx, op, DistChain.Cons(1), D("0.1"), 100);
        chain.Staking.Delegate(chain.Ctx, alice, op, 300);
        chain.NextBlock();
        chain.PayFromRewards(DistChain.Cons(1), 1000);
        chain.NextBlock();
        Assert.Equal(new BigInteger(675), chain.Keeper.WithdrawDelegationRewards(chain.Ctx, alice, op).AmountOf("udpin"));
        Assert.Equal(new BigInteger(225), chain.Keeper.WithdrawDelegationRewards(chain.Ctx, op, op).AmountOf("udpin"));
        Assert.Equal(new BigInteger(100), chain.Keeper.WithdrawValidatorCommission(chain.Ctx, op).AmountOf("udpin"));
        Assert.Equal(675, chain.Bank.Balance(alice));
        Assert.Equal(325, chain.Bank.Balance(op));
        Assert.True(chain.Keeper.GetOutstanding(chain.Ctx, op).IsZero);
        var withdraw = chain.Events.Where(e => e.Type == "withdraw_rewards").Last();
        Assert.Equal(["amount", "validator", "delegator"], withdraw.Attributes.Select(a => a.Key));
        Assert.Equal("withdraw_commission", chain.Events.Last().Type);
    }

    [Fact]
    public void A_delegation_earns_nothing_for_rewards_before_it_existed()
    {
        var chain = new DistChain();
        var op = DistChain.Addr(1);
        var late = DistChain.Addr(3);
        chain.Staking.CreateValidator(chain.Ctx, op, DistChain.Cons(1), LegacyDec.Zero, 100);
        chain.NextBlock();
        chain.PayFromRewards(DistChain.Cons(1), 1000);
        chain.NextBlock();
        chain.Staking.Delegate(chain.Ctx, late, op, 100);
        chain.NextBlock();
        chain.PayFromRewards(DistChain.Cons(1), 200);
        chain.NextBlock();
        Assert.Equal(new BigInteger(100), chain.Keeper.WithdrawDelegationRewards(chain.Ctx, late, op).AmountOf("udpin"));
        Assert.Equal(new BigInteger(1100), chain.Keeper.WithdrawDelegationRewards(chain.Ctx, op, op).AmountOf("udpin"));
    }

    [Fact]
    public void Slash_reduces_the_stake_of_rewards_after_it()
    {
        var chain = new DistChain();
        var op = DistChain.Addr(1);
        chain.Staking.CreateValidator(chain.Ctx, op, DistChain.Cons(1), LegacyDec.Zero, 1000);
        chain.NextBlock();
        chain.PayFromRewards(DistChain.Cons(1), 1000);
        chain.NextBlock();
        chain.Staking.Slash(chain.Ctx, op, D("0.5"));
        var slashes = chain.Keeper.SlashEventsBetween(chain.Ctx, op, 0, 100).ToList();
        Assert.Single(slashes);
        Assert.Equal(3UL, slashes[0].Height);
        chain.NextBlock();
        chain.PayFromRewards(DistChain.Cons(1), 1000);
        chain.NextBlock();
        // 1000 before the slash (stake 1000), then 1000 over 500 tokens with the stake halved: all of it.
        Assert.Equal(new BigInteger(2000), chain.Keeper.WithdrawDelegationRewards(chain.Ctx, op, op).AmountOf("udpin"));
    }

    [Fact]
    public void Rewards_of_a_validator_without_tokens_go_to_the_community_pool()
    {
        var chain = new DistChain();
        var op = DistChain.Addr(1);
        chain.Staking.CreateValidator(chain.Ctx, op, DistChain.Cons(1), LegacyDec.Zero, 1000);
        chain.NextBlock();
        chain.Staking.Slash(chain.Ctx, op, LegacyDec.One);
        chain.PayFromRewards(DistChain.Cons(1), 700);
        var val = chain.Staking.GetValidator(chain.Ctx, op)!;
        chain.Keeper.IncrementValidatorPeriod(chain.Ctx, val);
        Assert.Equal(Udpin("700"), chain.Keeper.GetCommunityPool(chain.Ctx));
        Assert.True(chain.Keeper.GetOutstanding(chain.Ctx, op).IsZero);
    }

    [Fact]
    public void Removed_validator_pays_commission_and_leaves_dust_to_the_community_pool()
    {
        var chain = new DistChain();
        var op = DistChain.Addr(1);
        chain.Staking.CreateValidator(chain.Ctx, op, DistChain.Cons(1), D("0.333"), 3);
        chain.NextBlock();
        chain.PayFromRewards(DistChain.Cons(1), 10);
        chain.NextBlock();
        chain.Staking.Undelegate(chain.Ctx, op, op, D("3"));
        // Commission 3.33: 3 paid, 0.33 to the pool; delegator's 6.67: 6 paid, 0.67 to the pool.
        Assert.Equal(9, chain.Bank.Balance(op));
        Assert.Equal(Udpin("1"), chain.Keeper.GetCommunityPool(chain.Ctx));
        Assert.Null(chain.Keeper.GetCurrentRewards(chain.Ctx, op));
        Assert.False(chain.Keeper.HasOutstanding(chain.Ctx, op));
        var g = new DistributionGenesis(chain.Keeper).Export(chain.Ctx);
        Assert.Empty(g.ValidatorHistoricalRewards);
        Assert.Empty(g.DelegatorStartingInfos);
    }

    [Fact]
    public void Fees_are_allocated_by_vote_power_from_the_second_block_with_the_community_tax()
    {
        var chain = new DistChain();
        var a = DistChain.Addr(1);
        var b = DistChain.Addr(2);
        chain.Staking.CreateValidator(chain.Ctx, a, DistChain.Cons(1), LegacyDec.Zero, 3_000_000);
        chain.Staking.CreateValidator(chain.Ctx, b, DistChain.Cons(2), LegacyDec.Zero, 1_000_000);
        chain.Bank.MintToModule(DistChain.FeeCollector, Coins.Of(new Coin("udpin", 1000)));
        chain.Keeper.BeginBlock(chain.Ctx); // height 1: nothing
        Assert.Equal(1000, chain.Bank.ModuleBalance(DistChain.FeeCollector));
        chain.NextBlock([new VoteInfo(DistChain.Cons(1), 3, true), new VoteInfo(DistChain.Cons(2), 1, false), new VoteInfo(DistChain.Cons(7), 1, true)]);
        chain.Keeper.BeginBlock(chain.Ctx);
        Assert.Equal(0, chain.Bank.ModuleBalance(DistChain.FeeCollector));
        // 980 after tax; fractions 3/5, 1/5 of votes (the unknown validator's 1/5 stays in the pool).
        Assert.Equal(Udpin("588"), chain.Keeper.GetOutstanding(chain.Ctx, a));
        Assert.Equal(Udpin("196"), chain.Keeper.GetOutstanding(chain.Ctx, b));
        Assert.Equal(Udpin("216"), chain.Keeper.GetCommunityPool(chain.Ctx));
    }

    [Fact]
    public void Fees_without_votes_go_to_the_community_pool()
    {
        var chain = new DistChain();
        chain.Bank.MintToModule(DistChain.FeeCollector, Coins.Of(new Coin("udpin", 77)));
        chain.NextBlock();
        chain.Keeper.BeginBlock(chain.Ctx);
        Assert.Equal(Udpin("77"), chain.Keeper.GetCommunityPool(chain.Ctx));
        Assert.Equal(77, chain.Bank.ModuleBalance(DistributionKeys.ModuleName));
    }

    [Fact]
    public void Withdraw_address_is_used_and_module_accounts_are_refused()
    {
        var chain = new DistChain();
        var op = DistChain.Addr(1);
        var target = DistChain.Addr(5);
        chain.Keeper.SetWithdrawAddr(chain.Ctx, op, target);
        Assert.Equal("set_withdraw_address", chain.Events.Last().Type);
        Assert.Equal("withdraw_address", chain.Events.Last().Attributes[0].Key);
        var e = Assert.Throws<SdkError>(() => chain.Keeper.SetWithdrawAddr(chain.Ctx, op, ModuleAccounts.Address(DistChain.Rewards)));
        Assert.Equal(4U, e.Code);
        chain.Staking.CreateValidator(chain.Ctx, op, DistChain.Cons(1), D("0.5"), 10);
        chain.NextBlock();
        chain.PayFromRewards(DistChain.Cons(1), 100);
        chain.NextBlock();
        chain.Keeper.WithdrawDelegationRewards(chain.Ctx, op, op);
        chain.Keeper.WithdrawValidatorCommission(chain.Ctx, op);
        Assert.Equal(100, chain.Bank.Balance(target));
        Assert.Equal(0, chain.Bank.Balance(op));
    }

    [Fact]
    public void Disabled_withdraw_addresses_are_refused()
    {
        var chain = new DistChain();
        var p = DistributionKeeper.DefaultParams();
        p.WithdrawAddrEnabled = false;
        chain.Keeper.SetParams(chain.Ctx, p);
        var e = Assert.Throws<SdkError>(() => chain.Keeper.SetWithdrawAddr(chain.Ctx, DistChain.Addr(1), DistChain.Addr(2)));
        Assert.Equal((DistributionErrors.Codespace, 8U), (e.Codespace, e.Code));
    }

    [Fact]
    public void Commission_withdraw_without_commission_fails_with_code_7()
    {
        var chain = new DistChain();
        chain.Staking.CreateValidator(chain.Ctx, DistChain.Addr(1), DistChain.Cons(1), D("0.1"), 10);
        var e = Assert.Throws<SdkError>(() => chain.Keeper.WithdrawValidatorCommission(chain.Ctx, DistChain.Addr(1)));
        Assert.Equal(7U, e.Code);
    }

    [Fact]
    public void Fund_community_pool_moves_coins_from_the_depositor()
    {
        var chain = new DistChain();
        chain.Bank.Mint(DistChain.Addr(4), Coins.Of(new Coin("udpin", 50)));
        var server = new DistributionMsgServer(chain.Keeper);
        var msg = new MsgFundCommunityPool { Depositor = Bech32Address.ToBech32(DistChain.Addr(4)) };
        msg.Amount.Add(new Protos.Cosmos.Base.V1Beta1.Coin { Denom = "udpin", Amount = "20" });
        DistributionMsgServer.ValidateFundCommunityPool(msg);
        server.FundCommunityPool(chain.Ctx, msg);
        Assert.Equal(Udpin("20"), chain.Keeper.GetCommunityPool(chain.Ctx));
        Assert.Equal(30, chain.Bank.Balance(DistChain.Addr(4)));
    }

    [Fact]
    public void Queries_answer_pending_rewards_without_changing_state()
    {
        var chain = new DistChain();
        var op = DistChain.Addr(1);
        chain.Staking.CreateValidator(chain.Ctx, op, DistChain.Cons(1), D("0.1"), 100);
        chain.NextBlock();
        chain.PayFromRewards(DistChain.Cons(1), 1000);
        chain.NextBlock();
        var q = new DistributionQueryServer(chain.Keeper);
        string val = ValidatorAddress.ToOperatorBech32(op), del = Bech32Address.ToBech32(op);
        var before = new DistributionGenesis(chain.Keeper).Export(chain.Ctx);
        var rewards = q.DelegationRewards(chain.Ctx, new QueryDelegationRewardsRequest { DelegatorAddress = del, ValidatorAddress = val });
        Assert.Equal(Udpin("900"), DecCoins.FromProto(rewards.Rewards));
        Assert.Equal(before, new DistributionGenesis(chain.Keeper).Export(chain.Ctx));
        var total = q.DelegationTotalRewards(chain.Ctx, new QueryDelegationTotalRewardsRequest { DelegatorAddress = del });
        Assert.Equal(Udpin("900"), DecCoins.FromProto(total.Total));
        Assert.Equal(val, total.Rewards.Single().ValidatorAddress);
        var info = q.ValidatorDistributionInfo(chain.Ctx, new QueryValidatorDistributionInfoRequest { ValidatorAddress = val });
        Assert.Equal(del, info.OperatorAddress);
        Assert.Equal(Udpin("100"), DecCoins.FromProto(info.Commission));
        Assert.Equal(Udpin("1000"), DecCoins.FromProto(q.ValidatorOutstandingRewards(chain.Ctx, new() { ValidatorAddress = val }).Rewards.Rewards));
        Assert.Equal(Udpin("100"), DecCoins.FromProto(q.ValidatorCommission(chain.Ctx, new() { ValidatorAddress = val }).Commission.Commission));
        Assert.Equal([val], q.DelegatorValidators(chain.Ctx, new() { DelegatorAddress = del }).Validators);
        Assert.Equal(del, q.DelegatorWithdrawAddress(chain.Ctx, new() { DelegatorAddress = del }).WithdrawAddress);
        Assert.Empty(q.CommunityPool(chain.Ctx, new()).Pool);
        Assert.Empty(q.ValidatorSlashes(chain.Ctx, new() { ValidatorAddress = val, StartingHeight = 0, EndingHeight = 10 }).Slashes);
        Assert.Equal("20000000000000000", q.Params(chain.Ctx, new()).Params.CommunityTax);
        var missing = Assert.Throws<SdkError>(() => q.ValidatorCommission(chain.Ctx, new() { ValidatorAddress = ValidatorAddress.ToOperatorBech32(DistChain.Addr(9)) }));
        Assert.Equal(12U, missing.Code);
    }

    [Fact]
    public void Every_query_rpc_and_msg_is_registered()
    {
        var chain = new DistChain();
        var module = new DistributionModule(chain.Keeper);
        var router = new MsgRouter();
        module.RegisterMessages(router);
        router.CheckServes(module.MsgService!);
        var queries = new QueryRouter();
        module.RegisterQueries(queries);
        queries.CheckServes(module.QueryService!);
    }
}
