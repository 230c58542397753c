using System.Numerics;
using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Modules.Mint;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Depin.DataCredits.V1;
using DePinChain.Protos.Depin.Rewards.V1;
using DePinChain.Store;
using DePinChain.Store.Backend;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using AbciVoteInfo = DePinChain.Protos.Abci.VoteInfo;
using BankQuery = DePinChain.Protos.Cosmos.Bank.V1Beta1;
using MintGenesis = DePinChain.Protos.Depin.Mint.V1.GenesisState;
using MintParams = DePinChain.Protos.Depin.Mint.V1.Params;

namespace DePinChain.Modules.Rewards.Tests;

/// <summary>
/// The token flow through the real app: signed txs in FinalizeBlock, end blockers in the app's order, Commit,
/// and ABCI queries. Devices and proof of coverage are not on main yet, so onboarding, location, beacons and
/// witnesses are stood in for by the fake device registry and coverage source the app is wired with; everything
/// else (credits, routers, traffic, mint, rewards, bank) is the real thing.
/// </summary>
public class EndToEndAbciTests
{
    private const string ChainId = "depin-e2e-1";
    private const ulong One = RewardCalculator.UnitScale;
    private static readonly TxSigner Authority = TxSigner.FromSeed("authority"), Customer = TxSigner.FromSeed("customer"), Router = TxSigner.FromSeed("router");
    private static readonly byte[] OwnerA = DePinChain.Modules.Tests.TestState.Address(0x0A), OwnerB = DePinChain.Modules.Tests.TestState.Address(0x0B);
    private static readonly byte[] PayoutV1 = DePinChain.Modules.Tests.TestState.Address(0x81);
    private static readonly byte[] DeviceA = [0x02, .. Enumerable.Repeat((byte)0xA0, 32)], DeviceB = [0x02, .. Enumerable.Repeat((byte)0xB0, 32)];
    private static readonly byte[] ValidatorV1 = Enumerable.Repeat((byte)0x71, 20).ToArray();

    private sealed class Node
    {
        private readonly Dictionary<string, ulong> _sequences = [];
        private readonly Dictionary<string, ulong> _accountNumbers;

        public Node(FakeCoverage coverage, FakeDevices devices)
        {
            Store = MultiStore.OpenOwning(new MemoryKeyValueStore(), AppModules.AllStoreNames, new MultiStoreOptions { CreateIfEmpty = true });
            App = new DePinApp(Store, modules: new AppModules(new DepinWiring(Authority.Address, coverage, devices)));
            TxSigner[] funded = [Authority, Customer, Router];
            _accountNumbers = funded.Select((s, i) => (s.Bech32, (ulong)i)).ToDictionary(x => x.Bech32, x => x.Item2);
            var appState = JsonNode.Parse(TxBuilder.GenesisAppState([.. funded.Select(s => (s.Address, new BigInteger(10_000_000)))]))!;
            var schedule = MintKeeper.DefaultSchedule();
            schedule.EpochBlocks = 5;
            schedule.InitialEpochEmission = "1000000";
            appState["mint"] = JsonNode.Parse(ModuleJson.Format(new MintGenesis
            {
                Params = new MintParams { ReemissionShareBps = 0, MaxReemissionPerEpoch = "0" }, Schedule = schedule, Minter = MintKeeper.InitialMinter(),
            }));
            App.InitChain(new RequestInitChain
            {
                ChainId = ChainId, InitialHeight = 1, Time = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddYears(56)),
                AppStateBytes = ByteString.CopyFromUtf8(appState.ToJsonString()),
            });
        }

        public MultiStore Store { get; }
        public DePinApp App { get; }
        public long Height { get; private set; }

        public byte[] Tx(TxSigner signer, IMessage msg)
        {
            ulong sequence = _sequences.GetValueOrDefault(signer.Bech32);
            _sequences[signer.Bech32] = sequence + 1;
            return new TxBuilder().AddMessage(msg).WithFee("udpin", 500, 400_000).Sign(signer, ChainId, _accountNumbers[signer.Bech32], sequence).ToByteArray();
        }

