using System.Numerics;
using DePinChain.Abci;
using DePinChain.Modules.Auth;
using DePinChain.Modules.Rewards;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Depin.Coverage.V1;
using DePinChain.Protos.Depin.DataCredits.V1;
using DePinChain.Protos.Depin.Rewards.V1;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.IntegrationTests;

/// <summary>
/// Issue 16: a node killed in the middle of a chunked reward payout restarts and replays to the same app hashes, and no
/// device is paid twice or lost. The real <c>depinchaind</c> runs <see cref="PayoutWorkload"/>'s chain (48 devices
/// earning in epoch 0, paid 4 a block) and is killed in every block of the payout, the epoch-end block included, in every
/// way <see cref="CrashingNode"/> knows.
/// </summary>
public sealed class PayoutCrashTests
{
    /// <summary>Through epoch 1's end (height 31) and a block more: epoch 0's payout completes, epoch 1's (empty) opens.</summary>
    private const int Heights = 2 * (int)PayoutWorkload.EpochBlocks;
    private const long EpochEnd = PayoutWorkload.EpochEnd;

    [Fact]
    public async Task A_node_killed_in_every_block_of_a_chunked_payout_replays_to_the_same_hashes_and_pays_each_device_once()
    {
        using var dir = new TempDir();
        var chain = new PayoutWorkload();

        // The uninterrupted reference run: every tx succeeds; note where epoch 0's payout runs (a chunk, or the completion
        // when the chunk found only devices the owners had claimed).
        BlockLog log;
        var payoutHeights = new List<long>();
        long claims = 0;
        EpochSummary summary;
        await using (var reference = Daemon.Start(dir.Sub("reference")))
        {
            await using var driver = await reference.ConnectAsync();
            log = await BlockLog.RecordAsync(driver, chain.Genesis(), Heights, height => Task.FromResult(chain.Block(height)), (block, finalize) =>
            {
                for (int i = 0; i < finalize.TxResults.Count; i++)
                {
                    var result = finalize.TxResults[i];
                    Assert.True(result.Code == 0, $"height {block.Height} tx {i}: {result.Codespace}/{result.Code}: {result.Log}");
                    claims += result.Events.Count(e => e.Type == "rewards_claimed");
                }
                if (finalize.Events.Any(e => e.Type is "rewards_payout" or "rewards_epoch_paid" && Attribute(e, "epoch") == "0")) payoutHeights.Add(block.Height);
            });
            summary = (await QueryAsync(driver, "/depin.rewards.v1.Query/EpochSummary", new QueryEpochSummaryRequest { Epoch = 0 }, QueryEpochSummaryResponse.Parser)).Summary;
        }
        long completedAt = summary.PayoutCompletedHeight;
        Assert.True(summary.PayoutComplete && summary.DevicesRewarded >= 40, $"epoch 0 paid {summary.DevicesRewarded} devices, complete {summary.PayoutComplete}");
        Assert.True(completedAt - EpochEnd >= 10 && payoutHeights.SequenceEqual(Enumerable.Range((int)EpochEnd, (int)(completedAt - EpochEnd + 1)).Select(h => (long)h)),
            $"epoch 0 was paid at heights {string.Join(", ", payoutHeights)}: expected a chunk in every block from the epoch end ({EpochEnd}) on");
        Assert.True(claims > 0, "the owners' claims settled no device before the payout reached it");

        // Crashes: a few while epoch 0 earns; the epoch-end block twice (the first before its commit, so the second
        // lands on it again); every payout block once, the modes in turn; one after.
        var random = new Random(1616);
        var modes = Enum.GetValues<CrashMode>();
        var plan = new List<(long Height, CrashMode Mode)>();
        for (int i = 0; i < 4; i++) plan.Add((random.Next(1, (int)EpochEnd), modes[random.Next(modes.Length)]));
        plan.Add((EpochEnd, CrashMode.AfterFinalizeHook));
        int next = random.Next(modes.Length);
        for (long h = EpochEnd; h <= completedAt; h++) plan.Add((h, modes[next++ % modes.Length]));
        plan.Add((random.Next((int)completedAt + 1, Heights + 1), modes[random.Next(modes.Length)]));

        var node = new CrashingNode(dir.Sub("crashing"), log, random);
        foreach (var (height, mode) in plan.OrderBy(c => c.Height)) await node.CrashAsync(height, mode);
        var inPayout = node.Crashes.Where(c => c.Height >= EpochEnd && c.Height <= completedAt).ToList();
        Assert.True(inPayout.Count >= 10 && inPayout.Select(c => c.Mode).Distinct().Count() == modes.Length && inPayout.Count(c => c.Height == EpochEnd) >= 2,
            $"crashes: {node.CrashList}");

        await node.FinishAsync(driver => CheckPaidOnceAsync(driver, chain, completedAt));
    }

