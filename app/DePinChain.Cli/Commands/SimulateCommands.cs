using System.CommandLine;
using System.Globalization;
using DePinChain.App;
using DePinChain.Cli.Rpc;
using DePinChain.Fleet;
using DePinChain.Fleet.Sim;
using Google.Protobuf;

namespace DePinChain.Cli.Commands;

/// <summary>
/// `simulate fleet`: a deterministic DePIN fleet from a seed, onboarded, located and run against a node through real
/// txs (app/DePinChain.Fleet). Progress is one line per finished epoch; a summary at the end (or on Ctrl-C);
/// --output json prints one JSON object per line ("event": "epoch" | "summary").
/// </summary>
internal static class SimulateCommands
{
    private const string Denom = DePinChain.Modules.Mint.MintKeys.DefaultDenom;

    public static Command Create(GlobalOptions g, CliContext context)
    {
        var node = DeviceCommands.NodeOption();
        var devices = new Option<int>("--devices") { Description = "Number of devices", DefaultValueFactory = _ => 200 };
        var seed = new Option<ulong>("--seed") { Description = "World seed: positions, keys, radios, cheaters (same seed, same world)", DefaultValueFactory = _ => 1 };
        var center = new Option<string>("--center") { Description = "Center of the fleet, LAT,LON in decimal degrees (6 decimals at most)", Required = true };
        var radius = new Option<string>("--radius-km") { Description = "Radius of the disc the devices are placed in, km (3 decimals at most)", DefaultValueFactory = _ => "10" };
        var cheaters = new Option<string>("--cheaters") { Description = "Share of cheating devices, 0..1 (3 decimals at most), spread over the kinds", DefaultValueFactory = _ => "0.1" };
        var ed25519 = new Option<string>("--ed25519-share") { Description = "Share of devices with ed25519 keys, 0..1 (the rest secp256k1)", DefaultValueFactory = _ => "0.5" };
        var authority = new Option<string?>("--authority") { Description = "Account key (keyring) that is devices' and data credits' params.authority: adds the maker, registers the routers" };
        var funder = new Option<string?>("--funder") { Description = "Funded account key (keyring) that funds owners and routers, and pays the maker's onboarding fees" };
        var maker = new Option<string>("--maker") { Description = "The maker's name on chain", DefaultValueFactory = _ => "fleet-maker" };
        var epochs = new Option<int>("--epochs") { Description = "Stop after this many finished epochs (0: run until stopped)", DefaultValueFactory = _ => 0 };
        var blocks = new Option<long>("--blocks") { Description = "Stop after this many blocks (0: no limit)", DefaultValueFactory = _ => 0 };
        var witnesses = new Option<int>("--max-witnesses") { Description = "Witnesses per report, strongest first", DefaultValueFactory = _ => 10 };
        var poll = new Option<int>("--poll-ms") { Description = "How often the node is polled for new blocks and tx results", DefaultValueFactory = _ => 250 };

        var fleet = new Command("fleet", "Run a simulated fleet of hotspots against a node: onboard, locate, beacon, witness, cheat, report traffic")
        {
            node, devices, seed, center, radius, cheaters, ed25519, authority, funder, maker, epochs, blocks, witnesses, poll,
        };
        fleet.SetAction(async (result, cancel) =>
        {
            bool json = result.Json(g);
            FleetWorld world;
            FleetRunOptions options;
            try
            {
                var worldOptions = new FleetWorldOptions
                {
                    Seed = result.GetValue(seed),
                    Devices = result.GetValue(devices),
                    Center = FixedDecimal.Point(result.GetValue(center)!, "--center"),
                    RadiusMetres = FixedDecimal.Parse(result.GetValue(radius)!, 3, "--radius-km"),
                    CheatPermille = Share(result.GetValue(cheaters)!, "--cheaters"),
                    Ed25519Permille = Share(result.GetValue(ed25519)!, "--ed25519-share"),
                    MakerName = result.GetValue(maker)!,
                };
                if (result.GetValue(witnesses) is < 1 or > 63)
                    throw new CliException($"--max-witnesses must be within 1..63, got {result.GetValue(witnesses)}");
                if (result.GetValue(epochs) < 0 || result.GetValue(blocks) < 0)
                    throw new CliException("--epochs and --blocks must not be negative");
                Modules.Devices.DevicesMsgServer.ValidateMakerName(worldOptions.MakerName);
                world = new FleetWorld(worldOptions);
                options = new FleetRunOptions
                {
                    Authority = Signer(result, g, context, result.GetValue(authority)),
                    Funder = Signer(result, g, context, result.GetValue(funder)),
                    Epochs = result.GetValue(epochs),
                    Blocks = result.GetValue(blocks),
                    MaxWitnesses = result.GetValue(witnesses),
                    PollInterval = TimeSpan.FromMilliseconds(Math.Clamp(result.GetValue(poll), 0, 60_000)),
                    InclusionTimeout = context.InclusionTimeout,
                    Denom = Denom,
                    Log = line => (json ? context.Error : context.Out).WriteLine("fleet: " + line),
                    OnEpoch = e =>
                    {
                        context.Out.WriteLine(json ? e.ToJson().ToJsonString(JsonText.Compact) : e.ToText(Denom));
                        context.Out.Flush();
                    },
                };
            }
            catch (FleetException e)
            {
                throw new CliException(e.Message);
            }
            catch (Sdk.SdkError e)
            {
                throw new CliException($"--maker: {e.Message}");
            }

            var pollInterval = options.PollInterval == TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : options.PollInterval;
            var chain = new CometFleetChain(new CometRpcClient(result.GetValue(node)!, context.Http ?? DeviceCommands.SharedHttp.Value), pollInterval);
            FleetSummary summary;
            try
            {
                summary = await new FleetSimulator(chain, world, options).RunAsync(cancel);
            }
            catch (FleetException e)
            {
                throw new CliException(e.Message);
            }
            if (json)
                context.Out.WriteLine(summary.ToJson().ToJsonString(JsonText.Compact));
            else
                foreach (var line in summary.ToText(options.Denom))
                    context.Out.WriteLine(line);
            if (summary.Total.Unexpected > 0)
            {
                context.Error.WriteLine($"Error: {summary.Total.Unexpected} verdicts differed from what the simulator expected (see the summary)");
                return OperatorCommands.Failure;
            }
            return 0;
        });
        return new Command("simulate", "Client-side simulations against a node") { fleet, Status(g, context) };
    }

