using DePinChain.Protos.Depin.Devices.V1;
using System.Globalization;
using DePinChain.App;
using DePinChain.Crypto;
using DePinChain.Fleet.Keys;
using DePinChain.Fleet.Sim;
using DePinChain.Modules.Coverage.Poc;
using DePinChain.Modules.Devices.Geo;
using Google.Protobuf;
using static DePinChain.Bench.BenchArgs;

namespace DePinChain.Bench;

/// <summary>
/// The fleet simulator's own cost: one report built and signed the way `simulate fleet` builds it (beacon over a
/// block hash, the 10 strongest witnesses from the radio model, 11 device signatures, the MsgSubmitPoc, and the
/// owner's secp256k1 tx signature), per CPU-second of one thread, for secp256k1 devices, ed25519 devices and the
/// simulator's default half-and-half mix. Beside it, the chain's side: the single-core verification bound of a report
/// (the same figure the coverage suite prints), and the coverage suite's full FinalizeBlock + Commit row.
/// Options: --fleet-devices=200 --fleet-reports=3000
/// </summary>
public static class FleetBench
{
    private const string Suite = "fleet";
    private const int Witnesses = 10;

    public static IEnumerable<BenchResult> Run(IReadOnlyList<string> args)
    {
        var devices = int.Parse(Option(args, "fleet-devices", "200"), CultureInfo.InvariantCulture);
        var reports = int.Parse(Option(args, "fleet-reports", "3000"), CultureInfo.InvariantCulture);
        var chainLimit = VerifyLimit();
        var secp = SignRate(DeviceKey.Derive(KeyType.Secp256K1, "bench-sign"));
        var ed = SignRate(DeviceKey.Derive(KeyType.Ed25519, "bench-sign"));
        yield return new BenchResult(Suite, "device signature alone, 1 core", $"secp256k1 {secp:N0}/s, ed25519 {ed:N0}/s", "",
            $"a report needs 11: at most {secp / 11:N0} (secp256k1) / {ed / 11:N0} (ed25519) reports/s before any other work");
        foreach (var (label, ed25519Permille) in new[] { ("secp256k1 devices", 0), ("ed25519 devices", 1000), ("mixed 50/50 (simulator default)", 500) })
        {
            var (rate, txRate) = Measure(devices, reports, ed25519Permille);
            yield return new BenchResult(Suite, $"reports built + signed, 1 core, {label}", $"{rate:N0} reports/s", "≥ 5,000 reports/s",
                $"{Witnesses} witnesses, 11 device signatures each; with the owner's tx signature and encoding: {txRate:N0}/s. Chain: {chainLimit:N0} reports/s/core verify bound; see the coverage row for FinalizeBlock+Commit");
        }
    }

    /// <summary>Reports per thread-CPU-second, without and with the tx around each.</summary>
    private static (double Reports, double Txs) Measure(int deviceCount, int reportCount, int ed25519Permille)
    {
        var world = new FleetWorld(new FleetWorldOptions
        {
            Seed = 11, Devices = deviceCount, Center = new GeoPoint(52_520_008, 13_404_954), RadiusMetres = 8_000, CheatPermille = 0, Ed25519Permille = ed25519Permille,
        });
        var factory = new ReportFactory(world, "depin-bench-fleet", PocParams.Default, Witnesses);
        var entropy = Hashes.Sha256("bench entropy"u8);
        var random = new Prng(3);
        // Warm up: neighbour lists of every device (computed once per run of the simulator) and the JIT.
        foreach (var d in world.Devices) factory.Build(d, 100, entropy, 1_767_225_600_000, random);

        var witnessCount = 0L;
        var before = ThreadCpu.Milliseconds();
        for (var i = 0; i < reportCount; i++)
            witnessCount += factory.Build(world.Devices[i % deviceCount], 100, entropy, 1_767_225_600_000, random).Message.Witnesses.Count;
        var reportsPerSecond = reportCount / ((ThreadCpu.Milliseconds() - before) / 1000);
        if (witnessCount != (long)reportCount * Witnesses)
            throw new InvalidOperationException($"the bench world gave {witnessCount / (double)reportCount:N1} witnesses per report, not {Witnesses}");

        before = ThreadCpu.Milliseconds();
        for (var i = 0; i < reportCount; i++)
        {
            var device = world.Devices[i % deviceCount];
            var (message, _) = factory.Build(device, 100, entropy, 1_767_225_600_000, random);
            new TxBuilder { GasLimit = 2_000_000 }.AddMessage(message).Sign(world.Owners[device.Owner], "depin-bench-fleet", 7, (ulong)i).ToByteArray();
        }
        return (reportsPerSecond, reportCount / ((ThreadCpu.Milliseconds() - before) / 1000));
    }

    /// <summary>Signatures per thread-CPU-second over a witness-sized message (SHA-256 + ECDSA for secp256k1).</summary>
    private static double SignRate(DeviceKey key)
    {
        var message = new byte[120];
        for (var i = 0; i < 200; i++) key.Sign(message);
        var before = ThreadCpu.Milliseconds();
        var count = 0;
        while (ThreadCpu.Milliseconds() - before < 1_000)
        {
            for (var i = 0; i < 100; i++) key.Sign(message);
            count += 100;
        }
        return count / ((ThreadCpu.Milliseconds() - before) / 1000);
    }

    /// <summary>The chain's single-core bound: 11 secp256k1 verifications per report (the coverage suite's "report limit" row).</summary>
    private static double VerifyLimit()
    {
        var secret = Hashes.Sha256("bench-verify"u8);
        var key = Secp256k1.GetPublicKey(secret);
        var hash = Hashes.Sha256("message"u8);
        var signature = Secp256k1.Sign(secret, hash);
        for (var i = 0; i < 200; i++) Secp256k1.Verify(key, hash, signature);
        var before = ThreadCpu.Milliseconds();
        var count = 0;
        while ((ThreadCpu.Milliseconds() - before) < 1_000)
        {
            for (var i = 0; i < 100; i++) Secp256k1.Verify(key, hash, signature);
            count += 100;
        }
        return count / ((ThreadCpu.Milliseconds() - before) / 1000) / 11;
    }
}
