using DePinChain.Modules.Tests;
using DePinChain.Protos.Cosmos.Base.Query.V1Beta1;
using DePinChain.Protos.Cosmos.Slashing.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using static DePinChain.Modules.Slashing.Tests.SlashingChain;
using BondStatus = DePinChain.Protos.Cosmos.Staking.V1Beta1.BondStatus;

namespace DePinChain.Modules.Slashing.Tests;

public class ParamsAndGenesisTests
{
    [Fact]
    public void Default_params_are_the_SDKs()
    {
        var p = SlashingKeeper.DefaultParams();
        Assert.Equal(100, p.SignedBlocksWindow);
        Assert.Equal("500000000000000000", p.MinSignedPerWindow.ToStringUtf8());
        Assert.Equal(TimeSpan.FromSeconds(600), p.DowntimeJailDuration.ToTimeSpan());
        Assert.Equal("50000000000000000", p.SlashFractionDoubleSign.ToStringUtf8());
        Assert.Equal("10000000000000000", p.SlashFractionDowntime.ToStringUtf8());
        Assert.Equal(50, SlashingKeeper.MinSignedPerWindow(p));
    }

    [Fact]
    public void Min_signed_blocks_round_half_to_even()
    {
        Assert.Equal(2, SlashingKeeper.MinSignedPerWindow(Params(5, LegacyDec.Parse("0.5"))));
        Assert.Equal(4, SlashingKeeper.MinSignedPerWindow(Params(7, LegacyDec.Parse("0.5"))));
        Assert.Equal(2, SlashingKeeper.MinSignedPerWindow(Params(10, LegacyDec.Parse("0.25"))));
        Assert.Equal(4, SlashingKeeper.MinSignedPerWindow(Params(14, LegacyDec.Parse("0.25"))));
        Assert.Equal(3, SlashingKeeper.MinSignedPerWindow(Params(5, LegacyDec.Parse("0.51"))));
    }

    [Fact]
    public void Default_genesis_validates_and_bad_params_are_refused()
    {
        var module = new SlashingChain().Module;
        module.ValidateGenesis(module.DefaultGenesis());
        foreach (var bad in new[]
        {
            Params(9, LegacyDec.Parse("0.5")),
            Params(100, LegacyDec.Parse("1.1")),
            Params(100, LegacyDec.Parse("-0.1")),
            new Params(SlashingKeeper.DefaultParams()) { DowntimeJailDuration = Duration.FromTimeSpan(TimeSpan.FromSeconds(59)) },
            new Params(SlashingKeeper.DefaultParams()) { SlashFractionDoubleSign = SlashingKeeper.Dec(LegacyDec.Parse("1.01")) },
        })
        {
            var e = Assert.Throws<SdkError>(() => module.ValidateGenesis(SlashingGenesis.Json.Format(new GenesisState { Params = bad })));
            Assert.Equal(SlashingErrors.Codespace, e.Codespace);
        }
        // A fraction whose bytes are not a LegacyDec's wire digits cannot even be written as genesis JSON (which shows
        // the decimal), and genesis JSON with a bad decimal is refused as JSON.
        var notWire = new Params(SlashingKeeper.DefaultParams()) { SlashFractionDowntime = ByteString.CopyFromUtf8("0.01") };
        Assert.Throws<FormatException>(() => SlashingGenesis.Json.Format(new GenesisState { Params = notWire }));
        string json = SlashingGenesis.Json.Format(new GenesisState { Params = SlashingKeeper.DefaultParams() })
            .Replace("\"slash_fraction_downtime\":\"0.010000000000000000\"", "\"slash_fraction_downtime\":\"0.01.0\"");
        Assert.Equal(SdkErrors.JsonUnmarshalCode, Assert.Throws<SdkError>(() => module.ValidateGenesis(json)).Code);
    }

