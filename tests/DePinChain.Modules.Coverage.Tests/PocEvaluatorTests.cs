using DePinChain.Modules.Coverage.Poc;
using DePinChain.Modules.Devices;
using DePinChain.Modules.Devices.Geo;
using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Coverage.Tests;

public class PocEvaluatorTests
{
    private static readonly GeoPoint Berlin = new(52_520_008, 13_404_954);
    private readonly FakeChain _chain = new();
    private readonly TestDevice _beaconer = TestDevice.Create("beaconer", Berlin);
    private readonly TestDevice[] _witnesses;

    public PocEvaluatorTests()
    {
        _witnesses = Enumerable.Range(0, 20)
            .Select(i => TestDevice.Create($"witness-{i}", Reports.Offset(Berlin, 1_000 + 900 * i, 300 * i), type: i % 2 == 0 ? KeyType.Secp256K1 : KeyType.Ed25519))
            .ToArray();
        _chain.Add(_beaconer);
        _chain.Add(_witnesses);
    }

    private PocEvaluation Evaluate(BeaconReport beacon, params WitnessReport[] witnesses) => PocEvaluator.Evaluate(beacon, witnesses, _chain, PocParams.Default);

    private WitnessReport[] HonestWitnesses(BeaconReport beacon, int count) =>
        _witnesses.Take(count).Select(w => Reports.Witness(_chain, beacon, _beaconer, w)).ToArray();

    private WitnessOutcome EvaluateOneWitness(TestDevice witness, Func<WitnessReport, WitnessReport>? tamper = null)
    {
        var beacon = Reports.Beacon(_chain, _beaconer);
        return Evaluate(beacon, Reports.Witness(_chain, beacon, _beaconer, witness, tamper)).Witnesses.Single();
    }

    [Fact]
    public void An_honest_beacon_with_three_witnesses_is_valid_and_earns_the_HIP15_units()
    {
        var beacon = Reports.Beacon(_chain, _beaconer);
        var result = Evaluate(beacon, HonestWitnesses(beacon, 3));
        Assert.Equal(PocVerdict.Valid, result.Beacon.Verdict);
        Assert.All(result.Witnesses, w => Assert.Equal(PocVerdict.Valid, w.Verdict));
        Assert.Equal(RewardUnits.Scale * 3 / 4, result.BeaconUnits);
        Assert.All(result.Witnesses, w => Assert.Equal(RewardUnits.Scale, w.Units));
    }

    [Fact]
    public void The_beaconer_density_scale_multiplies_every_unit()
    {
        _chain.Scale = RewardUnits.Scale / 2;
        var beacon = Reports.Beacon(_chain, _beaconer);
        var result = Evaluate(beacon, HonestWitnesses(beacon, 4));
        Assert.Equal(RewardUnits.Scale / 2, result.BeaconUnits);
        Assert.All(result.Witnesses, w => Assert.Equal(RewardUnits.Scale / 2, w.Units));
    }

    [Fact]
    public void At_most_fourteen_witnesses_are_selected_in_an_order_the_list_order_does_not_change()
    {
        var beacon = Reports.Beacon(_chain, _beaconer);
        var honest = HonestWitnesses(beacon, 20);
        var forward = Evaluate(beacon, honest);
        var backward = Evaluate(beacon, [.. honest.Reverse()]);
        Assert.Equal(14, forward.Witnesses.Count(w => w.Selected));
        Assert.Equal(6, forward.Witnesses.Count(w => w.Verdict == PocVerdict.Unselected));
        var selectedForward = forward.Witnesses.Where(w => w.Selected).Select(w => Convert.ToHexString(w.WitnessKey)).Order();
        var selectedBackward = backward.Witnesses.Where(w => w.Selected).Select(w => Convert.ToHexString(w.WitnessKey)).Order();
        Assert.Equal(selectedForward, selectedBackward);
        Assert.Equal(RewardUnits.WitnessUnits(14, 4, 800_000_000), forward.Witnesses.First(w => w.Selected).Units);
        Assert.All(forward.Witnesses.Where(w => !w.Selected), w => Assert.Equal(0, w.Units));
    }

