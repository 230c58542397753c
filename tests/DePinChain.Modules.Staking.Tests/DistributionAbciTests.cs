using System.Numerics;
using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Modules.Mint;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Distribution.V1Beta1;
using DePinChain.Sdk;
using static DePinChain.Modules.Staking.Tests.StakingChain;
using MintGenesisState = DePinChain.Protos.Depin.Mint.V1.GenesisState;

namespace DePinChain.Modules.Staking.Tests;

/// <summary>
/// Distribution end to end through the real ABCI path: tx fees and the rewards module's validator share at an epoch
/// end reach validators (by the votes' power, after community tax and commission) and their delegators, who withdraw
/// them by tx; every udpin stays accounted for at every block.
/// </summary>
public sealed class DistributionAbciTests
{
    private const long EpochBlocks = 10;

    /// <summary>Mint epochs of 10 blocks (the last block of epoch e is 10e + 9).</summary>
    internal static void ShortEpochs(JsonObject appState)
    {
        var schedule = MintKeeper.DefaultSchedule();
        schedule.EpochBlocks = EpochBlocks;
        appState["mint"] = JsonNode.Parse(MintGenesis.Json.Format(new MintGenesisState
        {
            Params = MintKeeper.DefaultParams(), Schedule = schedule, Minter = MintKeeper.InitialMinter(),
        }));
    }

    private const string Dist = "/cosmos.distribution.v1beta1.Query/";

    internal static LegacyDec Outstanding(StakingChain chain, TxSigner v)
        => DecCoins.FromProto(chain.Ask(Dist + "ValidatorOutstandingRewards", new QueryValidatorOutstandingRewardsRequest { ValidatorAddress = Valoper(v) },
            QueryValidatorOutstandingRewardsResponse.Parser).Rewards?.Rewards ?? []).AmountOf(Denom);

    internal static LegacyDec Commission(StakingChain chain, TxSigner v)
        => DecCoins.FromProto(chain.Ask(Dist + "ValidatorCommission", new QueryValidatorCommissionRequest { ValidatorAddress = Valoper(v) },
            QueryValidatorCommissionResponse.Parser).Commission?.Commission ?? []).AmountOf(Denom);

    internal static LegacyDec CommunityPool(StakingChain chain)
        => DecCoins.FromProto(chain.Ask(Dist + "CommunityPool", new QueryCommunityPoolRequest(), QueryCommunityPoolResponse.Parser).Pool).AmountOf(Denom);

    internal static LegacyDec DelegationRewards(StakingChain chain, TxSigner d, TxSigner v)
        => DecCoins.FromProto(chain.Ask(Dist + "DelegationRewards", new QueryDelegationRewardsRequest { DelegatorAddress = d.Bech32, ValidatorAddress = Valoper(v) },
            QueryDelegationRewardsResponse.Parser).Rewards).AmountOf(Denom);

    private static string Attr(ResponseFinalizeBlock r, string type, string key)
        => r.Events.Concat(r.TxResults.SelectMany(t => t.Events)).Single(e => e.Type == type).Attributes.Single(a => a.Key == key).Value;