    [Fact]
    public void Export_then_import_reproduces_the_state()
    {
        var chain = new SlashingChain(Params(1500, LegacyDec.Zero));
        var a = chain.Bond(1, 1);
        var b = chain.Bond(2, 3);
        chain.Bond(3, 4);
        var rng = new Random(7);
        for (long h = 5; h < 1300; h++)
            chain.Begin(h, [rng.Next(3) == 0 ? Absent(a) : Signed(a), rng.Next(5) == 0 ? Absent(b) : Nil(b)]);
        chain.Begin(1300, evidence: [new Misbehavior(MisbehaviorKind.DuplicateVote, b, 100, 1299, TimeOf(1299), 300)]);

        string exported = chain.Module.ExportGenesis(chain.Ctx(1300));
        var g = SlashingGenesis.Json.Parse(exported);
        Assert.Equal(3, g.SigningInfos.Count);
        Assert.Equal(3, g.MissedBlocks.Count);
        Assert.True(g.MissedBlocks[0].MissedBlocks.Count + g.MissedBlocks[1].MissedBlocks.Count + g.MissedBlocks[2].MissedBlocks.Count > 300);
        Assert.All(g.MissedBlocks.SelectMany(m => m.MissedBlocks), m => Assert.True(m.Missed));
        Assert.Contains(g.SigningInfos, s => s.ValidatorSigningInfo.Tombstoned);

        var fresh = new SlashingChain();
        fresh.Module.InitGenesis(fresh.Ctx(0), exported);
        Assert.Equal(exported, fresh.Module.ExportGenesis(fresh.Ctx(0)));
        Assert.Equal(chain.Keeper.GetMissedBlockBitmapValue(chain.Ctx(1), a, 17), fresh.Keeper.GetMissedBlockBitmapValue(fresh.Ctx(1), a, 17));
    }
}

public class DoubleSignTests
{
    private static Misbehavior DuplicateVote(byte[] cons, long height, long power = 100) => new(MisbehaviorKind.DuplicateVote, cons, power, height, TimeOf(height), 1000);

    [Fact]
    public void Double_signing_slashes_at_the_infraction_jails_and_tombstones_for_good()
    {
        var chain = new SlashingChain();
        var cons = chain.Bond(1, 1);
        var ctx = chain.Begin(10, evidence: [DuplicateVote(cons, 5, power: 80)]);

        var slash = Assert.Single(chain.Staking.Slashes);
        Assert.Equal(cons, slash.ConsAddr);
        Assert.Equal(4, slash.Height); // infraction height − ValidatorUpdateDelay
        Assert.Equal(80, slash.Power); // the evidence's power
        Assert.Equal(LegacyDec.Parse("0.05"), slash.Fraction);
        Assert.True(chain.Staking.GetValidatorByConsAddr(ctx, cons)!.Jailed);
        var info = chain.Keeper.GetSigningInfo(ctx, cons)!;
        Assert.True(info.Tombstoned);
        Assert.Equal(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero), info.JailedUntil.ToDateTimeOffset());

        string consText = ValidatorAddress.ToConsensusBech32(cons);
        Assert.Collection(ctx.Events.Events,
            e =>
            {
                Assert.Equal("slash", e.Type);
                Assert.Equal([new("address", consText), new("power", "80"), new("reason", "double_sign"), new("burned_coins", "4000000")], e.Attributes);
            },
            e => Assert.Equal([new EventAttribute("jailed", consText)], e.Attributes));

        // Never again: the same evidence once more changes nothing, and unjail is refused forever.
        chain.Begin(11, evidence: [DuplicateVote(cons, 5)]);
        Assert.Single(chain.Staking.Slashes);
        var e = Assert.Throws<SdkError>(() => new SlashingMsgServer(chain.Keeper).Unjail(chain.Ctx(1_000_000, time: TimeOf(1).AddYears(100)),
            new MsgUnjail { ValidatorAddr = ValidatorAddress.ToOperatorBech32(TestState.Address(1)) }));
        Assert.Equal((SlashingErrors.Codespace, SlashingErrors.ValidatorJailedCode), (e.Codespace, e.Code));
        Assert.Empty(chain.Staking.Unjails);
    }

    [Fact]
    public void An_already_jailed_double_signer_is_slashed_and_tombstoned_without_a_second_jailing()
    {
        var chain = new SlashingChain();
        var cons = chain.Bond(1, 1);
        chain.Staking.GetValidatorByConsAddr(chain.Ctx(1), cons)!.Jailed = true;
        var ctx = chain.Begin(10, evidence: [new Misbehavior(MisbehaviorKind.LightClientAttack, cons, 100, 9, TimeOf(9), 100)]);
        Assert.Single(chain.Staking.Slashes);
        Assert.Single(ctx.Events.Events);
        Assert.True(chain.Keeper.IsTombstoned(ctx, cons));
    }

    [Fact]
    public void Evidence_older_than_both_limits_is_ignored()
    {
        var chain = new SlashingChain();
        chain.Evidence.Blocks = 10;
        chain.Evidence.Duration = TimeSpan.FromSeconds(60);
        var cons = chain.Bond(1, 1);
        // 11 blocks and 55 s old: too old in blocks only, still punished.
        chain.Begin(20, evidence: [DuplicateVote(cons, 9)]);
        Assert.Single(chain.Staking.Slashes);

        var other = chain.Bond(2, 1);
        // 20 blocks and 100 s old: too old in both, ignored.
        chain.Begin(30, evidence: [DuplicateVote(other, 10)]);
        Assert.Single(chain.Staking.Slashes);
        Assert.False(chain.Keeper.IsTombstoned(chain.Ctx(30), other));
    }

    [Fact]
    public void Evidence_against_unknown_or_unbonded_validators_is_ignored()
    {
        var chain = new SlashingChain();
        chain.Staking.Add(3, 50_000_000, BondStatus.Unbonded);
        chain.Begin(10, evidence: [DuplicateVote(FakeStaking.ConsAddr(3), 9), DuplicateVote(FakeStaking.ConsAddr(4), 9)]);
        Assert.Empty(chain.Staking.Slashes);
    }
}