    [Fact]
    public void Signatures_verified_in_parallel_up_front_give_the_same_verdicts_as_inline_checks()
    {
        var beacon = Reports.Beacon(_chain, _beaconer);
        var witnesses = HonestWitnesses(beacon, 12);
        witnesses[3].Signature[7] ^= 1;
        witnesses[8] = witnesses[8] with { Signature = witnesses[9].Signature };
        var signatures = PocSignatureChecks.Verify(DirectSignatureVerifier.Instance, _chain.ChainId, beacon, witnesses);
        Assert.Equal(13, signatures.Length);
        Assert.Equal(2, signatures.Count(ok => !ok));
        var inline = Evaluate(beacon, witnesses);
        var precomputed = PocEvaluator.Evaluate(beacon, witnesses, _chain, PocParams.Default, signatures);
        Assert.Equal(inline.Witnesses.Select(w => (w.Verdict, w.Units)), precomputed.Witnesses.Select(w => (w.Verdict, w.Units)));
        Assert.Equal(2, precomputed.Witnesses.Count(w => w.Verdict == PocVerdict.WitnessSignatureInvalid));
    }

    // ---- beacon-level rejections: the whole report is refused ----

    [Fact]
    public void A_forged_beacon_signature_is_rejected()
    {
        var beacon = Reports.Beacon(_chain, _beaconer);
        beacon.Signature[5] ^= 1;
        Assert.Equal(PocVerdict.BeaconSignatureInvalid, Evaluate(beacon).Beacon.Verdict);
    }

    [Fact]
    public void A_beacon_from_an_unknown_device_is_rejected()
    {
        var stranger = TestDevice.Create("stranger", Berlin);
        Assert.Equal(PocVerdict.BeaconerUnknown, Evaluate(Reports.Beacon(_chain, stranger)).Beacon.Verdict);
    }

    [Theory]
    [InlineData(DeviceStatus.Decommissioned, DeviceMode.Full, true, PocVerdict.BeaconerInactive)]
    [InlineData(DeviceStatus.Active, DeviceMode.DataOnly, true, PocVerdict.BeaconerNotFullMode)]
    [InlineData(DeviceStatus.Active, DeviceMode.Full, false, PocVerdict.BeaconerNotLocated)]
    public void An_ineligible_beaconer_is_rejected(DeviceStatus status, DeviceMode mode, bool located, PocVerdict expected)
    {
        var device = TestDevice.Create("odd", located ? Berlin : null, status: status, mode: mode);
        _chain.Add(device);
        Assert.Equal(expected, Evaluate(Reports.Beacon(_chain, device)).Beacon.Verdict);
    }

    [Fact]
    public void A_deny_listed_beaconer_is_rejected()
    {
        _chain.DeniedDevices.Add(Convert.ToHexString(_beaconer.Key));
        Assert.Equal(PocVerdict.BeaconerDenyListed, Evaluate(Reports.Beacon(_chain, _beaconer)).Beacon.Verdict);
    }

    [Theory]
    [InlineData(-121)] // older than the 120-block window
    [InlineData(0)]    // the current block: its hash is not known yet
    [InlineData(5)]    // a future block
    public void Entropy_outside_the_window_is_rejected(int offset)
    {
        _chain.Height = 1_000;
        for (var h = 1; h < _chain.Height; h++) _chain.BlockHashes[h] = Hashes(h);
        var beacon = Reports.Beacon(_chain, _beaconer, entropyHeight: _chain.Height + offset);
        Assert.Equal(PocVerdict.EntropyOutsideWindow, Evaluate(beacon).Beacon.Verdict);
    }

    [Fact]
    public void Entropy_whose_hash_is_no_longer_kept_is_rejected()
    {
        _chain.BlockHashes.Remove(_chain.Height - 3);
        Assert.Equal(PocVerdict.EntropyOutsideWindow, Evaluate(Reports.Beacon(_chain, _beaconer, entropyHeight: _chain.Height - 3)).Beacon.Verdict);
    }

    [Fact]
    public void A_payload_not_derived_from_the_entropy_is_rejected()
    {
        var beacon = Reports.Beacon(_chain, _beaconer, tamper: b => b with { Payload = new byte[32] });
        Assert.Equal(PocVerdict.PayloadMismatch, Evaluate(beacon).Beacon.Verdict);
    }

    [Fact]
    public void A_beacon_outside_the_regional_plan_is_rejected()
    {
        var beacon = Reports.Beacon(_chain, _beaconer, tamper: b => b with { FrequencyHz = 915_000_000 });
        Assert.Equal(PocVerdict.FrequencyOutsidePlan, Evaluate(beacon).Beacon.Verdict);
    }

