using System.Numerics;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;
using static DePinChain.Modules.Staking.Tests.StakingChain;

namespace DePinChain.Modules.Staking.Tests;

/// <summary>The share arithmetic and each message's refusals.</summary>
public sealed class StakingUnitTests
{
    private static Validator Val(BigInteger tokens, string sharesWire) => new() { Tokens = tokens.ToString(), DelegatorShares = sharesWire, Status = BondStatus.Bonded };

    [Fact]
    public void The_first_delegation_sets_the_exchange_rate_to_one()
    {
        var v = Val(0, "0");
        Assert.Equal(LegacyDec.FromInt(100), v.AddTokensFromDel(100));
        Assert.Equal("100", v.Tokens);
    }

    [Fact]
    public void Shares_after_a_slash_follow_the_sdk_formulas()
    {
        // 90 tokens, 100 shares: 9 tokens buy 10 shares; 1 share is worth 0.9 tokens.
        var v = Val(90, LegacyDec.FromInt(100).ToWire());
        Assert.Equal(LegacyDec.FromInt(10), v.SharesFromTokens(9));
        Assert.Equal(LegacyDec.Parse("0.900000000000000000"), v.TokensFromShares(LegacyDec.One));
        // 1 token → 1.111111111111111111 shares (truncated by QuoInt).
        Assert.Equal(LegacyDec.Parse("1.111111111111111111"), v.SharesFromTokens(1));
        Assert.Equal(LegacyDec.Parse("1.111111111111111111"), v.SharesFromTokensTruncated(1));
        var issued = v.AddTokensFromDel(1);
        Assert.Equal("91", v.Tokens);
        Assert.Equal(LegacyDec.Parse("101.111111111111111111"), v.GetShares());
        Assert.Equal(LegacyDec.Parse("1.111111111111111111"), issued);
    }

    [Fact]
    public void Removing_the_last_shares_returns_every_token()
    {
        var v = Val(91, LegacyDec.Parse("101.111111111111111111").ToWire());
        // 10 · 91 / 101.111111111111111111 = 9.0000000000000000000989…: Quo rounds to 18 places, then truncation gives 9.
        Assert.Equal(new BigInteger(9), v.RemoveDelShares(LegacyDec.FromInt(10)));
        Assert.Equal("82", v.Tokens);
        Assert.Equal(new BigInteger(82), v.RemoveDelShares(v.GetShares()));
        Assert.Equal("0", v.Tokens);
        Assert.True(v.GetShares().IsZero);
    }

    [Fact]
    public void A_validator_without_tokens_but_with_shares_has_an_invalid_exchange_rate()
    {
        Assert.True(Val(0, LegacyDec.One.ToWire()).InvalidExRate());
        Assert.Throws<SdkError>(() => Val(0, LegacyDec.One.ToWire()).SharesFromTokens(1));
    }

    [Theory]
    [InlineData("0", "-1", "0", 9u)]
    [InlineData("0", "1000000000000000001", "0", 10u)]
    [InlineData("-1", "0", "0", 9u)]
    [InlineData("200000000000000000", "100000000000000000", "0", 11u)]
    [InlineData("0", "100000000000000000", "-1", 13u)]
    [InlineData("0", "100000000000000000", "200000000000000000", 14u)]
    public void Commission_rates_out_of_order_are_refused_with_the_sdk_codes(string rate, string max, string change, uint code)
    {
        var e = Assert.Throws<SdkError>(() => StakingMsgServer.ValidateCommission(new CommissionRates { Rate = rate, MaxRate = max, MaxChangeRate = change }));
        Assert.Equal("staking", e.Codespace);
        Assert.Equal(code, e.Code);
    }