public class LivenessTests
{
    private static readonly MsgUnjail Unjail1 = new() { ValidatorAddr = ValidatorAddress.ToOperatorBech32(TestState.Address(1)) };

    [Fact]
    public void A_validator_missing_too_much_is_slashed_jailed_and_unjails_after_the_jail_duration_not_before()
    {
        // Window 10, half must be signed: more than 5 missed, past start height + 10, is downtime.
        var chain = new SlashingChain(Params(10, LegacyDec.Parse("0.5")));
        var cons = chain.Bond(1, 1);
        var ok = chain.Bond(2, 1);
        for (long h = 2; h <= 11; h++)
        {
            var c = chain.Begin(h, [Absent(cons), Signed(ok)]);
            Assert.Equal(h - 1, chain.Keeper.GetSigningInfo(c, cons)!.MissedBlocksCounter);
            Assert.Equal([new("address", ValidatorAddress.ToConsensusBech32(cons)), new("missed_blocks", (h - 1).ToString()), new("height", h.ToString())],
                Assert.Single(c.Events.Events).Attributes);
        }
        Assert.Empty(chain.Staking.Slashes);

        var ctx = chain.Begin(12, [Absent(cons, power: 90), Signed(ok)]);
        var slash = Assert.Single(chain.Staking.Slashes);
        Assert.Equal((10L, 90L, LegacyDec.Parse("0.01")), (slash.Height, slash.Power, slash.Fraction));
        Assert.True(chain.Staking.GetValidatorByConsAddr(ctx, cons)!.Jailed);
        string consText = ValidatorAddress.ToConsensusBech32(cons);
        var slashEvent = ctx.Events.Events.Single(e => e.Type == "slash");
        Assert.Equal([new("address", consText), new("power", "90"), new("reason", "missing_signature"), new("jailed", consText), new("burned_coins", "900000")],
            slashEvent.Attributes);
        var info = chain.Keeper.GetSigningInfo(ctx, cons)!;
        Assert.Equal(TimeOf(12) + TimeSpan.FromSeconds(600), info.JailedUntil.ToDateTimeOffset());
        Assert.Equal((0L, 0L, false), (info.MissedBlocksCounter, info.IndexOffset, info.Tombstoned));
        Assert.Empty(chain.Keeper.GetValidatorMissedBlocks(ctx, cons));
        Assert.Equal(0, chain.Keeper.GetSigningInfo(ctx, ok)!.MissedBlocksCounter);

        // Jailed: its votes are not counted.
        chain.Begin(13, [Absent(cons)]);
        Assert.Equal(0, chain.Keeper.GetSigningInfo(chain.Ctx(13), cons)!.IndexOffset);

        var server = new SlashingMsgServer(chain.Keeper);
        var early = Assert.Throws<SdkError>(() => server.Unjail(chain.Ctx(14, time: TimeOf(12).AddSeconds(599)), Unjail1));
        Assert.Equal((SlashingErrors.Codespace, SlashingErrors.ValidatorJailedCode), (early.Codespace, early.Code));
        Assert.Empty(chain.Staking.Unjails);

        server.Unjail(chain.Ctx(15, time: TimeOf(12).AddSeconds(600)), Unjail1);
        Assert.Equal(cons, Assert.Single(chain.Staking.Unjails));
        Assert.False(chain.Staking.GetValidatorByConsAddr(ctx, cons)!.Jailed);

        // Bonded again: a new window from that height, so no immediate second slash.
        chain.Module.Hooks.AfterValidatorBonded(chain.Ctx(16), cons, TestState.Address(1));
        for (long h = 17; h <= 26; h++) chain.Begin(h, [Absent(cons)]);
        Assert.Single(chain.Staking.Slashes);
        chain.Begin(27, [Absent(cons)]);
        Assert.Equal(2, chain.Staking.Slashes.Count);
    }

