using System.Numerics;
using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Modules.Slashing;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Slashing.V1Beta1;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using Google.Protobuf.WellKnownTypes;
using static DePinChain.Modules.Staking.Tests.StakingChain;
using SlashingGenesisState = DePinChain.Protos.Cosmos.Slashing.V1Beta1.GenesisState;
using Validator = DePinChain.Protos.Cosmos.Staking.V1Beta1.Validator;

namespace DePinChain.Modules.Staking.Tests;

/// <summary>
/// Slashing through the real ABCI path: FinalizeBlock's misbehavior (double signing) and decided_last_commit votes
/// (liveness) in, slash/jail/tombstone, validator_updates, supply and mint's burn ledger out.
/// </summary>
public sealed class SlashingAbciTests
{
    private static readonly TxSigner[] Three = [Alice, Bob, Carol];

    private static Validator ValidatorOf(StakingChain chain, TxSigner s)
        => chain.Query("Validator", new QueryValidatorRequest { ValidatorAddr = Valoper(s) }, QueryValidatorResponse.Parser).Validator;

    private static ValidatorSigningInfo SigningInfo(StakingChain chain, TxSigner s)
        => chain.Ask("/cosmos.slashing.v1beta1.Query/SigningInfo",
            new QuerySigningInfoRequest { ConsAddress = Sdk.ValidatorAddress.ToConsensusBech32(ValidatorMath.ConsAddress(ConsKey(s))) },
            QuerySigningInfoResponse.Parser).ValSigningInfo;

    private static MsgUnjail Unjail(TxSigner s) => new() { ValidatorAddr = Valoper(s) };

    private static ResponseQuery Simulate(StakingChain chain, byte[] tx)
        => chain.Query("/cosmos.tx.v1beta1.Service/Simulate", new DePinChain.Protos.Cosmos.Tx.V1Beta1.SimulateRequest { TxBytes = Google.Protobuf.ByteString.CopyFrom(tx) });

    private static IEnumerable<Event> Slashes(ResponseFinalizeBlock r, string reason)
        => r.Events.Where(e => e.Type == "slash" && e.Attributes.Any(a => a.Key == "reason" && a.Value == reason));

    [Theory]
    [InlineData(MisbehaviorType.DuplicateVote)]
    [InlineData(MisbehaviorType.LightClientAttack)]
    public void Double_signing_within_the_evidence_age_slashes_the_stake_at_the_infraction_jails_and_tombstones_for_good(MisbehaviorType type)
    {
        var chain = new StakingChain();
        chain.Block(chain.Tx(Alice, CreateValidator(Alice, 10 * Million)), chain.Tx(Bob, CreateValidator(Bob, 10 * Million)));
        chain.Block(chain.Tx(Carol, Delegate(Carol, Alice, 2 * Million)), chain.Tx(Dave, Delegate(Dave, Alice, 2 * Million)));
        chain.Block();
        chain.Block();
        long infraction = chain.Height;
        Assert.Equal(14, chain.SetAt(infraction)[Hex(Alice)]);
        chain.Block();
        // Carol and Dave leave after the infraction: Carol's unbonding entry and Dave's redelegation were at stake then,
        // so they are slashed too.
        var left = chain.Block(chain.Tx(Carol, Undelegate(Carol, Alice, 2 * Million)), chain.Tx(Dave, Redelegate(Dave, Alice, Bob, 2 * Million)));
        Assert.All(left.TxResults, t => Assert.Equal(0u, t.Code));
        chain.Block();
        var supply = chain.Supply();
        var burnedBefore = chain.BurnedTotal();

        chain.NextMisbehavior.Add(chain.DoubleSign(Alice, infraction, type));
        var r = chain.Block();

        // 5% of the 14 M at stake at the infraction = 700,000: 100,000 from Carol's entry (5% of 2 M), 100,000 from
        // Dave's redelegated stake (now at Bob), 500,000 from the validator's 10 M.
        var slash = Slashes(r, "double_sign").Single();
        Assert.Equal("14", slash.Attributes.Single(a => a.Key == "power").Value);
        Assert.Equal("500000", slash.Attributes.Single(a => a.Key == "burned_coins").Value);
        var v = ValidatorOf(chain, Alice);
        Assert.Equal("9500000", v.Tokens);
        Assert.True(v.Jailed);
        var ubd = chain.Query("UnbondingDelegation", new QueryUnbondingDelegationRequest { DelegatorAddr = Carol.Bech32, ValidatorAddr = Valoper(Alice) },
            QueryUnbondingDelegationResponse.Parser).Unbond.Entries.Single();
        Assert.Equal("1900000", ubd.Balance);
        Assert.Equal("2000000", ubd.InitialBalance);
        Assert.Equal("11900000", ValidatorOf(chain, Bob).Tokens);
        var dave = chain.Query("Delegation", new QueryDelegationRequest { DelegatorAddr = Dave.Bech32, ValidatorAddr = Valoper(Bob) }, QueryDelegationResponse.Parser);
        Assert.Equal("1900000", dave.DelegationResponse.Balance.Amount);
        var info = SigningInfo(chain, Alice);
        Assert.True(info.Tombstoned);
        Assert.Equal(SlashingKeeper.DoubleSignJailEndTime, info.JailedUntil.ToDateTimeOffset());
        // Jailed in this block's BeginBlock: its EndBlock removes it from CometBFT's set.
        // Bob lost the redelegation's slash (12 M → 11.9 M: power 11).
        Assert.Equal([(Hex(Alice), 0L), (Hex(Bob), 11L)], Updates(r).OrderBy(u => u.Key == Hex(Alice) ? 0 : 1));
        Assert.False(chain.LatestSet.ContainsKey(Hex(Alice)));
        // Burned, not moved: the supply drops by exactly the slash and mint's ledger has it.
        Assert.Equal(supply - 700_000, chain.Supply());
        Assert.Equal(burnedBefore + 700_000, chain.BurnedTotal());
        chain.AssertSupplyConserved();

        // Tombstoned: never unjailed, even long after any jail duration.
        var refused = chain.Block(chain.Tx(Alice, Unjail(Alice))).TxResults[0];
        Assert.Equal((SlashingErrors.Codespace, SlashingErrors.ValidatorJailedCode), (refused.Codespace, refused.Code));
        for (int i = 0; i < 700; i++) chain.Block();
        refused = chain.Block(chain.Tx(Alice, Unjail(Alice))).TxResults[0];
        Assert.Equal((SlashingErrors.Codespace, SlashingErrors.ValidatorJailedCode), (refused.Codespace, refused.Code));
        Assert.True(ValidatorOf(chain, Alice).Jailed);

        // More evidence of the same validator changes nothing: it is punished once.
        supply = chain.Supply();
        chain.NextMisbehavior.Add(chain.DoubleSign(Alice, chain.Height - 1, type));
        r = chain.Block();
        Assert.Empty(Slashes(r, "double_sign"));
        Assert.Equal(supply, chain.Supply());
        Assert.Equal("9500000", ValidatorOf(chain, Alice).Tokens);
    }

