using System.CommandLine;
using System.Globalization;
using DePinChain.Cli.Commands;
using DePinChain.Cli.Rpc;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Protos.Depin.Coverage.V1;
using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.Protos.Depin.Mint.V1;
using DePinChain.Protos.Depin.Rewards.V1;
using DePinChain.Fleet.Files;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Any = Google.Protobuf.WellKnownTypes.Any;

namespace DePinChain.Cli.AutoCli;

/// <summary>
/// What the proto descriptors cannot say about the commands: which fields are positional, short aliases, inputs made
/// from files or the node, and text printers for the answers people read most. One entry per rpc that needs one;
/// every other rpc gets the defaults.
/// </summary>
internal static class CliCatalog
{
    private static readonly MethodOptions Defaults = new();

    public static MethodOptions Options(MethodDescriptor method)
    {
        string key = method.Service.FullName + "/" + method.Name;
        return Table.GetValueOrDefault(key) ?? StakingCatalog.Table.GetValueOrDefault(key) ?? TransferCatalog.Table.GetValueOrDefault(key) ?? Defaults;
    }

    // Before Table: static fields are initialized in the order they are written.
    private static readonly Option<long?> EpochOption = new("--epoch")
    {
        Description = "The epoch (default: the current one for coverage, the last ended one for rewards)",
    };

    private static readonly Option<string?> DeviceSignatureFile = new("--device-signature") { Description = "The device's onboarding signature file (device sign-onboarding)" };
    private static readonly Option<string?> MakerSignatureFile = new("--maker-signature") { Description = "The maker's onboarding signature file (maker sign-onboarding)" };
    private static readonly Option<string?> LocalDevice = new("--device") { Description = "One machine holds every key: the device key's name in the device keyring (with --maker-key)" };
    private static readonly Option<string?> LocalMakerKey = new("--maker-key") { Description = "One machine holds every key: the maker key's name in the device keyring (with --device and --maker)" };
    private static readonly Argument<string> BeaconFile = new("BEACON_FILE") { Description = "The beacon report file (device beacon)" };
    private static readonly Argument<string[]> WitnessFiles = new("WITNESS_FILE") { Description = "Witness report files of that beacon (device witness)", Arity = ArgumentArity.ZeroOrMore };

    private static readonly Argument<string[]> RecipientsThenAmount = new("TO_ADDRESS... AMOUNT")
    {
        Description = "Recipients (addresses or key names), then the coins each receives, like 1000udpin",
        Arity = new ArgumentArity(2, 1_000),
    };

