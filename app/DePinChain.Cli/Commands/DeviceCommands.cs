using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DePinChain.Cli.Genesis;
using DePinChain.Cli.Rpc;
using DePinChain.Crypto;
using DePinChain.Fleet;
using DePinChain.Fleet.Files;
using DePinChain.Fleet.Keys;
using DePinChain.Protos.Depin.Devices.V1;
using Google.Protobuf;
using static DePinChain.Cli.Commands.CommandHelpers;

namespace DePinChain.Cli.Commands;

/// <summary>
/// The device side, offline where it can be: `device keys add|list|show|export|import` (a keyring of its own),
/// `device sign-onboarding` and `maker sign-onboarding` (the device's and the maker's onboarding signature files),
/// `device beacon` (entropy from --node) and `device witness` (offline). File formats: app/DePinChain.Fleet/README.md.
/// </summary>
internal static class DeviceCommands
{
    public const string DefaultNode = "http://127.0.0.1:26657";

    public static Command Device(GlobalOptions g, CliContext context)
    {
        var device = new Command("device", "Device keys and the files a device signs: onboarding signature, beacon and witness reports");
        device.Subcommands.Add(Keys(g, context));
        device.Subcommands.Add(SignOnboarding(g, context));
        device.Subcommands.Add(Beacon(g, context));
        device.Subcommands.Add(Witness(g, context));
        return device;
    }

    public static Command Maker(GlobalOptions g, CliContext context)
    {
        var maker = new Command("maker", "Maker tooling: countersign a device's onboarding");
        var file = Arg("device-signature-file", "The device's onboarding signature file (from device sign-onboarding)");
        var key = new Option<string>("--key") { Description = "The maker's signing key (a key name in the device keyring)", Required = true };
        var outputDocument = OutputDocument();
        var sign = new Command("sign-onboarding", "Check a device's onboarding signature file and sign the same fields as the maker") { file, key, outputDocument };
        sign.SetAction(result => Run(() =>
        {
            var deviceFile = OnboardingFiles.Read(result.GetValue(file)!);
            var makerKey = OpenDeviceKeyring(result, g, context).GetSigningKey(result.GetValue(key)!);
            Emit(context, result.GetValue(outputDocument), OnboardingFiles.Format(OnboardingFiles.SignAsMaker(makerKey, deviceFile)), "maker onboarding signature");
        }));
        maker.Subcommands.Add(sign);
        return maker;
    }

    // ------------------------------------------------------------------ device keys