    /// <summary>
    /// Epoch 0 is complete (paid + validators + treasury = minted); the devices with a settled record are exactly those
    /// the epoch's inputs name (units or paid traffic), each once, under its owner; each owner's balance grew by exactly
    /// the sum of its records; the rewards pool holds exactly what epoch 1 has not paid yet.
    /// </summary>
    private static async Task CheckPaidOnceAsync(AbciDriver driver, PayoutWorkload chain, long completedAt)
    {
        var summary = (await QueryAsync(driver, "/depin.rewards.v1.Query/EpochSummary", new QueryEpochSummaryRequest { Epoch = 0 }, QueryEpochSummaryResponse.Parser)).Summary;
        Assert.True(summary.PayoutComplete);
        Assert.Equal(completedAt, summary.PayoutCompletedHeight);
        Assert.Equal(BigInteger.Parse(summary.Minted),
            BigInteger.Parse(summary.PaidToDevices) + BigInteger.Parse(summary.PaidToValidators) + BigInteger.Parse(summary.ToTreasury));

        var earners = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var units in (await QueryAsync(driver, "/depin.coverage.v1.Query/Units", new QueryUnitsRequest { Epoch = 0 }, QueryUnitsResponse.Parser)).Units)
            earners.Add(Convert.ToHexString(units.DeviceKey.Span));
        foreach (var traffic in (await QueryAsync(driver, "/depin.datacredits.v1.Query/Traffic", new QueryTrafficRequest { Epoch = 0 }, QueryTrafficResponse.Parser)).Records)
            earners.Add(Convert.ToHexString(traffic.DeviceKey.Span));

        var ownerOf = chain.World.Devices.ToDictionary(d => Convert.ToHexString(d.Key.PublicKey), d => chain.World.Owners[d.Owner].Bech32);
        var rewarded = new SortedSet<string>(StringComparer.Ordinal);
        BigInteger paid = 0;
        ulong paidDevices = 0;
        foreach (var owner in chain.World.Owners)
        {
            var records = await QueryAsync(driver, "/depin.rewards.v1.Query/OwnerRewards", new QueryOwnerRewardsRequest { Owner = owner.Bech32, Epoch = 0 },
                QueryOwnerRewardsResponse.Parser);
            BigInteger total = 0;
            foreach (var record in records.Records)
            {
                string device = Convert.ToHexString(record.DeviceKey.Span);
                Assert.True(record.Settled, $"device {device} of {owner.Bech32} is not settled");
                Assert.True(rewarded.Add(device), $"device {device} has two records");
                Assert.Equal((ownerOf[device], owner.Bech32), (record.Owner, owner.Bech32));
                var amount = BigInteger.Parse(record.Amount);
                Assert.Equal(BigInteger.Parse(record.BeaconAmount) + BigInteger.Parse(record.WitnessAmount) + BigInteger.Parse(record.DataAmount), amount);
                total += amount;
                if (amount > 0) paidDevices++;
            }
            Assert.Equal(total.ToString(), records.Total);
            Assert.True(PayoutWorkload.OwnerFunds + total == await Workload.BalanceAsync(driver, owner.Bech32),
                $"owner {owner.Bech32}: balance {await Workload.BalanceAsync(driver, owner.Bech32)}, genesis {PayoutWorkload.OwnerFunds} + records {total}");
            paid += total;
        }
        Assert.Equal(earners, rewarded);
        Assert.Equal(summary.PaidToDevices, paid.ToString());
        Assert.Equal(summary.DevicesRewarded, paidDevices);

        // What is not paid yet stays in the rewards pool: epoch 1's emission (its payout walks every device that was
        // ever active, a chunk a block, and is still running at the last height), nothing of epoch 0.
        var epoch1 = (await QueryAsync(driver, "/depin.rewards.v1.Query/EpochSummary", new QueryEpochSummaryRequest { Epoch = 1 }, QueryEpochSummaryResponse.Parser)).Summary;
        Assert.False(epoch1.PayoutComplete);
        Assert.Equal(BigInteger.Parse(epoch1.Minted) - BigInteger.Parse(epoch1.PaidToValidators) - BigInteger.Parse(epoch1.PaidToDevices),
            await Workload.BalanceAsync(driver, Bech32Address.ToBech32(AuthKeys.ModuleAddress(RewardsKeys.ModuleName))));
    }

    private static string Attribute(Event e, string key) => e.Attributes.FirstOrDefault(a => a.Key == key)?.Value ?? "";

    private static async Task<T> QueryAsync<T>(AbciDriver driver, string path, IMessage request, MessageParser<T> parser) where T : IMessage<T>
    {
        var response = await driver.QueryAsync(new RequestQuery { Path = path, Data = request.ToByteString() });
        Assert.True(response.Code == 0, $"query {path}: {response.Codespace}/{response.Code}: {response.Log}");
        return parser.ParseFrom(response.Value);
    }
}
