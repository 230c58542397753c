using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.App.Tests;
using DePinChain.Cli.Genesis;
using DePinChain.Cli.Rpc;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Distribution.V1Beta1;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using static DePinChain.Modules.Staking.Tests.StakingChain;

namespace DePinChain.Modules.Staking.Tests;

/// <summary>
/// Genesis both ways through the real ABCI path: gentxs made and collected by the CLI's own code give InitChain its
/// validators (and CometBFT's genesis list must agree); a state exported at height H starts a fresh chain that
/// reproduces the staking, slashing and distribution state and CometBFT's validator set.
/// </summary>
public sealed class GenesisAbciTests
{
    private static readonly (TxSigner Signer, long Bond)[] GenesisValidators = [(Alice, 5_000_000), (Bob, 7_000_000), (Carol, 9_000_000)];

    /// <summary>`genesis gentx` for each validator, then `genesis collect-gentxs`, as the CLI does them.</summary>
    private static GenesisDocument GenesisWithGentxs()
    {
        var genesis = GenesisDocument.Create(ChainId, Genesis.UtcDateTime, []);
        foreach (var (s, _) in GenesisValidators) genesis.AddAccount(s.Address, Coins.Parse("1000000000udpin"));
        string dir = Path.Combine(Path.GetTempPath(), "gentx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            foreach (var (s, bond) in GenesisValidators)
            {
                var gentx = GenTxs.Create(ChainId, s, ConsKey(s), Coins.Parse(bond + "udpin"), new GenTxOptions { Moniker = "val-" + s.Bech32[^4..] });
                File.WriteAllText(Path.Combine(dir, $"gentx-{s.Bech32}.json"), TxJson.Format(gentx));
            }
            Assert.Equal(3, GenTxs.Collect(genesis, dir).Count);
        }
        finally { Directory.Delete(dir, recursive: true); }
        Assert.Empty(genesis.Root["validators"]!.AsArray());
        return genesis;
    }

    private static ValidatorUpdate Update(TxSigner s, long power)
        => new() { PubKey = new DePinChain.Protos.Crypto.PublicKey { Ed25519 = ByteString.CopyFrom(ConsKey(s)) }, Power = power };

    private static (DePinApp App, ResponseInitChain Response) InitChain(GenesisDocument genesis, params ValidatorUpdate[] cometValidators)
    {
        var app = new DePinApp(new TestCommitMultiStore(AppModules.AllStoreNames));
        var request = new RequestInitChain
        {
            ChainId = ChainId,
            InitialHeight = 1,
            Time = Timestamp.FromDateTimeOffset(Genesis),
            AppStateBytes = ByteString.CopyFromUtf8(genesis.Root["app_state"]!.ToJsonString()),
            ConsensusParams = new DePinChain.Protos.Types.ConsensusParams { Block = new() { MaxBytes = 22020096, MaxGas = 0 } },
        };
        request.Validators.AddRange(cometValidators);
        return (app, app.InitChain(request));
    }

    private static List<(string Key, long Power)> Sorted(IEnumerable<ValidatorUpdate> updates)
        => [.. updates.Select(u => (Convert.ToHexString(u.PubKey.Ed25519.ToByteArray()), u.Power)).OrderBy(v => v.Item1, StringComparer.Ordinal)];

    [Fact]
    public void Gentxs_collected_into_genesis_give_InitChain_their_validators_with_their_powers()
    {
        var (app, response) = InitChain(GenesisWithGentxs());
        var expected = GenesisValidators.Select(v => (Hex(v.Signer), v.Bond / 1_000_000)).OrderBy(v => v.Item1, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, Sorted(response.Validators));
        // Deterministic order: by power, highest first.
        Assert.Equal([9L, 7L, 5L], response.Validators.Select(v => v.Power));

        app.FinalizeBlock(new RequestFinalizeBlock { Height = 1, Time = Timestamp.FromDateTimeOffset(TimeAt(1)) });
        app.Commit(new RequestCommit());
        var validators = QueryValidatorsResponse.Parser.ParseFrom(app.Query(new RequestQuery
        {
            Path = "/cosmos.staking.v1beta1.Query/Validators", Data = new QueryValidatorsRequest().ToByteString(),
        }).Value).Validators;
        Assert.Equal(3, validators.Count);
        Assert.All(validators, v => Assert.Equal(BondStatus.Bonded, v.Status));
        // The gentxs' operators paid their self-bonds from their genesis balances.
        Assert.Equal(GenesisValidators.Sum(v => v.Bond).ToString(), QueryPoolResponse.Parser.ParseFrom(app.Query(new RequestQuery
        {
            Path = "/cosmos.staking.v1beta1.Query/Pool", Data = new QueryPoolRequest().ToByteString(),
        }).Value).Pool.BondedTokens);
    }

    [Fact]
    public void InitChain_fails_when_genesis_json_validators_differ_from_the_gentxs_set_and_passes_when_they_match()
    {
        var genesis = GenesisWithGentxs();
        // One missing.
        var e = Assert.Throws<InvalidOperationException>(() => InitChain(genesis, Update(Alice, 5), Update(Bob, 7)));
        Assert.Contains("genesis validators mismatch", e.Message);
        // A wrong power.
        e = Assert.Throws<InvalidOperationException>(() => InitChain(genesis, Update(Alice, 5), Update(Bob, 7), Update(Carol, 8)));
        Assert.Contains("genesis validators mismatch", e.Message);
        // A key that is not a gentx's.
        e = Assert.Throws<InvalidOperationException>(() => InitChain(genesis, Update(Alice, 5), Update(Bob, 7), Update(Dave, 9)));
        Assert.Contains("genesis validators mismatch", e.Message);

        // The same set in any order passes, and is the answer.
        var (_, response) = InitChain(genesis, Update(Carol, 9), Update(Alice, 5), Update(Bob, 7));
        Assert.Equal(Sorted([Update(Alice, 5), Update(Bob, 7), Update(Carol, 9)]), Sorted(response.Validators));
    }