    private static Command Keys(GlobalOptions g, CliContext context)
    {
        var keys = new Command("keys", "Manage device and maker keys (secp256k1 or ed25519), kept apart from account keys in HOME/device-keyring-<backend>");

        var addName = Arg("name", "Key name");
        var type = new Option<string>("--type") { Description = "Key type: secp256k1 or ed25519", DefaultValueFactory = _ => "secp256k1" };
        type.AcceptOnlyFromAmong("secp256k1", "ed25519");
        var add = new Command("add", "Create a device key") { addName, type };
        add.SetAction(result => Run(() =>
        {
            var info = OpenDeviceKeyring(result, g, context).Add(result.GetValue(addName)!, KeyTypes.Parse(result.GetValue(type)));
            Show(result, g, context, info);
        }));

        var list = new Command("list", "List the device keys");
        list.SetAction(result => Run(() =>
        {
            var all = OpenDeviceKeyring(result, g, context).List();
            if (result.Json(g))
                context.WriteJson(new JsonArray(all.Select(k => (JsonNode)Describe(k)).ToArray()));
            else
                foreach (var k in all)
                    context.Out.WriteLine($"{k.Name}\t{k.TypeName}\t{k.PublicKeyHex}");
        }));

        var showName = Arg("name", "Key name");
        var pubkeyOnly = Flag("--pubkey", "Print only the public key (hex)");
        var show = new Command("show", "Show a device key's type and public key") { showName, pubkeyOnly };
        show.SetAction(result => Run(() =>
        {
            var info = OpenDeviceKeyring(result, g, context).Get(result.GetValue(showName)!);
            if (result.GetValue(pubkeyOnly))
                context.Out.WriteLine(info.PublicKeyHex);
            else
                Show(result, g, context, info);
        }));

        var exportName = Arg("name", "Key name");
        var export = new Command("export", "Print a device key as armored JSON encrypted with an export passphrase (read from stdin)") { exportName };
        export.SetAction(result => Run(() =>
        {
            var keyring = OpenDeviceKeyring(result, g, context);
            keyring.Get(result.GetValue(exportName)!);
            string passphrase = context.ReadLine("the export passphrase", "Enter export passphrase: ");
            context.Out.WriteLine(keyring.Export(result.GetValue(exportName)!, passphrase));
        }));

        var importName = Arg("name", "Name for the imported key");
        var importFile = Arg("file", "Armored key file written by `device keys export`");
        var import = new Command("import", "Import an armored device key (its export passphrase is read from stdin)") { importName, importFile };
        import.SetAction(result => Run(() =>
        {
            string path = result.GetValue(importFile)!;
            if (!File.Exists(path))
                throw new CliException($"{path}: no such file");
            var keyring = OpenDeviceKeyring(result, g, context);
            string passphrase = context.ReadLine("the export passphrase", "Enter export passphrase: ");
            var info = keyring.Import(result.GetValue(importName)!, File.ReadAllText(path), passphrase);
            context.Out.WriteLine($"Imported {info.Name} ({info.TypeName} {info.PublicKeyHex})");
        }));

        keys.Subcommands.Add(add);
        keys.Subcommands.Add(list);
        keys.Subcommands.Add(show);
        keys.Subcommands.Add(export);
        keys.Subcommands.Add(import);
        return keys;
    }

    private static JsonObject Describe(DeviceKeyInfo k) => new()
    {
        ["name"] = k.Name,
        ["key_type"] = k.TypeName,
        ["pub_key"] = k.PublicKeyHex,
    };

    private static void Show(ParseResult result, GlobalOptions g, CliContext context, DeviceKeyInfo info)
    {
        if (result.Json(g))
        {
            context.WriteJson(Describe(info));
            return;
        }
        context.Out.WriteLine($"name: {info.Name}");
        context.Out.WriteLine($"key_type: {info.TypeName}");
        context.Out.WriteLine($"pub_key: {info.PublicKeyHex}");
    }

    // ------------------------------------------------------------------ onboarding

    private static Command SignOnboarding(GlobalOptions g, CliContext context)
    {
        var key = Arg("key", "The device key (a key name in the device keyring)");
        var chainId = new Option<string>("--chain-id") { Description = "Chain ID the onboarding is for", Required = true };
        var owner = new Option<string>("--owner") { Description = "The owner: a depin1… address or an account key name", Required = true };
        var maker = new Option<string>("--maker") { Description = "The maker's name on chain", Required = true };
        var mode = new Option<string>("--mode") { Description = "full (proof of coverage and data) or data-only", DefaultValueFactory = _ => "full" };
        mode.AcceptOnlyFromAmong("full", "data-only");
        var outputDocument = OutputDocument();
        var command = new Command("sign-onboarding", "Sign the device's part of its onboarding (offline); the maker countersigns the file, the owner submits both")
        {
            key, chainId, owner, maker, mode, outputDocument,
        };
        command.SetAction(result => Run(() =>
        {
            var deviceKey = OpenDeviceKeyring(result, g, context).GetSigningKey(result.GetValue(key)!);
            string ownerAddress = OwnerAddress(result, g, context, result.GetValue(owner)!);
            var signature = OnboardingFiles.SignAsDevice(deviceKey, result.GetValue(chainId)!, ownerAddress,
                OnboardingFiles.ParseMode(result.GetValue(mode)), result.GetValue(maker)!);
            Emit(context, result.GetValue(outputDocument), OnboardingFiles.Format(signature), "device onboarding signature");
        }));
        return command;
    }