    [Fact]
    public void A_second_beacon_within_the_interval_is_rejected_and_allowed_after_it()
    {
        _chain.LastBeacon[Convert.ToHexString(_beaconer.Key)] = _chain.Height - PocParams.Default.BeaconIntervalBlocks + 1;
        Assert.Equal(PocVerdict.BeaconIntervalNotElapsed, Evaluate(Reports.Beacon(_chain, _beaconer)).Beacon.Verdict);
        _chain.LastBeacon[Convert.ToHexString(_beaconer.Key)] = _chain.Height - PocParams.Default.BeaconIntervalBlocks;
        Assert.Equal(PocVerdict.Valid, Evaluate(Reports.Beacon(_chain, _beaconer)).Beacon.Verdict);
    }

    [Fact]
    public void A_beaconer_past_its_first_48_hours_that_never_witnessed_earns_nothing_but_its_witnesses_do()
    {
        _chain.Height = 40_000;
        for (var h = _chain.Height - 10; h < _chain.Height; h++) _chain.BlockHashes[h] = Hashes(h);
        foreach (var w in _witnesses) _chain.LastBeacon[Convert.ToHexString(w.Key)] = _chain.Height - 10_000;
        var beacon = Reports.Beacon(_chain, _beaconer);
        var result = Evaluate(beacon, HonestWitnesses(beacon, 2));
        Assert.Equal(PocVerdict.BeaconerNoReciprocity, result.Beacon.Verdict);
        Assert.False(result.Rejected);
        Assert.Equal(0, result.BeaconUnits);
        Assert.All(result.Witnesses, w => Assert.Equal(RewardUnits.Scale, w.Units));

        _chain.LastWitness[Convert.ToHexString(_beaconer.Key)] = _chain.Height - 100;
        Assert.Equal(PocVerdict.Valid, Evaluate(beacon, HonestWitnesses(beacon, 2)).Beacon.Verdict);
    }

    private static byte[] Hashes(long h) => DePinChain.Crypto.Hashes.Sha256(BitConverter.GetBytes(h));

    // ---- witness-level verdicts: stored with the report ----

    [Fact]
    public void A_forged_witness_signature_is_recorded()
    {
        var beacon = Reports.Beacon(_chain, _beaconer);
        var forged = Reports.Witness(_chain, beacon, _beaconer, _witnesses[1]);
        forged.Signature[0] ^= 0x40;
        Assert.Equal(PocVerdict.WitnessSignatureInvalid, Evaluate(beacon, forged).Witnesses.Single().Verdict);
    }

    [Fact]
    public void A_duplicate_witness_counts_once()
    {
        var beacon = Reports.Beacon(_chain, _beaconer);
        var w = Reports.Witness(_chain, beacon, _beaconer, _witnesses[0]);
        var result = Evaluate(beacon, w, w);
        Assert.Equal([PocVerdict.Valid, PocVerdict.DuplicateWitness], result.Witnesses.Select(x => x.Verdict));
    }

    [Fact]
    public void A_device_witnessing_itself_is_recorded()
    {
        var beacon = Reports.Beacon(_chain, _beaconer);
        var self = Reports.Witness(_chain, beacon, _beaconer, _witnesses[0]) with { WitnessKey = _beaconer.Key };
        self = self with { Signature = _beaconer.Sign(PocSignBytes.Witness(_chain.ChainId, self)) };
        Assert.Equal(PocVerdict.SelfWitness, Evaluate(beacon, self).Witnesses.Single().Verdict);
    }

    [Fact]
    public void An_unknown_witness_is_recorded()
    {
        var stranger = TestDevice.Create("stranger", Reports.Offset(Berlin, 2_000, 0));
        Assert.Equal(PocVerdict.WitnessUnknown, EvaluateOneWitness(stranger).Verdict);
    }

    [Fact]
    public void A_witness_quoting_another_payload_is_recorded() =>
        Assert.Equal(PocVerdict.WitnessPayloadMismatch, EvaluateOneWitness(_witnesses[0], w => w with { PayloadHash = new byte[32] }).Verdict);