    private static readonly Dictionary<string, MethodOptions> Table = new(StringComparer.Ordinal)
    {
        // ---- auth
        ["cosmos.auth.v1beta1.Query/Account"] = new() { Positional = ["address"], PrintText = PrintAccount },
        ["cosmos.auth.v1beta1.Query/AccountInfo"] = new() { Positional = ["address"] },
        ["cosmos.auth.v1beta1.Query/ModuleAccountByName"] = new() { Use = "module-account", Positional = ["name"] },

        // ---- bank
        ["cosmos.bank.v1beta1.Msg/Send"] = new() { Positional = ["from_address", "to_address", "amount"] },
        // As simd: multi-send TO_ADDRESS... AMOUNT, each recipient gets AMOUNT, the signer (--from) pays them all.
        ["cosmos.bank.v1beta1.Msg/MultiSend"] = new() { Hidden = ["inputs", "outputs"], ExtraArguments = [RecipientsThenAmount], Build = MultiSend },
        ["cosmos.bank.v1beta1.Query/Balance"] = new() { Positional = ["address", "denom"] },
        ["cosmos.bank.v1beta1.Query/AllBalances"] = new() { Use = "balances", Aliases = ["all-balances"], Positional = ["address"], Hidden = ["resolve_denom"], PrintText = PrintBalances },
        ["cosmos.bank.v1beta1.Query/SupplyOf"] = new() { Positional = ["denom"] },
        ["cosmos.bank.v1beta1.Query/DenomMetadata"] = new() { Positional = ["denom"] },

        // ---- devices
        ["depin.devices.v1.Msg/AddMaker"] = new() { Positional = ["name", "key"] },
        ["depin.devices.v1.Msg/RevokeMaker"] = new() { Positional = ["name"] },
        ["depin.devices.v1.Msg/OnboardDevice"] = new()
        {
            // The owner's part of the three-signature flow: the device's and the maker's signature files (each signed
            // offline), or, when both keys are in this machine's device keyring, --device and --maker-key.
            Use = "onboard", Aliases = ["onboard-device"], Hidden = ["device_signature", "maker_signature"],
            ExtraOptions = [DeviceSignatureFile, MakerSignatureFile, LocalDevice, LocalMakerKey],
            Build = OnboardFromFiles,
            Complete = OnboardWithLocalKeysAsync,
        },
        ["depin.devices.v1.Msg/AssertLocation"] = new()
        {
            Positional = ["device_key", "latitude_micro", "longitude_micro"],
            Complete = NextLocationNonce,
        },
        ["depin.devices.v1.Msg/TransferDevice"] = new() { Use = "transfer", Aliases = ["transfer-device"], Positional = ["device_key", "new_owner"] },
        ["depin.devices.v1.Msg/DecommissionDevice"] = new() { Use = "decommission", Aliases = ["decommission-device"], Positional = ["device_key"] },
        ["depin.devices.v1.Query/Device"] = new() { Positional = ["key"] },
        ["depin.devices.v1.Query/DevicesByOwner"] = new() { Use = "by-owner", Aliases = ["devices-by-owner"], Positional = ["owner"] },
        ["depin.devices.v1.Query/DevicesInCell"] = new() { Use = "in-cell", Aliases = ["devices-in-cell"], Positional = ["latitude_micro", "longitude_micro"] },
        ["depin.devices.v1.Query/AllDevices"] = new() { Use = "all", Aliases = ["all-devices"] },
        ["depin.devices.v1.Query/LocationHistory"] = new() { Use = "locations", Aliases = ["location-history"], Positional = ["key"] },
        ["depin.devices.v1.Query/DensityCells"] = new() { Use = "cells", Aliases = ["density-cells"], Positional = ["level"] },

        // ---- coverage
        ["depin.coverage.v1.Msg/SubmitPoc"] = new()
        {
            Hidden = ["beacon", "witnesses"], ExtraArguments = [BeaconFile, WitnessFiles],
            Build = (call, _) => PocFiles.BuildMessage(call.Signer!, call.Result.GetValue(BeaconFile)!, call.Result.GetValue(WitnessFiles) ?? []),
        },
        ["depin.coverage.v1.Msg/DenyList"] = new() { Use = "deny", Aliases = ["deny-list"], Positional = ["device_key"] },
        ["depin.coverage.v1.Msg/LiftDenyList"] = new() { Use = "lift-deny", Aliases = ["lift-deny-list"], Positional = ["device_key"] },
        ["depin.coverage.v1.Query/Reports"] = new()
        {
            Positional = ["device_key"], Hidden = ["epoch"], ExtraOptions = [EpochOption],
            Complete = (call, request, cancel) => SetEpochAsync(call, request, back: 0, cancel),
            PrintText = PrintReports,
        },
        ["depin.coverage.v1.Query/Units"] = new() { Positional = ["epoch"] },

        // ---- data credits
        ["depin.datacredits.v1.Msg/BurnForCredits"] = new() { Use = "buy", Aliases = ["burn-for-credits"], Positional = ["amount"] },
        ["depin.datacredits.v1.Msg/DelegateCredits"] = new() { Use = "delegate", Aliases = ["delegate-credits"], Positional = ["router", "amount"] },
        ["depin.datacredits.v1.Msg/UndelegateCredits"] = new() { Use = "undelegate", Aliases = ["undelegate-credits"], Positional = ["router", "amount"] },
        ["depin.datacredits.v1.Msg/ReportTraffic"] = new() { Positional = ["device_key", "bytes"] },
        ["depin.datacredits.v1.Msg/SetCreditPrice"] = new() { Positional = ["dc_per_dpin"] },
        ["depin.datacredits.v1.Msg/RegisterRouter"] = new() { Positional = ["router", "name"] },
        ["depin.datacredits.v1.Msg/RemoveRouter"] = new() { Positional = ["router"] },
        ["depin.datacredits.v1.Msg/UpdateParams"] = new() { Positional = ["params"] },
        ["depin.datacredits.v1.Query/Balance"] = new() { Positional = ["owner"] },
        ["depin.datacredits.v1.Query/Traffic"] = new() { Positional = ["epoch"] },

        // ---- mint
        ["depin.mint.v1.Msg/UpdateParams"] = new() { Positional = ["params"] },

        // ---- rewards
        ["depin.rewards.v1.Msg/UpdateParams"] = new() { Positional = ["params"] },
        ["depin.rewards.v1.Msg/ClaimRewards"] = new() { Use = "claim", Aliases = ["claim-rewards"], Positional = ["device_keys"] },
        ["depin.rewards.v1.Query/DeviceReward"] = new()
        {
            Use = "device", Aliases = ["device-reward"], Positional = ["device_key"], Hidden = ["epoch"], ExtraOptions = [EpochOption],
            // Default: the last epoch that ended (rewards are paid at an epoch's last block).
            Complete = (call, request, cancel) => SetEpochAsync(call, request, back: 1, cancel),
            PrintText = PrintDeviceReward,
        },
        ["depin.rewards.v1.Query/OwnerRewards"] = new()
        {
            Use = "owner", Aliases = ["owner-rewards"], Positional = ["owner"], Hidden = ["epoch"], ExtraOptions = [EpochOption],
            Complete = (call, request, cancel) => SetEpochAsync(call, request, back: 1, cancel),
        },
        ["depin.rewards.v1.Query/EpochSummary"] = new() { Positional = ["epoch"] },
    };