    [Fact]
    public void Create_validator_stateless_checks()
    {
        var ok = CreateValidator(Alice, 5 * Million);
        StakingMsgServer.ValidateCreateValidator(ok);
        Assert.Equal(16u, Assert.Throws<SdkError>(() => StakingMsgServer.ValidateCreateValidator(new MsgCreateValidator(ok) { MinSelfDelegation = (6 * Million).ToString() })).Code);
        Assert.Contains("minimum self delegation must be a positive integer", Assert.Throws<SdkError>(() => StakingMsgServer.ValidateCreateValidator(new MsgCreateValidator(ok) { MinSelfDelegation = "0" })).Message);
        Assert.Equal(39u, Assert.Throws<SdkError>(() => StakingMsgServer.ValidateCreateValidator(new MsgCreateValidator(ok) { Pubkey = null })).Code);
        var secp = new MsgCreateValidator(ok) { Pubkey = new Google.Protobuf.WellKnownTypes.Any { TypeUrl = "/cosmos.crypto.secp256k1.PubKey", Value = ok.Pubkey.Value } };
        Assert.Equal(6u, Assert.Throws<SdkError>(() => StakingMsgServer.ValidateCreateValidator(secp)).Code);
        Assert.Contains("empty description", Assert.Throws<SdkError>(() => StakingMsgServer.ValidateCreateValidator(new MsgCreateValidator(ok) { Description = new Description() })).Message);
        Assert.Contains("invalid delegation amount", Assert.Throws<SdkError>(() => StakingMsgServer.ValidateCreateValidator(new MsgCreateValidator(ok) { Value = Coin(0) })).Message);
        StakingMsgServer.ValidateCreateValidator(new MsgCreateValidator(ok) { DelegatorAddress = Alice.Bech32 });
        Assert.Throws<SdkError>(() => StakingMsgServer.ValidateCreateValidator(new MsgCreateValidator(ok) { DelegatorAddress = Bob.Bech32 }));
        Assert.Contains("moniker", Assert.Throws<SdkError>(() => StakingMsgServer.EnsureLength(new Description { Moniker = new string('m', 71) })).Message);
    }

    [Fact]
    public void Create_validator_stateful_refusals()
    {
        var p = DefaultTestParams();
        p.MinCommissionRate = "50000000000000000";
        var chain = new StakingChain(p);
        var lowRate = chain.Block(chain.Tx(Alice, CreateValidator(Alice, 5 * Million, rate: "10000000000000000")));
        Assert.Contains("commission rate cannot be less than the min commission rate 0.050000000000000000", lowRate.TxResults[0].Log);
        chain.Ok(chain.Tx(Alice, CreateValidator(Alice, 5 * Million)));
        Assert.Equal(4u, chain.Block(chain.Tx(Alice, CreateValidator(Alice, 5 * Million))).TxResults[0].Code);
        var sameKey = CreateValidator(Bob, 5 * Million);
        sameKey.Pubkey = ValidatorMath.PackEd25519(ConsKey(Alice));
        Assert.Equal(5u, chain.Block(chain.Tx(Bob, sameKey)).TxResults[0].Code);
        var wrongDenom = CreateValidator(Bob, 5 * Million);
        wrongDenom.Value.Denom = "uother";
        Assert.Contains("invalid coin denomination: got uother, expected udpin", chain.Block(chain.Tx(Bob, wrongDenom)).TxResults[0].Log);
    }

    [Fact]
    public void Edit_validator_rules()
    {
        var chain = new StakingChain();
        chain.Ok(chain.Tx(Alice, CreateValidator(Alice, 5 * Million)));
        MsgEditValidator Edit(string rate = "", string minSelf = "") => new()
        {
            ValidatorAddress = Valoper(Alice), Description = new Description { Moniker = "new", Identity = StakingMsgServer.DoNotModify, Website = StakingMsgServer.DoNotModify, SecurityContact = StakingMsgServer.DoNotModify, Details = StakingMsgServer.DoNotModify },
            CommissionRate = rate, MinSelfDelegation = minSelf,
        };
        // Within 24 h of creation the commission cannot change.
        Assert.Equal(12u, chain.Block(chain.Tx(Alice, Edit("110000000000000000"))).TxResults[0].Code);
        var r = chain.Ok(chain.Tx(Alice, Edit(minSelf: "2")));
        Assert.Contains(r.TxResults[0].Events, e => e.Type == "edit_validator");
        Assert.Equal(17u, chain.Block(chain.Tx(Alice, Edit(minSelf: "2"))).TxResults[0].Code);
        Assert.Equal(16u, chain.Block(chain.Tx(Alice, Edit(minSelf: (6 * Million).ToString()))).TxResults[0].Code);
        var v = chain.Query("Validator", new QueryValidatorRequest { ValidatorAddr = Valoper(Alice) }, QueryValidatorResponse.Parser).Validator;
        Assert.Equal("new", v.Description.Moniker);
    }

