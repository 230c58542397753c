using DePinChain.Modules.Coverage.Poc;
using DePinChain.Modules.Devices.Geo;
using DePinChain.Protos.Depin.Coverage.V1;
using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using ProtoMode = DePinChain.Protos.Depin.Devices.V1.DeviceMode;

namespace DePinChain.Modules.Coverage.Tests;

/// <summary>
/// The incremental density recompute (only the regions around cells whose full-device count changed) against the full
/// recompute of before (every located device counted, every cell scaled), over random histories of devices onboarded,
/// located, moved and decommissioned: the same scales at every epoch start, and the same history of the ended epoch.
/// </summary>
public class DensityIncrementalTests
{
    private const long EpochBlocks = 5;

    /// <summary>Clusters a few hundred metres wide, so cells crowd; two of them far apart (other coarsest-level regions).</summary>
    private static readonly GeoPoint[] Clusters = [new(52_520_008, 13_404_954), new(52_521_500, 13_407_000), new(48_137_154, 11_576_124), new(40_416_775, -3_703_790)];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Incremental_recompute_gives_the_full_recomputes_scales_and_history_over_random_histories(int seed)
    {
        var world = new SimWorld(seed, epochBlocks: EpochBlocks);
        var random = new Random(seed);
        var chain = world.Chain;
        var live = new List<(SimDevice Device, ulong Nonce)>();
        var expected = FullRecompute(world); // the genesis scales (none) are what the counts give
        Assert.Empty(expected);

        for (var block = 0; block < 12 * EpochBlocks; block++)
        {
            for (var step = random.Next(0, 6); step > 0; step--)
            {
                var roll = random.Next(100);
                if (roll < 45 || live.Count == 0)
                {
                    var device = world.NewDevice(Near(random));
                    chain.ExecuteOk(world.OnboardMsg(device, random.Next(5) == 0 ? ProtoMode.DataOnly : ProtoMode.Full));
                    if (random.Next(6) == 0) continue; // onboarded, never located
                    chain.ExecuteOk(world.LocateMsg(device));
                    live.Add((device, 1));
                }
                else
                {
                    var i = random.Next(live.Count);
                    var (device, nonce) = live[i];
                    if (roll < 85)
                    {
                        var to = random.Next(3) == 0 ? device.At : Near(random); // sometimes re-asserted in place
                        chain.ExecuteOk(new Protos.Depin.Devices.V1.MsgAssertLocation
                        {
                            Owner = Bech32Address.ToBech32(device.Owner), DeviceKey = ByteString.CopyFrom(device.Key), LatitudeMicro = to.LatitudeMicro,
                            LongitudeMicro = to.LongitudeMicro, AntennaGainTenthsDbi = device.GainTenthsDbi, ElevationMetres = 20, Nonce = nonce + 1,
                        });
                        live[i] = (device, nonce + 1);
                    }
                    else
                    {
                        chain.ExecuteOk(new MsgDecommissionDevice { Owner = Bech32Address.ToBech32(device.Owner), DeviceKey = ByteString.CopyFrom(device.Key) });
                        live.RemoveAt(i);
                    }
                }
            }
            world.NextBlock();
            if (chain.Height % EpochBlocks != 0) continue;

            // The first block of an epoch: the recompute ran in its begin block.
            var before = expected;
            expected = FullRecompute(world);
            var ctx = chain.Context();
            Assert.Equal(expected.Where(kv => kv.Value != RewardUnits.Scale).ToList(), world.Coverage.Keeper.CellScales(ctx).Select(c => new KeyValuePair<ulong, long>(c.Cell, c.Scale)).ToList());
            var changed = before.Keys.Union(expected.Keys).Order()
                .Where(cell => before.GetValueOrDefault(cell, RewardUnits.Scale) != expected.GetValueOrDefault(cell, RewardUnits.Scale))
                .Select(cell => (cell, before.GetValueOrDefault(cell, RewardUnits.Scale))).ToList();
            var ended = (ulong)(chain.Height / EpochBlocks - 1);
            Assert.Equal(changed, world.Coverage.Keeper.ScaleHistory(ctx, ended).ToList());
        }
        Assert.Contains(expected.Values, scale => scale < RewardUnits.Scale); // the history crowded some cell
    }