    /// <summary>`simulate status`: what the chain says about the fleet: located devices, this and the last epoch's reports (units), and the last epoch's rewards.</summary>
    private static Command Status(GlobalOptions g, CliContext context)
    {
        var node = DeviceCommands.NodeOption();
        var status = new Command("status", "Devices, proof-of-coverage reports and the last epoch's rewards, as the chain has them") { node };
        status.SetAction(async (result, cancel) =>
        {
            var chain = new CometFleetChain(new CometRpcClient(result.GetValue(node)!, context.Http ?? DeviceCommands.SharedHttp.Value), TimeSpan.FromMilliseconds(250));
            var head = await chain.HeadAsync(cancel);
            var epochInfo = await Query(chain, "/depin.mint.v1.Query/CurrentEpoch", new Protos.Depin.Mint.V1.QueryCurrentEpochRequest(), Protos.Depin.Mint.V1.QueryCurrentEpochResponse.Parser, cancel);
            var devices = await Query(chain, "/depin.devices.v1.Query/DevicesInCell", new Protos.Depin.Devices.V1.QueryDevicesInCellRequest { Level = 0 },
                Protos.Depin.Devices.V1.QueryDevicesResponse.Parser, cancel);
            var current = await Query(chain, "/depin.coverage.v1.Query/Units", new Protos.Depin.Coverage.V1.QueryUnitsRequest { Epoch = (ulong)epochInfo.Epoch },
                Protos.Depin.Coverage.V1.QueryUnitsResponse.Parser, cancel);
            var last = epochInfo.Epoch > 0
                ? await Query(chain, "/depin.coverage.v1.Query/Units", new Protos.Depin.Coverage.V1.QueryUnitsRequest { Epoch = (ulong)epochInfo.Epoch - 1 }, Protos.Depin.Coverage.V1.QueryUnitsResponse.Parser, cancel)
                : new Protos.Depin.Coverage.V1.QueryUnitsResponse();
            var summaryAnswer = epochInfo.Epoch > 0
                ? await chain.QueryAsync("/depin.rewards.v1.Query/EpochSummary", new Protos.Depin.Rewards.V1.QueryEpochSummaryRequest { Epoch = epochInfo.Epoch - 1 }.ToByteArray(), cancel)
                : null;
            var summary = summaryAnswer is { Code: 0 } ? Protos.Depin.Rewards.V1.QueryEpochSummaryResponse.Parser.ParseFrom(summaryAnswer.Value).Summary : null;
            var located = devices.Devices.Count >= Modules.Devices.DevicesQueryServer.MaxQueryLimit ? $"{devices.Devices.Count}+" : devices.Devices.Count.ToString(CultureInfo.InvariantCulture);
            string Units(Protos.Depin.Coverage.V1.QueryUnitsResponse u) =>
                $"{u.Units.Count} devices with units, {u.Units.Sum(x => (long)x.Beacons)} beacons, {u.Units.Sum(x => (long)x.Witnesses)} selected witnesses";
            if (result.Json(g))
            {
                context.WriteJson(new System.Text.Json.Nodes.JsonObject
                {
                    ["chain_id"] = head.ChainId, ["height"] = head.Height, ["epoch"] = epochInfo.Epoch, ["located_devices"] = located,
                    ["epoch_devices_with_units"] = current.Units.Count, ["epoch_beacons"] = current.Units.Sum(x => (long)x.Beacons),
                    ["last_epoch_devices_with_units"] = last.Units.Count, ["last_epoch_beacons"] = last.Units.Sum(x => (long)x.Beacons),
                    ["last_epoch_minted"] = summary?.Minted, ["last_epoch_paid_to_devices"] = summary?.PaidToDevices,
                    ["last_epoch_devices_rewarded"] = summary?.DevicesRewarded,
                });
                return 0;
            }
            context.Out.WriteLine($"chain {head.ChainId} at height {head.Height}, epoch {epochInfo.Epoch} (blocks {epochInfo.EpochStartHeight}-{epochInfo.EpochEndHeight})");
            context.Out.WriteLine($"located active devices: {located}");
            context.Out.WriteLine($"this epoch so far: {Units(current)}");
            if (epochInfo.Epoch > 0)
            {
                context.Out.WriteLine($"last epoch ({epochInfo.Epoch - 1}): {Units(last)}");
                context.Out.WriteLine(summary is null
                    ? "last epoch's rewards: no summary"
                    : $"last epoch's rewards: minted {summary.Minted}{Denom}, paid {summary.PaidToDevices}{Denom} to {summary.DevicesRewarded} devices, {summary.ToTreasury}{Denom} to the treasury");
            }
            return 0;
        });
        return status;
    }

    private static async Task<T> Query<T>(CometFleetChain chain, string path, Google.Protobuf.IMessage request, Google.Protobuf.MessageParser<T> parser, CancellationToken cancel)
        where T : Google.Protobuf.IMessage<T>
    {
        var answer = await chain.QueryAsync(path, Google.Protobuf.MessageExtensions.ToByteArray(request), cancel);
        if (answer.Code != 0) throw new CliException($"query {path} failed: {answer.Codespace}/{answer.Code}: {answer.Log}");
        return parser.ParseFrom(answer.Value);
    }

    /// <summary>A share 0..1 with at most 3 decimals, exactly, as per mille.</summary>
    private static int Share(string text, string what)
    {
        var permille = FixedDecimal.Parse(text, 3, what);
        return permille is >= 0 and <= 1000 ? (int)permille : throw new CliException($"{what}: {text} is not within 0..1");
    }

    private static TxSigner? Signer(ParseResult result, GlobalOptions g, CliContext context, string? name)
    {
        if (name is null) return null;
        var keyring = result.OpenKeyring(g, context);
        return new TxSigner(keyring.GetPrivateKey(keyring.Get(name).Name));
    }
}