    [Theory]
    // Older than both limits: ignored (CometBFT would not even report it).
    [InlineData(3, 3, false)]
    // Older in blocks only, or in time only: still punished (the SDK drops evidence only past both).
    [InlineData(3, 100, true)]
    [InlineData(100, 3, true)]
    public void Evidence_is_ignored_only_when_older_than_both_max_age_num_blocks_and_max_age_duration(long maxBlocks, int maxSeconds, bool slashed)
    {
        var evidence = new DePinChain.Protos.Types.EvidenceParams
        {
            MaxAgeNumBlocks = maxBlocks, MaxAgeDuration = Duration.FromTimeSpan(TimeSpan.FromSeconds(maxSeconds)), MaxBytes = 1_048_576,
        };
        var chain = new StakingChain(evidence: evidence);
        chain.Block(chain.Tx(Alice, CreateValidator(Alice, 10 * Million)), chain.Tx(Bob, CreateValidator(Bob, 10 * Million)));
        chain.Block();
        chain.Block();
        long infraction = chain.Height;
        for (int i = 0; i < 4; i++) chain.Block();
        var supply = chain.Supply();

        // Reported 5 blocks (5 s) after the infraction.
        chain.NextMisbehavior.Add(chain.DoubleSign(Alice, infraction));
        var r = chain.Block();
        Assert.Equal(5, chain.Height - infraction);

        var v = ValidatorOf(chain, Alice);
        if (slashed)
        {
            Assert.Single(Slashes(r, "double_sign"));
            Assert.Equal("9500000", v.Tokens);
            Assert.True(v.Jailed);
            Assert.True(SigningInfo(chain, Alice).Tombstoned);
            Assert.Equal([(Hex(Alice), 0L)], Updates(r));
            Assert.Equal(supply - 500_000, chain.Supply());
        }
        else
        {
            Assert.Empty(Slashes(r, "double_sign"));
            Assert.Equal("10000000", v.Tokens);
            Assert.False(v.Jailed);
            Assert.False(SigningInfo(chain, Alice).Tombstoned);
            Assert.Empty(r.ValidatorUpdates);
            Assert.Equal(supply, chain.Supply());
        }
    }

    /// <summary>A slashing genesis with a 10-block window, half of it to sign, a 60 s jail; the SDK's fractions.</summary>
    internal static void ShortWindow(JsonObject appState)
    {
        var p = SlashingKeeper.DefaultParams();
        p.SignedBlocksWindow = 10;
        p.MinSignedPerWindow = SlashingKeeper.Dec(Sdk.LegacyDec.WithPrecision(5, 1));
        p.DowntimeJailDuration = Duration.FromTimeSpan(TimeSpan.FromSeconds(60));
        appState["slashing"] = JsonNode.Parse(SlashingGenesis.Json.Format(new SlashingGenesisState { Params = p }));
    }