    [Fact]
    public void A_genesis_whose_scales_are_not_what_its_devices_give_is_corrected_at_the_next_epoch_and_no_earlier()
    {
        // Three full-mode devices in one finest cell (scale 1/3 each), and a document that says otherwise for it and for an empty cell.
        var seedWorld = new SimWorld(7, epochBlocks: EpochBlocks);
        var crowd = Enumerable.Range(0, 3).Select(i => seedWorld.NewDevice(Reports.Offset(Clusters[0], 20_000, 10 * i))).ToArray();
        foreach (var d in crowd) seedWorld.OnboardAndLocate(d);
        var devices = seedWorld.Devices.ExportGenesis(seedWorld.Chain.Context());
        var cell = GeoCell.Containing(crowd[0].At, GeoCell.FinestLevel).Index;
        var emptyCell = GeoCell.Containing(Clusters[3], GeoCell.FinestLevel).Index;
        var coverage = SimWorld.Genesis(null, 0, EpochBlocks).CoverageJson;
        var g = CoverageGenesis.Json.Parse(coverage);
        g.CellScales.Add(new CellScale { Cell = cell, Scale = RewardUnits.Scale / 2 });
        g.CellScales.Add(new CellScale { Cell = emptyCell, Scale = RewardUnits.Scale / 4 });
        var world = new SimWorld(7, devicesGenesis: devices, coverageGenesis: CoverageGenesis.Json.Format(g), epochBlocks: EpochBlocks);

        var keeper = world.Coverage.Keeper;
        Assert.Equal(RewardUnits.Scale / 2, keeper.CellScale(world.Chain.Context(), cell)); // epoch 0 runs with the document's scales
        while (world.Chain.Height % EpochBlocks != 0) world.NextBlock();
        var ctx = world.Chain.Context();
        Assert.Equal([new KeyValuePair<ulong, long>(cell, RewardUnits.Scale / 3)], keeper.CellScales(ctx).Select(c => new KeyValuePair<ulong, long>(c.Cell, c.Scale)));
        Assert.Equal(FullRecompute(world).Where(kv => kv.Value != RewardUnits.Scale), keeper.CellScales(ctx).Select(c => new KeyValuePair<ulong, long>(c.Cell, c.Scale)));
    }

    /// <summary>Offsets of up to ~600 m around a random cluster: crowded finest and level-17 cells, sparse ones around them.</summary>
    private static GeoPoint Near(Random random)
    {
        var at = Clusters[random.Next(Clusters.Length)];
        return new GeoPoint(at.LatitudeMicro + random.Next(-3_000, 3_000), at.LongitudeMicro + random.Next(-5_000, 5_000));
    }

    /// <summary>The recompute of before: every active, located, full-mode device counted in its finest cell, every cell scaled.</summary>
    private static SortedDictionary<ulong, long> FullRecompute(SimWorld world)
    {
        var ctx = world.Chain.Context();
        var counts = new SortedDictionary<ulong, long>();
        foreach (var (cell, _, mode) in world.Devices.Keeper.LocatedDevices(ctx))
            if (mode == ProtoMode.Full) counts[cell] = counts.GetValueOrDefault(cell) + 1;
        Assert.Equal(counts.ToList(), world.Devices.Keeper.FullDeviceCounts(ctx, 0, ulong.MaxValue).Select(c => new KeyValuePair<ulong, long>(c.FinestCell, c.Devices)).ToList());
        return DensityScaling.Compute(counts, CoverageParams.DensityTable(world.Coverage.Keeper.GetParams(ctx)));
    }
}