        /// <summary>FinalizeBlock + Commit with v1 (power 10) having signed the previous block; every tx must succeed.</summary>
        public void Block(params byte[][] txs)
        {
            Height++;
            var request = new RequestFinalizeBlock
            {
                Height = Height, Time = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddYears(56).AddSeconds(5 * Height)),
                Hash = ByteString.CopyFrom(new byte[32]), DecidedLastCommit = new DePinChain.Protos.Abci.CommitInfo(),
            };
            request.DecidedLastCommit.Votes.Add(new AbciVoteInfo
            {
                Validator = new Validator { Address = ByteString.CopyFrom(ValidatorV1), Power = 10 }, BlockIdFlag = DePinChain.Protos.Types.BlockIDFlag.Commit,
            });
            foreach (var tx in txs) request.Txs.Add(ByteString.CopyFrom(tx));
            var response = App.FinalizeBlock(request);
            Assert.All(response.TxResults, r => Assert.True(r.Code == 0, $"tx failed: {r.Codespace} {r.Code} {r.Log}"));
            App.Commit(new RequestCommit());
        }

        public T Query<T>(string path, IMessage request, MessageParser<T> parser) where T : IMessage<T>
        {
            var response = App.Query(new RequestQuery { Path = path, Data = request.ToByteString() });
            Assert.True(response.Code == 0, $"query {path} failed: {response.Log}");
            return parser.ParseFrom(response.Value);
        }

        public BigInteger Balance(byte[] address) => BigInteger.Parse(Query("/cosmos.bank.v1beta1.Query/Balance",
            new BankQuery.QueryBalanceRequest { Address = DePinChain.Sdk.Bech32Address.ToBech32(address), Denom = "udpin" }, BankQuery.QueryBalanceResponse.Parser).Balance.Amount);
    }

    [Fact]
    public void Traffic_paid_with_credits_and_coverage_earn_owners_the_documented_amounts_at_epoch_end()
    {
        var coverage = new FakeCoverage();
        var devices = new FakeDevices();
        devices.Owners[Convert.ToHexString(DeviceA)] = OwnerA;
        devices.Owners[Convert.ToHexString(DeviceB)] = OwnerB;
        // Proof of coverage for epoch 0 (already density-scaled): A beacons 1.0, witnesses 1.0; B beacons 0.5
        // (scale 0.5), witnesses 3.0.
        coverage.Units[0] = [new(DeviceA, OwnerA, One, One, One), new(DeviceB, OwnerB, One / 2, 3 * One, One / 2)];
        using var node = new DisposableNode(new Node(coverage, devices));
        var n = node.Value;

        n.Block(
            n.Tx(Authority, new MsgRegisterRouter { Authority = Authority.Bech32, Router = Router.Bech32, Name = "router-1" }),
            n.Tx(Authority, new MsgSetValidatorPayout { Authority = Authority.Bech32, ConsensusAddress = ByteString.CopyFrom(ValidatorV1), PayoutAddress = DePinChain.Sdk.Bech32Address.ToBech32(PayoutV1) }));
        n.Block(
            n.Tx(Customer, new MsgBurnForCredits { Sender = Customer.Bech32, Amount = "1000" }),
            n.Tx(Customer, new MsgDelegateCredits { Owner = Customer.Bech32, Router = Router.Bech32, Amount = 100 }));
        n.Block(n.Tx(Router, new MsgReportTraffic { Router = Router.Bech32, Payer = Customer.Bech32, DeviceKey = ByteString.CopyFrom(DeviceA), Bytes = 240 }));
        Assert.Equal(BigInteger.Zero, n.Balance(OwnerA));
        n.Block(); // height 4: the last block of epoch 0

        // As in RewardsChainTests: A 106,653 + 159,980 + 100; B 53,326 + 479,940; the validators' 140,000 to v1's
        // payout address (the only signer); the treasury 60,000 + 1 remainder.
        Assert.Equal(new BigInteger(266_733), n.Balance(OwnerA));
        Assert.Equal(new BigInteger(533_266), n.Balance(OwnerB));
        Assert.Equal(new BigInteger(140_000), n.Balance(PayoutV1));
        Assert.Equal(new BigInteger(60_001), n.Balance(DePinChain.Modules.Auth.AuthKeys.ModuleAddress(RewardsKeys.TreasuryModuleName)));
        var record = n.Query("/depin.rewards.v1.Query/DeviceReward", new QueryDeviceRewardRequest { DeviceKey = ByteString.CopyFrom(DeviceA), Epoch = 0 }, QueryDeviceRewardResponse.Parser).Record;
        Assert.Equal((240UL, 10UL, "106653", "159980", "100", "266733"),
            (record.TrafficBytes, record.TrafficDc, record.BeaconAmount, record.WitnessAmount, record.DataAmount, record.Amount));
        var minted = n.Query("/depin.mint.v1.Query/Minted", new DePinChain.Protos.Depin.Mint.V1.QueryMintedRequest(), DePinChain.Protos.Depin.Mint.V1.QueryMintedResponse.Parser);
        Assert.Equal(("1000000", "1000"), (minted.Minter.MintedTotal, minted.Minter.BurnedTotal));
        Assert.Equal(new BigInteger(30_000_000 + 1_000_000 - 1_000), BigInteger.Parse(minted.Supply));
    }

    private sealed class DisposableNode(Node node) : IDisposable
    {
        public Node Value { get; } = node;

        public void Dispose() => Value.Store.Dispose();
    }
}