    /// <summary>Sets the request's epoch field from --epoch, else from the node's current epoch minus <paramref name="back"/>.</summary>
    private static async Task SetEpochAsync(MethodCall call, IMessage request, long back, CancellationToken cancel)
    {
        long epoch;
        if (call.Result.GetValue(EpochOption) is { } given)
        {
            if (given < 0) throw new CliUsageException($"--epoch must not be negative, got {given}");
            epoch = given;
        }
        else
        {
            var answer = await call.Client.AbciQueryAsync("/depin.mint.v1.Query/CurrentEpoch", new QueryCurrentEpochRequest().ToByteArray(), 0, cancel);
            if (answer.Code != 0) throw new CliException($"cannot ask the node for the current epoch: {answer.Log} (pass --epoch)");
            epoch = Math.Max(0, QueryCurrentEpochResponse.Parser.ParseFrom(answer.Value).Epoch - back);
        }
        var field = request.Descriptor.FindFieldByName("epoch");
        field.Accessor.SetValue(request, field.FieldType == FieldType.UInt64 ? (object)(ulong)epoch : epoch);
    }

    private static IMessage MultiSend(MethodCall call, IMessage _)
    {
        string[] values = call.Result.GetValue(RecipientsThenAmount)!;
        var each = CommandHelpers.ParseCoins(values[^1], "amount");
        var msg = new MsgMultiSend();
        var total = Sdk.Coins.Empty;
        foreach (var recipient in values[..^1])
        {
            var output = new Output { Address = call.Keys.Address(recipient, "to-address") };
            output.Coins.AddRange(each.ToProto());
            msg.Outputs.Add(output);
            total = total.Add(each);
        }
        var input = new Input { Address = call.Signer! };
        input.Coins.AddRange(total.ToProto());
        msg.Inputs.Add(input);
        return msg;
    }

    /// <summary>The message the two signature files make (each checked: same device, owner, mode, maker and chain, signatures valid).</summary>
    private static IMessage OnboardFromFiles(MethodCall call, IMessage msg)
    {
        string? device = call.Result.GetValue(DeviceSignatureFile), maker = call.Result.GetValue(MakerSignatureFile);
        if (device is null && maker is null) return msg;
        if (device is null || maker is null)
            throw new CliUsageException("give both --device-signature and --maker-signature (or neither)");
        if (call.Result.GetValue(LocalDevice) is not null || call.Result.GetValue(LocalMakerKey) is not null)
            throw new CliUsageException("give the signature files or --device/--maker-key, not both");
        return OnboardingFiles.BuildMessage(call.Signer!, device, maker);
    }

    /// <summary>All keys on this machine: signs as the device and as the maker for this chain and owner.</summary>
    private static async Task OnboardWithLocalKeysAsync(MethodCall call, IMessage request, CancellationToken cancel)
    {
        string? device = call.Result.GetValue(LocalDevice), makerKey = call.Result.GetValue(LocalMakerKey);
        if (device is null && makerKey is null) return;
        if (device is null || makerKey is null)
            throw new CliUsageException("give both --device and --maker-key (or use the signature files)");
        var msg = (MsgOnboardDevice)request;
        if (msg.Maker.Length == 0) throw new CliUsageException("--maker: the maker's name is needed with --maker-key");
        var mode = msg.Mode == DeviceMode.Unspecified ? DeviceMode.Full : (DeviceMode)msg.Mode;
        string chainId = await call.ChainIdAsync(cancel);
        var built = OnboardingFiles.BuildMessage(call.Signer!, call.Keys.Devices.GetSigningKey(device), call.Keys.Devices.GetSigningKey(makerKey), chainId, mode, msg.Maker);
        msg.DeviceKey = built.DeviceKey;
        msg.KeyType = built.KeyType;
        msg.Mode = built.Mode;
        msg.DeviceSignature = built.DeviceSignature;
        msg.MakerSignature = built.MakerSignature;
    }