    [Fact]
    public void Undelegate_and_redelegate_refusals()
    {
        var p = DefaultTestParams();
        p.MaxEntries = 2;
        var chain = new StakingChain(p);
        chain.Block(chain.Tx(Alice, CreateValidator(Alice, 5 * Million)), chain.Tx(Bob, CreateValidator(Bob, 5 * Million)));
        chain.Ok(chain.Tx(Carol, Delegate(Carol, Alice, 3 * Million)));
        Assert.Contains("invalid shares amount", chain.Block(chain.Tx(Carol, Undelegate(Carol, Alice, 3 * Million + 1))).TxResults[0].Log);
        Assert.Equal(19u, chain.Block(chain.Tx(Dave, Undelegate(Dave, Alice, 1))).TxResults[0].Code);
        Assert.Equal(29u, chain.Block(chain.Tx(Carol, Redelegate(Carol, Alice, Alice, 1))).TxResults[0].Code);
        chain.Ok(chain.Tx(Carol, Undelegate(Carol, Alice, 1)));
        chain.Ok(chain.Tx(Carol, Undelegate(Carol, Alice, 1)));
        Assert.Equal(27u, chain.Block(chain.Tx(Carol, Undelegate(Carol, Alice, 1))).TxResults[0].Code);
    }

    [Fact]
    public void Cancel_unbonding_delegates_the_entry_back()
    {
        var chain = new StakingChain();
        chain.Ok(chain.Tx(Alice, CreateValidator(Alice, 5 * Million)));
        chain.Ok(chain.Tx(Bob, Delegate(Bob, Alice, 2 * Million)));
        chain.Ok(chain.Tx(Bob, Undelegate(Bob, Alice, 2 * Million)));
        long height = chain.Height;
        var missing = chain.Block(chain.Tx(Bob, new MsgCancelUnbondingDelegation { DelegatorAddress = Bob.Bech32, ValidatorAddress = Valoper(Alice), Amount = Coin(Million), CreationHeight = height + 1 }));
        Assert.Contains("unbonding delegation entry is not found at block height", missing.TxResults[0].Log);
        var r = chain.Ok(chain.Tx(Bob, new MsgCancelUnbondingDelegation { DelegatorAddress = Bob.Bech32, ValidatorAddress = Valoper(Alice), Amount = Coin(Million), CreationHeight = height }));
        Assert.Contains(r.TxResults[0].Events, e => e.Type == "cancel_unbonding_delegation");
        var ubd = chain.Query("UnbondingDelegation", new QueryUnbondingDelegationRequest { DelegatorAddr = Bob.Bech32, ValidatorAddr = Valoper(Alice) }, QueryUnbondingDelegationResponse.Parser).Unbond;
        Assert.Equal("1000000", ubd.Entries.Single().Balance);
        var d = chain.Query("Delegation", new QueryDelegationRequest { DelegatorAddr = Bob.Bech32, ValidatorAddr = Valoper(Alice) }, QueryDelegationResponse.Parser).DelegationResponse;
        Assert.Equal("1000000", d.Balance.Amount);
        var pool = chain.Query("Pool", new QueryPoolRequest(), QueryPoolResponse.Parser).Pool;
        Assert.Equal("6000000", pool.BondedTokens);
        Assert.Equal("1000000", pool.NotBondedTokens);
    }

    [Fact]
    public void Validators_query_filters_by_status_and_paginates()
    {
        var p = DefaultTestParams();
        p.MaxValidators = 1;
        var chain = new StakingChain(p);
        chain.Block(chain.Tx(Alice, CreateValidator(Alice, 5 * Million)), chain.Tx(Bob, CreateValidator(Bob, 3 * Million)), chain.Tx(Carol, CreateValidator(Carol, 2 * Million)));
        var bonded = chain.Query("Validators", new QueryValidatorsRequest { Status = "BOND_STATUS_BONDED" }, QueryValidatorsResponse.Parser);
        Assert.Equal(Valoper(Alice), bonded.Validators.Single().OperatorAddress);
        var page1 = chain.Query("Validators", new QueryValidatorsRequest { Pagination = new() { Limit = 2, CountTotal = true } }, QueryValidatorsResponse.Parser);
        Assert.Equal(2, page1.Validators.Count);
        Assert.Equal(3ul, page1.Pagination.Total);
        var page2 = chain.Query("Validators", new QueryValidatorsRequest { Pagination = new() { Key = page1.Pagination.NextKey } }, QueryValidatorsResponse.Parser);
        Assert.Single(page2.Validators);
        Assert.True(page2.Pagination.NextKey.IsEmpty);
        Assert.NotEqual(0u, chain.Query("/cosmos.staking.v1beta1.Query/Validators", new QueryValidatorsRequest { Status = "nope" }).Code);
    }
}