    [Fact]
    public void Nil_votes_are_not_misses()
    {
        var chain = new SlashingChain(Params(10, LegacyDec.Parse("0.5")));
        var cons = chain.Bond(1, 1);
        for (long h = 2; h <= 40; h++) Assert.Empty(chain.Begin(h, [Nil(cons)]).Events.Events);
        var info = chain.Keeper.GetSigningInfo(chain.Ctx(40), cons)!;
        Assert.Equal((39L, 0L), (info.IndexOffset, info.MissedBlocksCounter));
        Assert.Empty(chain.Staking.Slashes);
    }

    [Fact]
    public void Signing_again_clears_a_miss_when_the_window_comes_round()
    {
        var chain = new SlashingChain(Params(10, LegacyDec.Parse("0.5")));
        var cons = chain.Bond(1, 1);
        chain.Begin(2, [Absent(cons)]);
        chain.Begin(3, [Absent(cons)]);
        for (long h = 4; h <= 11; h++) chain.Begin(h, [Signed(cons)]);
        Assert.Equal([0L, 1L], chain.Keeper.GetValidatorMissedBlocks(chain.Ctx(11), cons).Select(m => m.Index));
        chain.Begin(12, [Signed(cons)]);
        Assert.Equal(1, chain.Keeper.GetSigningInfo(chain.Ctx(12), cons)!.MissedBlocksCounter);
        chain.Begin(13, [Signed(cons)]);
        Assert.Equal(0, chain.Keeper.GetSigningInfo(chain.Ctx(13), cons)!.MissedBlocksCounter);
        Assert.Empty(chain.Store.GetStore(SlashingKeys.ModuleName).Iterate([SlashingKeys.MissedBlockBitmapPrefix], [SlashingKeys.MissedBlockBitmapPrefix + 1]));
    }

    [Fact]
    public void Votes_of_validators_staking_does_not_know_are_skipped()
    {
        var chain = new SlashingChain(Params(10, LegacyDec.Parse("0.5")));
        var stranger = FakeStaking.ConsAddr(9);
        for (long h = 2; h <= 30; h++) chain.Begin(h, [Absent(stranger)]);
        Assert.Null(chain.Keeper.GetSigningInfo(chain.Ctx(30), stranger));
        Assert.Empty(chain.Staking.Slashes);
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(37, 2)]
    [InlineData(1024, 3)]
    [InlineData(1500, 4)]
    [InlineData(2100, 5)]
    public void The_bitmap_counter_matches_a_naive_window_over_a_random_vote_sequence(int window, int seed)
    {
        // min_signed 0: never slashed, so the window runs through several wraps.
        var chain = new SlashingChain(Params(window, LegacyDec.Zero));
        var cons = chain.Bond(1, 1);
        var reference = new bool[window];
        long offset = 0;
        var rng = new Random(seed);
        int blocks = 3 * window + rng.Next(window);
        double missRate = rng.NextDouble();
        for (long h = 2; h < 2 + blocks; h++)
        {
            int roll = rng.Next(100);
            bool absent = roll < missRate * 100;
            var vote = absent ? Absent(cons) : roll % 2 == 0 ? Nil(cons) : Signed(cons);
            chain.Begin(h, [vote]);
            reference[offset++ % window] = absent;
            var info = chain.Keeper.GetSigningInfo(chain.Ctx(h), cons)!;
            Assert.Equal(offset, info.IndexOffset);
            Assert.Equal(reference.Count(m => m), info.MissedBlocksCounter);
        }
        var expected = Enumerable.Range(0, window).Where(i => reference[i]).Select(i => (long)i);
        Assert.Equal(expected, chain.Keeper.GetValidatorMissedBlocks(chain.Ctx(1), cons).Select(m => m.Index));
        for (int i = 0; i < window; i++) Assert.Equal(reference[i], chain.Keeper.GetMissedBlockBitmapValue(chain.Ctx(1), cons, i));
    }