    /// <summary>An assertion's nonce is the device's last one + 1: asked from the node unless --nonce is given.</summary>
    private static async Task NextLocationNonce(MethodCall call, IMessage request, CancellationToken cancel)
    {
        var msg = (MsgAssertLocation)request;
        if (msg.Nonce != 0) return;
        var answer = await call.Client.AbciQueryAsync("/depin.devices.v1.Query/Device", new QueryDeviceRequest { Key = msg.DeviceKey }.ToByteArray(), 0, cancel);
        if (answer.Code != 0)
            throw new CliException($"device {Convert.ToHexString(msg.DeviceKey.Span)}: {answer.Log}");
        var device = QueryDeviceResponse.Parser.ParseFrom(answer.Value).Device;
        msg.Nonce = (device.Location?.Nonce ?? 0) + 1;
    }

    // ------------------------------------------------------------------ text printers

    private static void PrintAccount(MethodCall call, IMessage response)
    {
        Any? any = ((QueryAccountResponse)response).Account;
        if (any is null || !any.TryUnpack(out BaseAccount account))
        {
            call.Out.WriteLine(TxJson.Format(response));
            return;
        }
        call.Out.WriteLine($"address: {account.Address}");
        call.Out.WriteLine($"account_number: {account.AccountNumber}");
        call.Out.WriteLine($"sequence: {account.Sequence}");
        call.Out.WriteLine($"pub_key: {(account.PubKey is null ? "(none yet)" : TxJson.Format(account.PubKey))}");
    }

    private static void PrintBalances(MethodCall call, IMessage response)
    {
        var balances = ((QueryAllBalancesResponse)response).Balances;
        if (balances.Count == 0)
            call.Out.WriteLine("(no balances)");
        foreach (var coin in balances)
            call.Out.WriteLine(coin.Amount + coin.Denom);
    }

    /// <summary>Each report with its beacon verdict, then every witness with its verdict code, name and reason.</summary>
    private static void PrintReports(MethodCall call, IMessage response)
    {
        var reports = ((QueryReportsResponse)response).Reports;
        if (reports.Count == 0)
        {
            call.Out.WriteLine("(no reports)");
            return;
        }
        foreach (var r in reports)
        {
            call.Out.WriteLine($"report at height {r.Height} (epoch {r.Epoch}), beaconer {Convert.ToHexString(r.BeaconerKey.Span)}");
            call.Out.WriteLine($"  beacon: {r.BeaconVerdictName} (code {r.BeaconVerdict}){Reason(r.BeaconReason)}; units {Units(r.BeaconUnits)}, density scale {Units(r.DensityScale)}");
            foreach (var w in r.Witnesses)
                call.Out.WriteLine($"  witness {Convert.ToHexString(w.WitnessKey.Span)}: {w.VerdictName} (code {w.Verdict}){Reason(w.Reason)}; "
                    + $"{w.DistanceMetres} m, rssi {Tenths(w.RssiTenthsDbm)} dBm, snr {Tenths(w.SnrTenthsDb)} dB, units {Units(w.Units)}");
        }
    }

    /// <summary>Why a device earned what it earned: its units, the density scale, its traffic and each amount.</summary>
    private static void PrintDeviceReward(MethodCall call, IMessage response)
    {
        var r = ((QueryDeviceRewardResponse)response).Record;
        call.Out.WriteLine($"epoch: {r.Epoch}");
        call.Out.WriteLine($"device: {Convert.ToHexString(r.DeviceKey.Span)}");
        call.Out.WriteLine($"owner: {r.Owner}");
        call.Out.WriteLine($"beacon_units: {Units((long)r.BeaconUnits)}");
        call.Out.WriteLine($"witness_units: {Units((long)r.WitnessUnits)}");
        call.Out.WriteLine($"density_scale: {Units((long)r.DensityScale)}");
        call.Out.WriteLine($"traffic: {r.TrafficBytes} bytes, {r.TrafficDc} DC");
        call.Out.WriteLine($"beacon_amount: {r.BeaconAmount}");
        call.Out.WriteLine($"witness_amount: {r.WitnessAmount}");
        call.Out.WriteLine($"data_amount: {r.DataAmount}");
        call.Out.WriteLine($"amount: {r.Amount}");
    }

    private static string Reason(string reason) => reason.Length > 0 ? $": {reason}" : "";

    /// <summary>Fixed point with 1.0 = 1,000,000,000, printed exactly.</summary>
    private static string Units(long fixedPoint)
    {
        long whole = Math.DivRem(Math.Abs(fixedPoint), 1_000_000_000L, out long fraction);
        string text = fraction == 0 ? whole.ToString(CultureInfo.InvariantCulture) : $"{whole}.{fraction.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0')}";
        return fixedPoint < 0 ? "-" + text : text;
    }

    private static string Tenths(int tenths)
    {
        string text = $"{Math.Abs(tenths) / 10}.{Math.Abs(tenths) % 10}";
        return tenths < 0 ? "-" + text : text;
    }
}