    [Fact]
    public void Export_at_H_and_import_into_a_fresh_chain_reproduces_staking_slashing_distribution_and_the_validator_set()
    {
        var p = DefaultTestParams();
        // Unbonding and redelegation entries still pending at export.
        p.UnbondingTime = Duration.FromTimeSpan(TimeSpan.FromSeconds(1000));
        var chain = new StakingChain(p, edit: s => { DistributionAbciTests.ShortEpochs(s); SlashingAbciTests.ShortWindow(s); });
        ResponseFinalizeBlock Step(params byte[][] txs)
        {
            var r = chain.Block(txs);
            Assert.All(r.TxResults, t => Assert.True(t.Code == 0, t.Log));
            chain.AssertSupplyConserved();
            return r;
        }

        Step(chain.Tx(Alice, CreateValidator(Alice, 10 * Million)), chain.Tx(Bob, CreateValidator(Bob, 8 * Million)),
            chain.Tx(Carol, CreateValidator(Carol, 6 * Million)), chain.Tx(Dave, CreateValidator(Dave, 4 * Million)));
        Step(chain.Tx(Alice, Delegate(Alice, Bob, 3 * Million)), chain.Tx(Carol, Delegate(Carol, Dave, 2 * Million)));
        long infraction = chain.Height + 1;
        // Pending entries: an undelegation and a redelegation out of Bob, created at the infraction height.
        Step(chain.Txs(Alice, Undelegate(Alice, Bob, Million), Redelegate(Alice, Bob, Carol, Million)));
        Assert.Equal(8L, chain.SetAt(infraction)[Hex(Bob)]);
        // Dave's votes stop arriving: jailed for downtime (its jail outlasts the export).
        chain.Absent.Add(Hex(Dave));
        Step();
        Step();
        // Bob double-signed at the infraction height: slashed (with the entries), jailed, tombstoned.
        chain.NextMisbehavior.Add(chain.DoubleSign(Bob, infraction));
        var slashed = Step();
        Assert.Contains(slashed.Events, e => e.Type == "slash");
        Step(chain.Txs(Alice, new MsgWithdrawDelegatorReward { DelegatorAddress = Alice.Bech32, ValidatorAddress = Valoper(Carol) },
            new MsgWithdrawDelegatorReward { DelegatorAddress = Alice.Bech32, ValidatorAddress = Valoper(Bob) }));
        // Past an epoch end (height 9, then 19): the validators' share is in distribution.
        while (chain.Height < 20)
        {
            // Carol misses two blocks shortly before the export: its window's bitmap has them.
            if (chain.Height == 17) chain.Absent.Add(Hex(Carol));
            if (chain.Height == 19) chain.Absent.Remove(Hex(Carol));
            Step();
        }
        chain.Absent.Remove(Hex(Dave));
        Step(chain.Tx(Carol, Delegate(Carol, Alice, Million)));

        long h = chain.Height;
        var bobV = chain.Query("Validator", new QueryValidatorRequest { ValidatorAddr = Valoper(Bob) }, QueryValidatorResponse.Parser).Validator;
        var daveV = chain.Query("Validator", new QueryValidatorRequest { ValidatorAddr = Valoper(Dave) }, QueryValidatorResponse.Parser).Validator;
        Assert.True(bobV.Jailed && daveV.Jailed);
        Assert.True(DistributionAbciTests.Outstanding(chain, Alice) > LegacyDec.FromInt(1000));
        var lastSet = chain.LatestSet.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (v.Key, v.Value)).ToList();
        Assert.Equal(new[] { Hex(Alice), Hex(Carol) }.Order(StringComparer.Ordinal), lastSet.Select(v => v.Key));
        string atH = chain.App.ExportAppState();
        // Export at a past height reads that height's state.
        Step(chain.Tx(Dave, Delegate(Dave, Alice, Million)));
        string exported = chain.App.ExportAppState(h);
        Assert.Equal(atH, exported);
        var original = JsonNode.Parse(exported)!;
        Assert.NotEmpty(original["staking"]!["unbonding_delegations"]!.AsArray());
        Assert.NotEmpty(original["staking"]!["redelegations"]!.AsArray());
        Assert.Contains(original["slashing"]!["missed_blocks"]!.AsArray(), m => m!["missed_blocks"]!.AsArray().Count > 0);
        Assert.NotEmpty(original["distribution"]!["validator_slash_events"]!.AsArray());

        // A fresh chain from that app_state, its genesis time H's block time (the store starts at height 1: the app does
        // not take an initial height above 1 yet, as `depinchaind export` documents).
        var fresh = new StakingChain(appState: exported, genesisTime: chain.BlockTime(h));
        Assert.Equal(lastSet, fresh.InitChainResponse.Validators
            .Select(u => (Convert.ToHexString(u.PubKey.Ed25519.ToByteArray()), u.Power)).OrderBy(v => v.Item1, StringComparer.Ordinal).ToList());
        Assert.Empty(fresh.FirstBlock.ValidatorUpdates);
        fresh.AssertSupplyConserved();
        var reimported = JsonNode.Parse(fresh.App.ExportAppState(1))!;
        foreach (string module in new[] { "staking", "slashing", "distribution", "bank" })
            Assert.True(JsonNode.DeepEquals(original[module], reimported[module]),
                $"{module} differs after import:\n{original[module]!.ToJsonString()}\n{reimported[module]!.ToJsonString()}");
    }
}
