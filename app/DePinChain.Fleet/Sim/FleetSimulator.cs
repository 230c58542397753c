using System.Numerics;
using DePinChain.App;
using DePinChain.Fleet.Files;
using DePinChain.Fleet.Keys;
using DePinChain.Modules.Coverage.Poc;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Protos.Depin.Coverage.V1;
using DePinChain.Protos.Depin.DataCredits.V1;
using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using BankSend = DePinChain.Protos.Cosmos.Bank.V1Beta1.MsgSend;
using CoverageParamsRequest = DePinChain.Protos.Depin.Coverage.V1.QueryParamsRequest;
using CoverageParamsResponse = DePinChain.Protos.Depin.Coverage.V1.QueryParamsResponse;
using MintEpochRequest = DePinChain.Protos.Depin.Mint.V1.QueryCurrentEpochRequest;
using MintEpochResponse = DePinChain.Protos.Depin.Mint.V1.QueryCurrentEpochResponse;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;
using RewardsSummaryRequest = DePinChain.Protos.Depin.Rewards.V1.QueryEpochSummaryRequest;
using RewardsSummaryResponse = DePinChain.Protos.Depin.Rewards.V1.QueryEpochSummaryResponse;

namespace DePinChain.Fleet.Sim;

/// <summary>How the simulator runs (the world itself is <see cref="FleetWorldOptions"/>).</summary>
public sealed record FleetRunOptions
{
    /// <summary>The account that may add makers and register routers (devices' and data credits' params.authority); null: both must exist already.</summary>
    public TxSigner? Authority { get; init; }
    /// <summary>Funds the owners and routers by bank sends, and is the maker's fee payer; null: they must be funded already.</summary>
    public TxSigner? Funder { get; init; }
    /// <summary>Stop after this many blocks of running (0: no block limit).</summary>
    public long Blocks { get; init; }
    /// <summary>Stop once this many epochs have finished since the start (0: no epoch limit).</summary>
    public int Epochs { get; init; }
    public int MaxWitnesses { get; init; } = 10;
    /// <summary>Routers report traffic every this many blocks.</summary>
    public int TrafficEveryBlocks { get; init; } = 3;
    public string Denom { get; init; } = "udpin";
    public long OwnerFunds { get; init; } = 1_000_000;
    public long RouterFunds { get; init; } = 100_000_000;
    /// <summary>udpin a router burns for data credits each time it runs low.</summary>
    public long RouterCreditPurchase { get; init; } = 10_000_000;
    public ulong PocGas { get; init; } = 2_000_000;
    public ulong SetupGas { get; init; } = 5_000_000;
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan InclusionTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Called with every tx the simulator broadcasts (tests compare two runs).</summary>
    public Action<byte[]>? OnTx { get; init; }
    /// <summary>One line per setup step.</summary>
    public Action<string>? Log { get; init; }
    /// <summary>Called as each epoch finishes.</summary>
    public Action<EpochReport>? OnEpoch { get; init; }
}

/// <summary>
/// Drives a <see cref="FleetWorld"/> against a chain through real transactions. Setup: the authority adds the maker and
/// registers the routers; the funder funds owners and routers; owners onboard their devices (device and maker
/// signatures) and assert their locations; routers buy data credits. Then, block by block: every device whose beacon
/// slot has come beacons over the latest block's hash, the devices that hear it (free-space loss, urban excess loss
/// and seeded shadowing from the true positions) witness it, and its owner submits the signed reports as a
/// <c>MsgSubmitPoc</c>; cheaters cheat by kind; routers report traffic. Every verdict is checked against what the
/// simulator expected (the tx code for a rejected report, the stored witness verdicts for an accepted one) and
/// tallied per epoch, with the rewards the chain paid for it.
/// Deterministic from the seed given a deterministic chain: the same txs in the same order, so the same app hash.
/// </summary>
public sealed class FleetSimulator
{
    private const int MaxUnexpectedSamples = 20;
    private readonly IFleetChain _chain;
    private readonly FleetWorld _world;
    private readonly FleetRunOptions _options;
    private readonly Dictionary<string, Account> _accounts = new(StringComparer.Ordinal);
    private readonly long[] _lastBeaconTick;
    private ReportFactory? _reports;
    private readonly List<string> _unexpectedSamples = [];
    private readonly FleetTally _total = new();
    private readonly List<EpochReport> _epochs = [];
    private readonly SortedDictionary<long, FleetTally> _open = [];
    private readonly Dictionary<int, ulong> _routerCredits = [];
    private string _chainId = "";
    private PocParams _poc = PocParams.Default;
    private long _epochBlocks = 1;
    private long _firstHeight;
    private long _lastReportedEpoch = -1;