    [Fact]
    public void Bitmap_chunks_hold_1024_bits_and_empty_chunks_are_deleted()
    {
        var chain = new SlashingChain();
        var cons = FakeStaking.ConsAddr(1);
        var ctx = chain.Ctx(1);
        chain.Keeper.SetMissedBlockBitmapValue(ctx, cons, 1023, true);
        chain.Keeper.SetMissedBlockBitmapValue(ctx, cons, 1024, true);
        var chunks = chain.Store.GetStore(SlashingKeys.ModuleName).Iterate([SlashingKeys.MissedBlockBitmapPrefix], [SlashingKeys.MissedBlockBitmapPrefix + 1]).ToList();
        Assert.Equal(2, chunks.Count);
        Assert.All(chunks, c => Assert.Equal(128, c.Value.Length));
        Assert.Equal(0x80, chunks[0].Value[127]);
        Assert.Equal(0x01, chunks[1].Value[0]);
        chain.Keeper.SetMissedBlockBitmapValue(ctx, cons, 1024, false);
        Assert.Single(chain.Store.GetStore(SlashingKeys.ModuleName).Iterate([SlashingKeys.MissedBlockBitmapPrefix], [SlashingKeys.MissedBlockBitmapPrefix + 1]));
    }
}

public class UnjailAndHooksTests
{
    private static MsgUnjail Unjail(byte seed) => new() { ValidatorAddr = ValidatorAddress.ToOperatorBech32(TestState.Address(seed)) };

    private static void AssertCode(uint code, Action action)
    {
        var e = Assert.Throws<SdkError>(action);
        Assert.Equal((SlashingErrors.Codespace, code), (e.Codespace, e.Code));
    }

    [Fact]
    public void Unjail_is_refused_as_the_SDK_refuses_it()
    {
        var chain = new SlashingChain();
        var server = new SlashingMsgServer(chain.Keeper);
        var ctx = chain.Ctx(10);
        AssertCode(SlashingErrors.NoValidatorForAddressCode, () => server.Unjail(ctx, Unjail(1)));

        var v = chain.Staking.Add(1, 10_000_000, minSelf: 5_000_000);
        AssertCode(SlashingErrors.ValidatorNotJailedCode, () => server.Unjail(ctx, Unjail(1)));
        v.Jailed = true;
        chain.Staking.SetSelfDelegation(1, LegacyDec.FromInt(4_999_999));
        AssertCode(SlashingErrors.SelfDelegationTooLowToUnjailCode, () => server.Unjail(ctx, Unjail(1)));
        chain.Staking.Delegations.Clear();
        AssertCode(SlashingErrors.MissingSelfDelegationCode, () => server.Unjail(ctx, Unjail(1)));

        // Jailed without signing info (never bonded, e.g. fell below its min self-delegation): may unjail at once.
        chain.Staking.SetSelfDelegation(1, LegacyDec.FromInt(5_000_000));
        server.Unjail(ctx, Unjail(1));
        Assert.False(v.Jailed);
        Assert.Throws<SdkError>(() => SlashingMsgServer.ValidateUnjail(new MsgUnjail { ValidatorAddr = Bech32Address.ToBech32(TestState.Address(1)) }));
    }

    [Fact]
    public void Self_delegation_tokens_follow_the_exchange_rate_after_a_slash()
    {
        var chain = new SlashingChain();
        var v = chain.Staking.Add(1, 10_000_000, minSelf: 9_000_000);
        v.Jailed = true;
        v.Tokens = "9000000"; // 10 % slashed: the same shares are worth 9,000,000
        new SlashingMsgServer(chain.Keeper).Unjail(chain.Ctx(10), Unjail(1));
        v.Jailed = true;
        v.Tokens = "8999999";
        AssertCode(SlashingErrors.SelfDelegationTooLowToUnjailCode, () => new SlashingMsgServer(chain.Keeper).Unjail(chain.Ctx(10), Unjail(1)));
    }