    [Fact]
    public void Fees_and_the_epochs_validator_share_reach_validators_and_delegators_who_withdraw_them_exactly_with_supply_conserved()
    {
        var chain = new StakingChain(edit: ShortEpochs);
        // Every block below checks that all balances (accounts and module accounts) add up to the supply.
        ResponseFinalizeBlock Step(params byte[][] txs)
        {
            var r = chain.Block(txs);
            Assert.All(r.TxResults, t => Assert.True(t.Code == 0, t.Log));
            chain.AssertSupplyConserved();
            return r;
        }

        Step(chain.Tx(Alice, CreateValidator(Alice, 10 * Million)), chain.Tx(Bob, CreateValidator(Bob, 5 * Million)));
        Step();
        Step();
        long h = chain.Height + 1;
        Assert.Equal(5, h);
        Assert.Equal(new Dictionary<string, long> { [Hex(Alice)] = 10, [Hex(Bob)] = 5 }, chain.SetAt(h));

        // Block H: two txs pay 2 × 500 udpin of fees. Their delegations change the powers only from H + 2: the fees are
        // shared by the votes on block H, at H's powers 10 : 5.
        Step(chain.Tx(Carol, Delegate(Carol, Bob, 6 * Million)), chain.Tx(Dave, Delegate(Dave, Alice, Million)));
        var (outA, outB, comA, comB, pool) = (Outstanding(chain, Alice), Outstanding(chain, Bob), Commission(chain, Alice), Commission(chain, Bob), CommunityPool(chain));
        var r = Step();
        Assert.Equal(h + 1, chain.Height);
        // The SDK's AllocateTokens: fees × (1 − community tax 2%) truncated, × power / total power truncated; the
        // validator's commission (10%) of it rounded half-even; the community pool takes the tax and the dust.
        var fees = LegacyDec.FromInt(2 * Fee);
        var toValidators = fees.MulTruncate(LegacyDec.One - LegacyDec.WithPrecision(2, 2));
        var rewardA = toValidators.MulTruncate(LegacyDec.FromInt(10).QuoTruncate(LegacyDec.FromInt(15)));
        var rewardB = toValidators.MulTruncate(LegacyDec.FromInt(5).QuoTruncate(LegacyDec.FromInt(15)));
        Assert.Equal("653.333333333333332680", rewardA.ToString());
        Assert.Equal("326.666666666666666340", rewardB.ToString());
        Assert.Equal(rewardA, Outstanding(chain, Alice) - outA);
        Assert.Equal(rewardB, Outstanding(chain, Bob) - outB);
        Assert.Equal(rewardA.Mul(LegacyDec.WithPrecision(1, 1)), Commission(chain, Alice) - comA);
        Assert.Equal(rewardB.Mul(LegacyDec.WithPrecision(1, 1)), Commission(chain, Bob) - comB);
        Assert.Equal(fees - rewardA - rewardB, CommunityPool(chain) - pool);
        Assert.Equal("20.000000000000000980", (fees - rewardA - rewardB).ToString());
        Assert.Contains(r.Events, e => e.Type == "rewards" && e.Attributes.Any(a => a.Value == Valoper(Alice)));

        // Up to the epoch's last block, empty blocks: nothing but the epoch's emission moves at its end.
        long end = 1 * EpochBlocks - 1;
        while (chain.Height < end - 1) Step();
        (outA, outB) = (Outstanding(chain, Alice), Outstanding(chain, Bob));
        var carolBefore = DelegationRewards(chain, Carol, Bob);
        var epochEnd = Step();
        Assert.Equal(end, chain.Height);
        var paidToValidators = BigInteger.Parse(Attr(epochEnd, "rewards_epoch", "paid_to_validators"));
        Assert.True(paidToValidators > 0);
        // The whole validator share went to distribution, as whole udpin per validator.
        var gained = (Outstanding(chain, Alice) - outA) + (Outstanding(chain, Bob) - outB);
        Assert.Equal(LegacyDec.FromInt(paidToValidators), gained);

        // It reaches Bob's delegator Carol: her rewards grew, and she withdraws exactly their truncation.
        var carolRewards = DelegationRewards(chain, Carol, Bob);
        Assert.True(carolRewards > carolBefore && carolRewards.IsPositive, $"{carolBefore} → {carolRewards}");
        var carolBalance = chain.Balance(Carol);
        var w = Step(chain.Tx(Carol, new MsgWithdrawDelegatorReward { DelegatorAddress = Carol.Bech32, ValidatorAddress = Valoper(Bob) }));
        Assert.Equal(carolRewards.TruncateInt() + "udpin", Attr(w, "withdraw_rewards", "amount"));
        Assert.Equal(carolBalance + carolRewards.TruncateInt() - Fee, chain.Balance(Carol));
        Assert.True(DelegationRewards(chain, Carol, Bob) < LegacyDec.One);

        // Bob's commission (the block after carries no fees: it is what he withdraws) goes to his account.
        Step();
        var commission = Commission(chain, Bob);
        Assert.True(commission > LegacyDec.One);
        var bobBalance = chain.Balance(Bob);
        var c = Step(chain.Tx(Bob, new MsgWithdrawValidatorCommission { ValidatorAddress = Valoper(Bob) }));
        Assert.Equal(commission.TruncateInt() + "udpin", Attr(c, "withdraw_commission", "amount"));
        Assert.Equal(bobBalance + commission.TruncateInt() - Fee, chain.Balance(Bob));
        Assert.Equal(commission - LegacyDec.FromInt(commission.TruncateInt()), Commission(chain, Bob));

        // A second epoch with delegation changes in it, still conserving the supply at every block.
        Step(chain.Tx(Dave, Undelegate(Dave, Alice, 500_000)));
        Step(chain.Tx(Carol, Redelegate(Carol, Bob, Alice, 2 * Million)));
        while (chain.Height < 2 * EpochBlocks) Step();
        Assert.True(DelegationRewards(chain, Dave, Alice).IsPositive);
        Assert.True(DelegationRewards(chain, Carol, Alice).IsPositive);
    }
}