    [Fact]
    public void Deny_listed_witnesses_and_pairs_are_recorded()
    {
        _chain.DeniedDevices.Add(Convert.ToHexString(_witnesses[0].Key));
        _chain.DeniedPairs.Add(Convert.ToHexString(_witnesses[1].Key) + Convert.ToHexString(_beaconer.Key));
        Assert.Equal(PocVerdict.WitnessDenyListed, EvaluateOneWitness(_witnesses[0]).Verdict);
        Assert.Equal(PocVerdict.PairDenyListed, EvaluateOneWitness(_witnesses[1]).Verdict);
        Assert.Equal(PocVerdict.Valid, EvaluateOneWitness(_witnesses[2]).Verdict);
    }

    [Fact]
    public void A_witness_more_than_four_seconds_late_is_recorded()
    {
        Assert.Equal(PocVerdict.Valid, EvaluateOneWitness(_witnesses[0], w => w with { TimestampMs = Reports.BeaconTime + 4_000 }).Verdict);
        Assert.Equal(PocVerdict.WitnessLate, EvaluateOneWitness(_witnesses[0], w => w with { TimestampMs = Reports.BeaconTime + 4_001 }).Verdict);
    }

    [Fact]
    public void A_witness_on_another_frequency_is_recorded()
    {
        Assert.Equal(PocVerdict.Valid, EvaluateOneWitness(_witnesses[0], w => w with { FrequencyHz = Reports.BeaconFrequency - 100_000 }).Verdict);
        Assert.Equal(PocVerdict.FrequencyMismatch, EvaluateOneWitness(_witnesses[0], w => w with { FrequencyHz = Reports.BeaconFrequency + 100_001 }).Verdict);
    }

    [Fact]
    public void A_witness_across_a_region_border_is_recorded()
    {
        // EU868 ends at 32° E at this latitude; RU864 begins. 868.1 MHz is inside both plans.
        var west = TestDevice.Create("west", new GeoPoint(51_500_000, 31_900_000));
        var east = TestDevice.Create("east", new GeoPoint(51_500_000, 32_100_000));
        _chain.Add(west, east);
        Assert.Equal((Devices.Geo.Region.EU868, Devices.Geo.Region.RU864), (west.Info.Location!.Region, east.Info.Location!.Region));
        var beacon = Reports.Beacon(_chain, west);
        Assert.Equal(PocVerdict.RegionMismatch, Evaluate(beacon, Reports.Witness(_chain, beacon, west, east)).Witnesses.Single().Verdict);
    }

    [Fact]
    public void Witnesses_too_close_or_too_far_are_recorded()
    {
        var near = TestDevice.Create("near", Reports.Offset(Berlin, 300, 0));
        var far = TestDevice.Create("far", Reports.Offset(Berlin, 0, 101_000));
        var edge = TestDevice.Create("edge", Reports.Offset(Berlin, 420, 0));
        _chain.Add(near, far, edge);
        var nearOutcome = EvaluateOneWitness(near);
        Assert.Equal(PocVerdict.TooClose, nearOutcome.Verdict);
        Assert.InRange(nearOutcome.DistanceMetres, 290, 310);
        Assert.Equal(PocVerdict.TooFar, EvaluateOneWitness(far).Verdict);
        Assert.Equal(PocVerdict.Valid, EvaluateOneWitness(edge).Verdict);
    }

    [Fact]
    public void A_signal_stronger_than_free_space_allows_is_recorded()
    {
        var honest = Reports.HonestRssi(_beaconer, _witnesses[3]);
        Assert.Equal(PocVerdict.Valid, EvaluateOneWitness(_witnesses[3], w => w with { RssiTenthsDbm = honest + 140 }).Verdict);
        Assert.Equal(PocVerdict.SignalTooStrong, EvaluateOneWitness(_witnesses[3], w => w with { RssiTenthsDbm = honest + 160 }).Verdict);
    }

    [Fact]
    public void The_signal_bound_counts_the_elevation_difference()
    {
        // 600 m on the ground but 1,500 m higher: free space loses over ≈ 1,615.5 m, about 8.6 dB more than over 600 m.
        var mast = TestDevice.Create("mast", Reports.Offset(Berlin, 600, 0), elevationMetres: 1_510);
        _chain.Add(mast);
        var honest = Reports.HonestRssi(_beaconer, mast); // 15 dB under the 3-D bound, in double
        Assert.Equal(PocVerdict.Valid, EvaluateOneWitness(mast, w => w with { RssiTenthsDbm = honest + 140 }).Verdict);
        var tooStrong = EvaluateOneWitness(mast, w => w with { RssiTenthsDbm = honest + 160 });
        Assert.Equal(PocVerdict.SignalTooStrong, tooStrong.Verdict);
        Assert.InRange(tooStrong.DistanceMetres, 590, 610); // the stored distance stays the ground one

        // The same RSSI would pass a bound on the ground distance alone (about 8.6 dB more allowed).
        double groundMetres = tooStrong.DistanceMetres;
        var groundBoundTenths = 10 * (Reports.TxPower / 10.0 + 3 + 3 - 20 * Math.Log10(4 * Math.PI * groundMetres * Reports.BeaconFrequency / 299_792_458.0));
        Assert.True(honest + 160 < groundBoundTenths, $"{honest + 160} vs ground-only bound {groundBoundTenths:F1}");
    }