    [Fact]
    public void Bonding_creates_signing_info_or_restarts_its_window()
    {
        var chain = new SlashingChain();
        var cons = chain.Bond(1, 7);
        var info = chain.Keeper.GetSigningInfo(chain.Ctx(7), cons)!;
        Assert.Equal(ValidatorAddress.ToConsensusBech32(cons), info.Address);
        Assert.Equal((7L, 0L, 0L, false), (info.StartHeight, info.IndexOffset, info.MissedBlocksCounter, info.Tombstoned));
        Assert.Equal(DateTimeOffset.UnixEpoch, info.JailedUntil.ToDateTimeOffset());

        chain.Begin(8, [Absent(cons)]);
        chain.Module.Hooks.AfterValidatorBonded(chain.Ctx(20), cons, TestState.Address(1));
        info = chain.Keeper.GetSigningInfo(chain.Ctx(20), cons)!;
        Assert.Equal((20L, 1L, 1L), (info.StartHeight, info.IndexOffset, info.MissedBlocksCounter));
        chain.Module.Hooks.AfterValidatorRemoved(chain.Ctx(21), cons, TestState.Address(1));
        Assert.NotNull(chain.Keeper.GetSigningInfo(chain.Ctx(21), cons));
    }
}

public class QueryTests
{
    [Fact]
    public void Params_and_signing_info_are_served()
    {
        var chain = new SlashingChain();
        var cons = chain.Bond(1, 3);
        var query = new SlashingQueryServer(chain.Keeper);
        Assert.Equal(SlashingKeeper.DefaultParams(), query.Params(chain.Ctx(3), new QueryParamsRequest()).Params);
        var info = query.SigningInfo(chain.Ctx(3), new QuerySigningInfoRequest { ConsAddress = ValidatorAddress.ToConsensusBech32(cons) }).ValSigningInfo;
        Assert.Equal(3, info.StartHeight);
        Assert.Throws<SdkError>(() => query.SigningInfo(chain.Ctx(3), new QuerySigningInfoRequest { ConsAddress = ValidatorAddress.ToConsensusBech32(FakeStaking.ConsAddr(2)) }));
        Assert.Throws<SdkError>(() => query.SigningInfo(chain.Ctx(3), new QuerySigningInfoRequest()));
    }

    [Fact]
    public void Signing_infos_are_paginated_by_key_and_by_offset()
    {
        var chain = new SlashingChain();
        for (byte s = 1; s <= 5; s++) chain.Bond(s, s);
        var query = new SlashingQueryServer(chain.Keeper);
        var ctx = chain.Ctx(10);
        var all = query.SigningInfos(ctx, new QuerySigningInfosRequest()).Info.Select(i => i.Address).ToList();
        Assert.Equal(5, all.Count);
        Assert.Equal(all.Order(StringComparer.Ordinal).Count(), all.Distinct().Count());

        var byKey = new List<string>();
        ByteString key = ByteString.Empty;
        do
        {
            var page = query.SigningInfos(ctx, new QuerySigningInfosRequest { Pagination = new PageRequest { Key = key, Limit = 2 } });
            Assert.True(page.Info.Count <= 2);
            byKey.AddRange(page.Info.Select(i => i.Address));
            key = page.Pagination.NextKey;
        } while (!key.IsEmpty);
        Assert.Equal(all, byKey);

        var offset = query.SigningInfos(ctx, new QuerySigningInfosRequest { Pagination = new PageRequest { Offset = 1, Limit = 2, CountTotal = true } });
        Assert.Equal(all.Skip(1).Take(2), offset.Info.Select(i => i.Address));
        Assert.Equal(5UL, offset.Pagination.Total);

        var reverse = query.SigningInfos(ctx, new QuerySigningInfosRequest { Pagination = new PageRequest { Reverse = true, Limit = 3 } });
        Assert.Equal(all.AsEnumerable().Reverse().Take(3), reverse.Info.Select(i => i.Address));
        var rest = query.SigningInfos(ctx, new QuerySigningInfosRequest { Pagination = new PageRequest { Reverse = true, Key = reverse.Pagination.NextKey } });
        Assert.Equal(all.AsEnumerable().Reverse().Skip(3), rest.Info.Select(i => i.Address));
        Assert.Throws<SdkError>(() => query.SigningInfos(ctx, new QuerySigningInfosRequest { Pagination = new PageRequest { Key = reverse.Pagination.NextKey, Offset = 1 } }));
    }
}