    public FleetSimulator(IFleetChain chain, FleetWorld world, FleetRunOptions options)
    {
        _chain = chain;
        _world = world;
        _options = options;
        _lastBeaconTick = Enumerable.Repeat(long.MinValue, world.Devices.Count).ToArray();
    }

    private sealed class Account(TxSigner signer)
    {
        public TxSigner Signer { get; } = signer;
        public string Address { get; } = signer.Bech32;
        public ulong Number { get; set; }
        public ulong Sequence { get; set; }
        public bool Known { get; set; }
    }

    /// <summary>A tx sent in a tick, waiting for its block.</summary>
    private sealed record Pending(string Hash, Func<TxOutcome, Task> OnIncluded);

    // ================================================================== run

    public async Task<FleetSummary> RunAsync(CancellationToken cancel)
    {
        var head = await _chain.HeadAsync(cancel);
        _chainId = head.ChainId;
        _firstHeight = head.Height;
        await ReadChainParamsAsync(cancel);
        head = await SetupAsync(head, cancel);
        _lastReportedEpoch = head.Height / _epochBlocks - 1;
        var startEpoch = head.Height / _epochBlocks;
        long ticks = 0;
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                if (_options.Blocks > 0 && ticks >= _options.Blocks) break;
                if (_options.Epochs > 0 && _lastReportedEpoch >= startEpoch + _options.Epochs - 1) break;
                head = await _chain.WaitForHeightAsync(head.Height + 1, cancel);
                await ReportFinishedEpochsAsync(head.Height, cancel);
                if (_options.Epochs > 0 && _lastReportedEpoch >= startEpoch + _options.Epochs - 1) break;
                await TickAsync(head, cancel);
                ticks++;
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }
        var end = await _chain.HeadAsync(CancellationToken.None);
        var cheaters = Enum.GetValues<CheatKind>().Where(k => k != CheatKind.None).ToDictionary(k => k.ToString(), k => _world.CountOf(k));
        return new FleetSummary(_chainId, _world.Options.Seed, _world.Devices.Count, cheaters, _firstHeight, end.Height, Convert.ToHexString(end.AppHash),
            _total, _epochs, _unexpectedSamples);
    }

    private async Task ReadChainParamsAsync(CancellationToken cancel)
    {
        var coverage = await QueryAsync("/depin.coverage.v1.Query/Params", new CoverageParamsRequest(), CoverageParamsResponse.Parser, cancel);
        _poc = Modules.Coverage.CoverageParams.ToPoc(coverage.Params);
        var epoch = await QueryAsync("/depin.mint.v1.Query/CurrentEpoch", new MintEpochRequest(), MintEpochResponse.Parser, cancel);
        // Epoch e ends at (e + 1)·B − 1 (epoch 0 starts at height 1, not 0, so its start says less).
        _epochBlocks = Math.Max(1, (epoch.EpochEndHeight + 1) / (epoch.Epoch + 1));
        _reports = new ReportFactory(_world, _chainId, _poc, _options.MaxWitnesses);
        Log($"chain {_chainId}: epochs of {_epochBlocks} blocks, beacon interval {_poc.BeaconIntervalBlocks}, entropy window {_poc.EntropyWindowBlocks}, reciprocity window {_poc.ReciprocityWindowBlocks} blocks");
    }

    // ================================================================== setup

    private async Task<ChainHead> SetupAsync(ChainHead head, CancellationToken cancel)
    {
        var pending = new List<Pending>();
        var makerName = _world.Options.MakerName;

        // 1. The authority adds the maker and registers the routers (what is there already is left alone).
        var makers = await QueryAsync("/depin.devices.v1.Query/Makers", new QueryMakersRequest(), QueryMakersResponse.Parser, cancel);
        var maker = makers.Makers.FirstOrDefault(m => m.Name == makerName);
        if (maker is not null && !maker.Key.Span.SequenceEqual(_world.Maker.PublicKey))
            throw new FleetException($"maker '{makerName}' exists on chain with another key (a world of another seed?); pass another --maker or --seed");
        var routers = await QueryAsync("/depin.datacredits.v1.Query/Routers", new QueryRoutersRequest(), QueryRoutersResponse.Parser, cancel);
        var registered = routers.Routers.Select(r => r.Address).ToHashSet(StringComparer.Ordinal);
        var authorityMsgs = new List<IMessage>();
        if (maker is null || !maker.Active)
        {
            if (maker is { Active: false }) throw new FleetException($"maker '{makerName}' is revoked on chain; pass another --maker");
            var feePayer = _options.Funder?.Bech32 ?? _options.Authority?.Bech32 ?? "";
            authorityMsgs.Add(new MsgAddMaker
            {
                Authority = _options.Authority?.Bech32 ?? "", Name = makerName, Key = ByteString.CopyFrom(_world.Maker.PublicKey),
                KeyType = KeyTypes.ToProto(_world.Maker.Type), FeePayer = feePayer,
            });
        }
        for (var i = 0; i < _world.Routers.Count; i++)
            if (!registered.Contains(_world.Routers[i].Bech32))
                authorityMsgs.Add(new MsgRegisterRouter { Authority = _options.Authority?.Bech32 ?? "", Router = _world.Routers[i].Bech32, Name = $"fleet-router-{i}" });
        if (authorityMsgs.Count > 0)
        {
            var authority = _options.Authority ?? throw new FleetException($"the maker '{makerName}' or the fleet's routers are not on chain yet: pass --authority (the key that is devices' and data credits' params.authority)");
            Log($"authority {authority.Bech32}: {authorityMsgs.Count} setup messages (maker, routers)");
            pending.Add(await SendSetupAsync(authority, authorityMsgs, "add the maker and register the routers", cancel));
        }

        // 2. The funder funds owners that have no account yet, and the routers.
        var toFund = new List<(string Address, long Amount)>();
        foreach (var owner in _world.Owners)
            if (!await LoadAccountAsync(owner, cancel)) toFund.Add((owner.Bech32, _options.OwnerFunds));
        foreach (var router in _world.Routers)
        {
            await LoadAccountAsync(router, cancel);
            toFund.Add((router.Bech32, _options.RouterFunds));
        }
        if (toFund.Count > 0)
        {
            var funder = _options.Funder ?? throw new FleetException($"{toFund.Count} fleet accounts have no funds yet: pass --funder (a funded key)");
            Log($"funder {funder.Bech32}: funding {toFund.Count} accounts");
            foreach (var batch in toFund.Chunk(100))
                pending.Add(await SendSetupAsync(funder, batch.Select(b => (IMessage)new BankSend
                {
                    FromAddress = funder.Bech32, ToAddress = b.Address, Amount = { new ProtoCoin { Denom = _options.Denom, Amount = b.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
                }).ToList(), "fund owners and routers", cancel));
        }
        head = await IncludeAsync(pending, head, cancel);
        pending.Clear();

        // 3. Owners onboard (three signatures) and locate their devices; routers buy data credits.
        foreach (var owner in _world.Owners) await LoadAccountAsync(owner, cancel);
        foreach (var router in _world.Routers) await LoadAccountAsync(router, cancel);
        var onboarded = 0;
        foreach (var group in _world.Devices.GroupBy(d => d.Owner))
        {
            var owner = _world.Owners[group.Key];
            var msgs = new List<IMessage>();
            foreach (var device in group)
            {
                var answer = await _chain.QueryAsync("/depin.devices.v1.Query/Device", new QueryDeviceRequest { Key = ByteString.CopyFrom(device.Key.PublicKey) }.ToByteArray(), cancel);
                var onChain = answer.Code == 0 ? QueryDeviceResponse.Parser.ParseFrom(answer.Value).Device : null;
                if (onChain is not null && onChain.Owner != owner.Bech32)
                    throw new FleetException($"device {device.KeyHex} is on chain with another owner");
                if (onChain is null)
                {
                    msgs.Add(OnboardingFiles.BuildMessage(owner.Bech32, device.Key, _world.Maker, _chainId, DeviceMode.Full, makerName));
                    onboarded++;
                }
                var location = onChain?.Location;
                if (location is null || location.LatitudeMicro != device.Asserted.LatitudeMicro || location.LongitudeMicro != device.Asserted.LongitudeMicro)
                {
                    msgs.Add(new MsgAssertLocation
                    {
                        Owner = owner.Bech32, DeviceKey = ByteString.CopyFrom(device.Key.PublicKey),
                        LatitudeMicro = device.Asserted.LatitudeMicro, LongitudeMicro = device.Asserted.LongitudeMicro,
                        AntennaGainTenthsDbi = device.AntennaGainTenthsDbi, ElevationMetres = device.ElevationMetres,
                        Nonce = (location?.Nonce ?? 0) + 1,
                    });
                }
            }
            if (msgs.Count > 0) pending.Add(await SendSetupAsync(owner, msgs, $"onboard and locate the devices of owner {owner.Bech32}", cancel));
        }
        for (var i = 0; i < _world.Routers.Count; i++)
        {
            var credits = await QueryAsync("/depin.datacredits.v1.Query/Balance", new QueryBalanceRequest { Owner = _world.Routers[i].Bech32 }, QueryBalanceResponse.Parser, cancel);
            _routerCredits[i] = credits.Amount;
        }
        Log($"owners: onboarding {onboarded} devices of {_world.Devices.Count} (the rest are on chain already)");
        head = await IncludeAsync(pending, head, cancel);
        Log($"setup done at height {head.Height}");
        return head;
    }

    private async Task<Pending> SendSetupAsync(TxSigner signer, IReadOnlyList<IMessage> msgs, string what, CancellationToken cancel)
    {
        var (check, hash) = await SendAsync(signer, msgs, _options.SetupGas, cancel);
        if (check.Code != 0)
            throw new FleetException($"setup: {what}: refused by CheckTx: {check.Codespace}/{check.Code}: {check.Log}");
        return new Pending(hash, outcome => outcome.Code == 0
            ? Task.CompletedTask
            : throw new FleetException($"setup: {what}: failed at height {outcome.Height}: {outcome.Codespace}/{outcome.Code}: {outcome.Log}"));
    }

    // ================================================================== one block

    private async Task TickAsync(ChainHead head, CancellationToken cancel)
    {
        var pending = new List<Pending>();
        var tick = head.Height;
        var beaconRandom = Prng.For(_world.Options.Seed, "tick", tick);
        foreach (var device in _world.Devices)
        {
            if (!IsDue(device, tick)) continue;
            var report = await BuildReportAsync(device, head, beaconRandom, cancel);
            if (report is null) continue;
            _lastBeaconTick[device.Index] = tick;
            pending.Add(await SubmitReportAsync(device, report.Value.Message, report.Value.Expected, cancel));
        }
        if (_options.TrafficEveryBlocks > 0 && tick % _options.TrafficEveryBlocks == 0)
            await SendTrafficAsync(tick, pending, cancel);
        await IncludeAsync(pending, head, cancel);
    }

    /// <summary>A beacon slot every interval + 1 blocks (one block of margin: a report lands a block after it is sent); spammers every block.</summary>
    private bool IsDue(FleetDevice device, long tick)
    {
        if (device.Cheat == CheatKind.FakeDistance) return false; // it only witnesses
        if (device.Cheat == CheatKind.BeaconSpam) return true;
        var interval = _poc.BeaconIntervalBlocks + 1;
        var last = _lastBeaconTick[device.Index];
        return last == long.MinValue ? (tick + device.Phase) % interval == 0 : tick - last >= interval;
    }

    private async Task<(MsgSubmitPoc Message, ReportExpectation Expected)?> BuildReportAsync(FleetDevice device, ChainHead head, Prng random, CancellationToken cancel)
    {
        long entropyHeight = head.Height;
        byte[] entropyHash = head.BlockHash;
        if (device.Cheat == CheatKind.ReplayedEntropy)
        {
            entropyHeight = head.Height - _poc.EntropyWindowBlocks - 1 - random.Next(0, 5);
            if (entropyHeight < 1) return null; // the chain is younger than the window: nothing old to replay yet
            entropyHash = await _chain.BlockHashAsync(entropyHeight, cancel);
        }
        return _reports!.Build(device, entropyHeight, entropyHash, head.TimeMs, random);
    }

    private async Task<Pending> SubmitReportAsync(FleetDevice device, MsgSubmitPoc message, ReportExpectation expected, CancellationToken cancel)
    {
        var owner = _world.Owners[device.Owner];
        var (check, hash) = await SendAsync(owner, [message], _options.PocGas, cancel);
        if (check.Code != 0)
        {
            // Refused before a block (the ante: fee, sequence, signature): a tx problem, not a PoC verdict.
            var tally = TallyAt(long.MaxValue);
            tally.ReportsSubmitted++;
            tally.Add(tally.ReportsRejected, $"checktx:{check.Codespace}/{check.Code}");
            Unexpected($"report of device {device.KeyHex[..12]} refused by CheckTx: {check.Codespace}/{check.Code}: {check.Log}", tally);
            return new Pending("", _ => Task.CompletedTask);
        }
        return new Pending(hash, outcome => RecordReportAsync(outcome, message, expected, cancel));
    }

    private async Task RecordReportAsync(TxOutcome outcome, MsgSubmitPoc message, ReportExpectation expected, CancellationToken cancel)
    {
        var tally = TallyAt(outcome.Height);
        tally.ReportsSubmitted++;
        var device = expected.Beaconer;
        if (outcome.Code != 0)
        {
            var reason = outcome.Codespace == "coverage" ? VerdictNames.Of(outcome.Code) : $"{outcome.Codespace}/{outcome.Code}";
            tally.Add(tally.ReportsRejected, reason);
            var matched = outcome.Codespace == "coverage" && expected.Beacon.Contains(outcome.Code);
            if (expected.BeaconCheat != CheatKind.None)
            {
                // A spammer's beacon that happened to fall outside the interval is accepted; only the others are cheats.
                if (expected.BeaconCheat != CheatKind.BeaconSpam || outcome.Code == (uint)PocVerdict.BeaconIntervalNotElapsed)
                    tally.Cheat(expected.BeaconCheat, matched);
            }
            if (!matched) Unexpected($"height {outcome.Height}: report of {Who(device)} rejected with {reason}: {outcome.Log}", tally);
            return;
        }
        tally.ReportsAccepted++;
        if (expected.BeaconCheat == CheatKind.ReplayedEntropy)
        {
            tally.Cheat(CheatKind.ReplayedEntropy, caught: false);
            Unexpected($"height {outcome.Height}: replayed-entropy report of {Who(device)} was accepted", tally);
        }

        // The stored report has every witness's verdict, in the order they were submitted.
        var epoch = (ulong)(outcome.Height / _epochBlocks);
        var reports = await QueryAsync("/depin.coverage.v1.Query/Reports", new QueryReportsRequest { DeviceKey = message.Beacon.BeaconerKey, Epoch = epoch },
            QueryReportsResponse.Parser, cancel);
        var stored = reports.Reports.FirstOrDefault(r => r.Height == outcome.Height && r.BeaconerKey.Span.SequenceEqual(message.Beacon.BeaconerKey.Span));
        if (stored is null)
        {
            Unexpected($"height {outcome.Height}: accepted report of {Who(device)} is not in the Reports query", tally);
            return;
        }
        tally.Add(tally.BeaconVerdicts, VerdictNames.Of(stored.BeaconVerdict));
        if (!expected.Beacon.Contains(stored.BeaconVerdict))
            Unexpected($"height {outcome.Height}: beacon of {Who(device)} stored as {VerdictNames.Of(stored.BeaconVerdict)}", tally);
        for (var i = 0; i < expected.Witnesses.Length && i < stored.Witnesses.Count; i++)
        {
            var (witness, verdicts, cheat) = expected.Witnesses[i];
            var verdict = stored.Witnesses[i].Verdict;
            tally.Add(tally.WitnessVerdicts, VerdictNames.Of(verdict));
            var matched = verdicts.Contains(verdict);
            if (cheat != CheatKind.None) tally.Cheat(cheat, matched);
            if (!matched)
                Unexpected($"height {outcome.Height}: witness {Who(witness)} of {Who(device)}: {VerdictNames.Of(verdict)} ({stored.Witnesses[i].Reason})", tally);
        }
    }

    private static string Who(FleetDevice d) => $"device {d.Index} ({d.Cheat}, {d.KeyHex[..12]})";

    private void Unexpected(string what, FleetTally tally)
    {
        tally.Unexpected++;
        if (_unexpectedSamples.Count < MaxUnexpectedSamples) _unexpectedSamples.Add(what);
    }

    // ================================================================== traffic

    private async Task SendTrafficAsync(long tick, List<Pending> pending, CancellationToken cancel)
    {
        var random = Prng.For(_world.Options.Seed, "traffic", tick);
        for (var i = 0; i < _world.Routers.Count; i++)
        {
            var router = _world.Routers[i];
            var reports = new List<(FleetDevice Device, ulong Bytes)>();
            for (var k = 0; k < 2; k++)
                reports.Add((_world.Devices[random.Next(_world.Devices.Count)], (ulong)random.Next(1_000, 100_000)));
            var needed = reports.Aggregate(0UL, (s, r) => s + (r.Bytes + 23) / 24);
            if (_routerCredits.GetValueOrDefault(i) < needed)
            {
                var (check, hash) = await SendAsync(router, [new MsgBurnForCredits { Sender = router.Bech32, Amount = _options.RouterCreditPurchase.ToString(System.Globalization.CultureInfo.InvariantCulture) }], _options.SetupGas, cancel);
                if (check.Code != 0) continue;
                var index = i;
                pending.Add(new Pending(hash, async outcome =>
                {
                    if (outcome.Code != 0) return;
                    var credits = await QueryAsync("/depin.datacredits.v1.Query/Balance", new QueryBalanceRequest { Owner = router.Bech32 }, QueryBalanceResponse.Parser, cancel);
                    _routerCredits[index] = credits.Amount;
                }));
                continue; // report once the credits are there
            }
            foreach (var (device, bytes) in reports)
            {
                var msg = new MsgReportTraffic { Router = router.Bech32, DeviceKey = ByteString.CopyFrom(device.Key.PublicKey), Payer = router.Bech32, Bytes = bytes };
                var (check, hash) = await SendAsync(router, [msg], _options.SetupGas, cancel);
                if (check.Code != 0) continue;
                _routerCredits[i] = _routerCredits.GetValueOrDefault(i) - (bytes + 23) / 24;
                pending.Add(new Pending(hash, outcome =>
                {
                    var tally = TallyAt(outcome.Height);
                    if (outcome.Code == 0)
                    {
                        tally.TrafficReports++;
                        tally.TrafficBytes += (long)bytes;
                    }
                    else Unexpected($"height {outcome.Height}: traffic report failed: {outcome.Codespace}/{outcome.Code}: {outcome.Log}", tally);
                    return Task.CompletedTask;
                }));
            }
        }
    }

    // ================================================================== epochs

    private FleetTally TallyAt(long height)
    {
        var epoch = height == long.MaxValue ? _lastReportedEpoch + 1 : height / _epochBlocks;
        if (!_open.TryGetValue(epoch, out var tally)) _open[epoch] = tally = new FleetTally();
        return tally;
    }

    /// <summary>Every epoch whose last block is committed (height ≥ its end): report it with the rewards the chain paid for it.</summary>
    private async Task ReportFinishedEpochsAsync(long height, CancellationToken cancel)
    {
        while ((_lastReportedEpoch + 2) * _epochBlocks - 1 <= height)
        {
            var epoch = _lastReportedEpoch + 1;
            var tally = _open.Remove(epoch, out var t) ? t : new FleetTally();
            tally.AddTo(_total);
            BigInteger? paid = null, minted = null;
            ulong rewarded = 0;
            var answer = await _chain.QueryAsync("/depin.rewards.v1.Query/EpochSummary", new RewardsSummaryRequest { Epoch = epoch }.ToByteArray(), cancel);
            if (answer.Code == 0 && RewardsSummaryResponse.Parser.ParseFrom(answer.Value).Summary is { } summary)
            {
                paid = BigInteger.Parse(summary.PaidToDevices.Length == 0 ? "0" : summary.PaidToDevices, System.Globalization.CultureInfo.InvariantCulture);
                minted = BigInteger.Parse(summary.Minted.Length == 0 ? "0" : summary.Minted, System.Globalization.CultureInfo.InvariantCulture);
                rewarded = summary.DevicesRewarded;
            }
            var report = new EpochReport(epoch, epoch * _epochBlocks, (epoch + 1) * _epochBlocks - 1, tally, paid, rewarded, minted);
            _epochs.Add(report);
            _options.OnEpoch?.Invoke(report);
            _lastReportedEpoch = epoch;
        }
    }

    // ================================================================== txs

    /// <summary>The account's number and sequence from the chain; false when it has no account yet.</summary>
    private async Task<bool> LoadAccountAsync(TxSigner signer, CancellationToken cancel)
    {
        var account = AccountOf(signer);
        var answer = await _chain.QueryAsync("/cosmos.auth.v1beta1.Query/Account", new QueryAccountRequest { Address = account.Address }.ToByteArray(), cancel);
        if (answer.Code != 0) return false;
        var any = QueryAccountResponse.Parser.ParseFrom(answer.Value).Account;
        if (any is null || !any.TryUnpack(out BaseAccount baseAccount)) return false;
        account.Number = baseAccount.AccountNumber;
        account.Sequence = baseAccount.Sequence;
        account.Known = true;
        return true;
    }

    private Account AccountOf(TxSigner signer)
    {
        if (!_accounts.TryGetValue(signer.Bech32, out var account)) _accounts[signer.Bech32] = account = new Account(signer);
        return account;
    }

    /// <summary>Signs with the locally tracked sequence and broadcasts; the sequence moves on only when CheckTx accepts.</summary>
    private async Task<(CheckOutcome Check, string Hash)> SendAsync(TxSigner signer, IReadOnlyList<IMessage> msgs, ulong gas, CancellationToken cancel)
    {
        var account = AccountOf(signer);
        if (!account.Known && !await LoadAccountAsync(signer, cancel))
            throw new FleetException($"account {account.Address} does not exist on chain (it has never received coins)");
        var builder = new TxBuilder { GasLimit = gas };
        foreach (var m in msgs) builder.AddMessage(m);
        var raw = builder.Sign(signer, _chainId, account.Number, account.Sequence).ToByteArray();
        _options.OnTx?.Invoke(raw);
        var check = await _chain.BroadcastAsync(raw, cancel);
        var tally = TallyAt(long.MaxValue);
        tally.TxsSent++;
        if (check.Code == 0)
            account.Sequence++;
        else
        {
            tally.CheckTxFailures++;
            if (check.Codespace == SdkErrors.RootCodespace && check.Code == SdkErrors.WrongSequenceCode)
                await LoadAccountAsync(signer, cancel); // a tx of ours fell out of the mempool: take the chain's sequence again
        }
        return (check, check.Hash);
    }

    /// <summary>Waits until every pending tx is in a block, then runs what each one's result means; returns the head after.</summary>
    private async Task<ChainHead> IncludeAsync(List<Pending> pending, ChainHead head, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + _options.InclusionTimeout;
        foreach (var p in pending)
        {
            if (p.Hash.Length == 0) continue;
            while (true)
            {
                var outcome = await _chain.TxResultAsync(p.Hash, cancel);
                if (outcome is not null)
                {
                    await p.OnIncluded(outcome);
                    break;
                }
                if (DateTime.UtcNow > deadline)
                    throw new FleetException($"tx {p.Hash} passed CheckTx but was not in a block after {_options.InclusionTimeout.TotalSeconds:0}s");
                await Task.Delay(_options.PollInterval, cancel);
            }
        }
        return pending.Count == 0 ? head : await _chain.HeadAsync(cancel);
    }

    private async Task<T> QueryAsync<T>(string path, IMessage request, MessageParser<T> parser, CancellationToken cancel) where T : IMessage<T>
    {
        var answer = await _chain.QueryAsync(path, request.ToByteArray(), cancel);
        if (answer.Code != 0) throw new FleetException($"query {path} failed: {answer.Codespace}/{answer.Code}: {answer.Log}");
        return parser.ParseFrom(answer.Value);
    }

    private void Log(string line) => _options.Log?.Invoke(line);
}