    [Fact]
    public void A_witness_that_never_beacons_loses_reciprocity_after_its_first_48_hours()
    {
        _chain.Height = 40_000;
        for (var h = _chain.Height - 10; h < _chain.Height; h++) _chain.BlockHashes[h] = Hashes(h);
        _chain.LastWitness[Convert.ToHexString(_beaconer.Key)] = _chain.Height - 5;
        var young = TestDevice.Create("young", Reports.Offset(Berlin, 5_000, 0), onboardedHeight: _chain.Height - 100);
        _chain.Add(young);
        Assert.Equal(PocVerdict.WitnessNoReciprocity, EvaluateOneWitness(_witnesses[0]).Verdict);
        Assert.Equal(PocVerdict.Valid, EvaluateOneWitness(young).Verdict);
        _chain.LastBeacon[Convert.ToHexString(_witnesses[0].Key)] = _chain.Height - PocParams.Default.ReciprocityWindowBlocks;
        Assert.Equal(PocVerdict.Valid, EvaluateOneWitness(_witnesses[0]).Verdict);
    }

    [Fact]
    public void Every_witness_verdict_carries_a_reason_that_names_its_numbers()
    {
        var far = TestDevice.Create("far2", Reports.Offset(Berlin, 0, 150_000));
        _chain.Add(far);
        var outcome = EvaluateOneWitness(far);
        Assert.Equal(PocVerdict.TooFar, outcome.Verdict);
        Assert.Contains("100000 m", outcome.Reason);
        Assert.Contains(outcome.DistanceMetres.ToString(System.Globalization.CultureInfo.InvariantCulture), outcome.Reason);
    }

    // ---- malformed input ----

    [Fact]
    public void Zero_frequency_is_an_invalid_frequency()
    {
        var beacon = Reports.Beacon(_chain, _beaconer, tamper: b => b with { FrequencyHz = 0 });
        Assert.Equal(PocVerdict.InvalidFrequency, Evaluate(beacon).Beacon.Verdict);
        var good = Reports.Beacon(_chain, _beaconer);
        Assert.Equal(PocVerdict.InvalidFrequency, Evaluate(good, Reports.Witness(_chain, good, _beaconer, _witnesses[0], w => w with { FrequencyHz = 0 })).Beacon.Verdict);
    }

    [Fact]
    public void An_oversized_witness_list_is_refused()
    {
        var beacon = Reports.Beacon(_chain, _beaconer);
        var one = Reports.Witness(_chain, beacon, _beaconer, _witnesses[0]);
        Assert.Equal(PocVerdict.TooManyWitnesses, Evaluate(beacon, Enumerable.Repeat(one, 65).ToArray()).Beacon.Verdict);
    }

    [Theory]
    [InlineData("key")]
    [InlineData("payload")]
    [InlineData("signature")]
    [InlineData("entropy")]
    [InlineData("witness-key")]
    [InlineData("witness-signature")]
    public void Malformed_fields_are_refused_before_any_state_is_read(string field)
    {
        var beacon = Reports.Beacon(_chain, _beaconer);
        var witness = Reports.Witness(_chain, beacon, _beaconer, _witnesses[0]);
        (beacon, witness) = field switch
        {
            "key" => (beacon with { BeaconerKey = new byte[31] }, witness),
            "payload" => (beacon with { Payload = new byte[5] }, witness),
            "signature" => (beacon with { Signature = new byte[63] }, witness),
            "entropy" => (beacon with { EntropyHeight = 0 }, witness),
            "witness-key" => (beacon, witness with { WitnessKey = [] }),
            _ => (beacon, witness with { Signature = new byte[70] }),
        };
        Assert.Equal(PocVerdict.MalformedReport, Evaluate(beacon, witness).Beacon.Verdict);
    }
}