    [Fact]
    public void A_validator_absent_for_too_much_of_its_window_is_slashed_1_percent_jailed_and_unjails_only_after_the_jail_duration()
    {
        var chain = new StakingChain(edit: ShortWindow);
        var created = chain.Block([.. Three.Select(s => chain.Tx(s, CreateValidator(s, 10 * Million)))]);
        Assert.All(created.TxResults, t => Assert.Equal(0u, t.Code));
        long bonded = chain.Height;
        Assert.Equal(bonded, SigningInfo(chain, Alice).StartHeight);
        // Alice's votes never arrive; Bob votes NIL every block (a vote, not a miss); Carol signs.
        chain.Absent.Add(Hex(Alice));
        chain.Nil.Add(Hex(Bob));
        var supply = chain.Supply();
        var burnedBefore = chain.BurnedTotal();

        // Updates of block `bonded` are in force from bonded + 2, so its first vote (absent) is in bonded + 3's commit.
        // It is punished at the first height h with h > start + window (bonded + 10) and more than window −
        // round(0.5 × window) = 5 misses: h = bonded + 11, with 9 misses.
        while (chain.Height < bonded + 10)
        {
            var b = chain.Block();
            Assert.Empty(Slashes(b, "missing_signature"));
            Assert.Equal(chain.Height >= bonded + 3, b.Events.Any(e => e.Type == "liveness"));
        }
        Assert.Equal(8, SigningInfo(chain, Alice).MissedBlocksCounter);
        Assert.False(ValidatorOf(chain, Alice).Jailed);
        var r = chain.Block();
        long slashedAt = chain.Height;
        var slash = Slashes(r, "missing_signature").Single();
        Assert.Equal("10", slash.Attributes.Single(a => a.Key == "power").Value);
        Assert.Equal("100000", slash.Attributes.Single(a => a.Key == "burned_coins").Value);
        var v = ValidatorOf(chain, Alice);
        Assert.True(v.Jailed);
        Assert.Equal("9900000", v.Tokens);
        Assert.Equal([(Hex(Alice), 0L)], Updates(r));
        Assert.False(chain.LatestSet.ContainsKey(Hex(Alice)));
        var info = SigningInfo(chain, Alice);
        Assert.Equal(chain.BlockTime(slashedAt).AddSeconds(60), info.JailedUntil.ToDateTimeOffset());
        Assert.False(info.Tombstoned);
        Assert.Equal(0, info.MissedBlocksCounter);
        Assert.Equal(supply - 100_000, chain.Supply());
        Assert.Equal(burnedBefore + 100_000, chain.BurnedTotal());
        chain.AssertSupplyConserved();

        // NIL votes are not misses: Bob voted NIL in every one of those blocks and is untouched.
        Assert.Equal(0, SigningInfo(chain, Bob).MissedBlocksCounter);
        Assert.False(ValidatorOf(chain, Bob).Jailed);
        Assert.Equal("10000000", ValidatorOf(chain, Bob).Tokens);

        // Unjail before jailed_until: the SDK's ErrValidatorJailed (slashing code 4). Its block time is 59 s after the
        // slash at the latest one tried here.
        chain.Absent.Remove(Hex(Alice));
        var refused = chain.Block(chain.Tx(Alice, Unjail(Alice))).TxResults[0];
        Assert.Equal((SlashingErrors.Codespace, SlashingErrors.ValidatorJailedCode), (refused.Codespace, refused.Code));
        while (chain.Height < slashedAt + 58) chain.Block();
        refused = chain.Block(chain.Tx(Alice, Unjail(Alice))).TxResults[0];
        Assert.Equal(chain.BlockTime(slashedAt).AddSeconds(59), chain.BlockTime(chain.Height));
        Assert.Equal((SlashingErrors.Codespace, SlashingErrors.ValidatorJailedCode), (refused.Codespace, refused.Code));
        Assert.True(ValidatorOf(chain, Alice).Jailed);

        // Simulation (a wallet's gas estimate) runs with the last committed block's time, as the SDK's does: still
        // jailed at slash + 59 s, accepted once the block at slash + 60 s is committed (before, it saw the Unix epoch and
        // refused forever).
        var simulatedEarly = Simulate(chain, chain.Tx(Alice, Unjail(Alice)));
        Assert.Equal((SlashingErrors.Codespace, SlashingErrors.ValidatorJailedCode), (simulatedEarly.Codespace, simulatedEarly.Code));
        chain.Block();
        Assert.Equal(info.JailedUntil.ToDateTimeOffset(), chain.BlockTime(chain.Height));
        Assert.Equal(0u, Simulate(chain, chain.Tx(Alice, Unjail(Alice))).Code);

        // Past jailed_until it succeeds and the validator returns with its power.
        var back = chain.Ok(chain.Tx(Alice, Unjail(Alice)));
        Assert.Equal([(Hex(Alice), 9L)], Updates(back));
        Assert.False(ValidatorOf(chain, Alice).Jailed);
        Assert.Equal(chain.Height, SigningInfo(chain, Alice).StartHeight);
        // Signing again, it stays in.
        for (int i = 0; i < 15; i++) Assert.Empty(Slashes(chain.Block(), "missing_signature"));
        Assert.Equal(9L, chain.LatestSet[Hex(Alice)]);
        chain.AssertSupplyConserved();
    }
}