    private static string OwnerAddress(ParseResult result, GlobalOptions g, CliContext context, string text) =>
        CosmosAddress.TryParse(text, GenesisDocument.AccountPrefix, out _) ? text : result.OpenKeyring(g, context).Get(text).Address;

    // ------------------------------------------------------------------ beacon and witness

    private static Command Beacon(GlobalOptions g, CliContext context)
    {
        var key = Arg("key", "The beaconing device's key (a key name in the device keyring)");
        var node = NodeOption();
        var frequency = new Option<string?>("--frequency-mhz") { Description = "Frequency in MHz (6 decimals at most); default: a channel of the device's region" };
        var power = new Option<string>("--tx-power-dbm") { Description = "Transmit power in dBm (1 decimal at most)", DefaultValueFactory = _ => "27" };
        var timestamp = new Option<long?>("--timestamp-ms") { Description = "Transmission time, Unix milliseconds (default: now)" };
        var outputDocument = OutputDocument();
        var command = new Command("beacon", "Build and sign a beacon report over the latest block's hash (asked from --node)")
        {
            key, node, frequency, power, timestamp, outputDocument,
        };
        command.SetAction(async (result, cancel) =>
        {
            try
            {
                int txPower = FixedDecimal.Tenths(result.GetValue(power)!, "--tx-power-dbm");
                long? frequencyHz = result.GetValue(frequency) is { } mhz ? FixedDecimal.MegahertzToHz(mhz, "--frequency-mhz") : null;
                var deviceKey = OpenDeviceKeyring(result, g, context).GetSigningKey(result.GetValue(key)!);
                var client = new CometRpcClient(result.GetValue(node)!, context.Http ?? SharedHttp.Value);
                var device = await QueryDeviceAsync(client, deviceKey.PublicKey, cancel);
                if (device.Location is null)
                    throw new CliException($"device {Convert.ToHexStringLower(deviceKey.PublicKey)} has not asserted a location; the chain refuses its beacons");
                JsonNode status = await client.StatusAsync(cancel);
                string chainId = (string?)status["node_info"]?["network"] ?? throw new CliException($"node {client.Node} did not report its chain ID");
                long height = CometRpcClient.ParseInt64((string?)status["sync_info"]?["latest_block_height"] ?? "", "latest_block_height");
                byte[] hash = HexOrThrow((string?)status["sync_info"]?["latest_block_hash"], client.Node);
                var beacon = PocFiles.SignBeacon(deviceKey, chainId, height, hash,
                    frequencyHz ?? Channels.Default((DePinChain.Modules.Devices.Geo.Region)device.Location.Region), txPower,
                    result.GetValue(timestamp) ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                Emit(context, result.GetValue(outputDocument), PocFiles.Format(beacon), "beacon report");
                return 0;
            }
            catch (FleetException e)
            {
                throw new CliException(e.Message);
            }
        });
        return command;
    }

    private static Command Witness(GlobalOptions g, CliContext context)
    {
        var beaconFile = Arg("beacon-file", "The beacon report file the device heard (from device beacon)");
        var key = new Option<string>("--key") { Description = "The witnessing device's key (a key name in the device keyring)", Required = true };
        var rssi = new Option<string>("--rssi") { Description = "Received signal strength in dBm (1 decimal at most), like -95.5", Required = true };
        var snr = new Option<string>("--snr") { Description = "Signal-to-noise ratio in dB (1 decimal at most), like 7.2", Required = true };
        var frequency = new Option<string?>("--frequency-mhz") { Description = "Frequency heard in MHz (default: the beacon's)" };
        var delay = new Option<long>("--delay-ms") { Description = "Reception time after the beacon's timestamp, in ms", DefaultValueFactory = _ => 500 };
        var timestamp = new Option<long?>("--timestamp-ms") { Description = "Reception time, Unix milliseconds (overrides --delay-ms)" };
        var outputDocument = OutputDocument();
        var command = new Command("witness", "Sign a witness report of a beacon the device heard (offline)")
        {
            beaconFile, key, rssi, snr, frequency, delay, timestamp, outputDocument,
        };
        command.SetAction(result => Run(() =>
        {
            int rssiTenths = FixedDecimal.Tenths(result.GetValue(rssi)!, "--rssi");
            int snrTenths = FixedDecimal.Tenths(result.GetValue(snr)!, "--snr");
            long? frequencyHz = result.GetValue(frequency) is { } mhz ? FixedDecimal.MegahertzToHz(mhz, "--frequency-mhz") : null;
            var beacon = PocFiles.ReadBeacon(result.GetValue(beaconFile)!);
            var witnessKey = OpenDeviceKeyring(result, g, context).GetSigningKey(result.GetValue(key)!);
            var witness = PocFiles.SignWitness(witnessKey, beacon, rssiTenths, snrTenths, frequencyHz ?? beacon.Beacon.FrequencyHz,
                result.GetValue(timestamp) ?? beacon.Beacon.TimestampMs + result.GetValue(delay));
            Emit(context, result.GetValue(outputDocument), PocFiles.Format(witness), "witness report");
        }));
        return command;
    }

    // ------------------------------------------------------------------ helpers

    internal static readonly Lazy<HttpClient> SharedHttp = new(() => new HttpClient { Timeout = TimeSpan.FromSeconds(15) });

    internal static Option<string> NodeOption() => new("--node") { Description = "CometBFT RPC of a node", DefaultValueFactory = _ => DefaultNode };

    private static Option<string?> OutputDocument() => new("--output-document") { Description = "Write the file here instead of stdout" };

    /// <summary>The device keyring beside the account keyring: same home, same --keyring-backend, same passphrase prompt.</summary>
    internal static DeviceKeyring OpenDeviceKeyring(ParseResult result, GlobalOptions g, CliContext context) =>
        DeviceKeyring.Open(result.GetValue(g.KeyringBackend)!, result.HomeOf(g),
            () => context.ReadLine("the keyring passphrase", "Enter keyring passphrase: "), context.KeyringCost);

    /// <summary>Runs a command body: a fleet error is a one-line CLI error.</summary>
    private static int Run(Action body)
    {
        try
        {
            body();
            return 0;
        }
        catch (FleetException e)
        {
            throw new CliException(e.Message);
        }
    }

    private static void Emit(CliContext context, string? path, string text, string what)
    {
        if (path is null)
        {
            context.Out.Write(text);
            return;
        }
        File.WriteAllText(path, text);
        context.Error.WriteLine($"wrote the {what} to {path}");
    }

    internal static async Task<Device> QueryDeviceAsync(CometRpcClient client, byte[] key, CancellationToken cancel)
    {
        var request = new QueryDeviceRequest { Key = ByteString.CopyFrom(key) };
        AbciQueryResult answer = await client.AbciQueryAsync("/depin.devices.v1.Query/Device", request.ToByteArray(), 0, cancel);
        if (answer.Code != 0)
        {
            if (answer.Log.Contains("not found", StringComparison.OrdinalIgnoreCase))
                throw new CliException($"unknown device {Convert.ToHexStringLower(key)}: it is not onboarded on this chain");
            throw new CliException($"device query failed: code {answer.Code} ({answer.Codespace}): {answer.Log}");
        }
        return QueryDeviceResponse.Parser.ParseFrom(answer.Value).Device ?? throw new CliException($"node answered no device for {Convert.ToHexStringLower(key)}");
    }

    private static byte[] HexOrThrow(string? text, string node) =>
        text is { Length: 64 } && text.All(char.IsAsciiHexDigit)
            ? Convert.FromHexString(text)
            : throw new CliException($"node {node} answered a latest_block_hash that is not 32 bytes of hex");
}
