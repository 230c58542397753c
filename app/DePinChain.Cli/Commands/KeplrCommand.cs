using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DePinChain.Cli.Genesis;
using DePinChain.Cli.Home;
using DePinChain.Sdk;
using static DePinChain.Cli.Commands.CommandHelpers;

namespace DePinChain.Cli.Commands;

/// <summary>
/// `keplr-config`: the chain info Keplr's <c>window.keplr.experimentalSuggestChain</c> takes (Keplr's ChainInfo:
/// chainId, chainName, rpc, rest, bip44, bech32Config, currencies, feeCurrencies with gasPriceStep, stakeCurrency),
/// from this home's genesis, config.toml and app.toml unless flags say otherwise.
/// </summary>
internal static class KeplrCommand
{
    public const string Denom = "udpin";
    public const string DisplayDenom = "DPIN";
    public const int Decimals = 6;

    public static Command Create(GlobalOptions g, CliContext context)
    {
        var rpc = new Option<string?>("--rpc") { Description = "CometBFT RPC URL wallets reach (default: config.toml's [rpc] laddr as http://)" };
        var rest = new Option<string?>("--rest") { Description = "REST URL wallets reach (default: app.toml's [api] address as http://)" };
        var chainName = new Option<string?>("--chain-name") { Description = "The name Keplr shows (default: DePinChain (CHAIN_ID))" };
        var low = new Option<string?>("--gas-price-low") { Description = "Lowest gas price offered (default: app.toml's minimum-gas-prices for udpin, else 0.01)" };
        var command = new Command("keplr-config", "Print the chain info Keplr's experimentalSuggestChain takes (JSON)") { rpc, rest, chainName, low };
        command.SetAction(result =>
        {
            var home = new NodeHome(result.HomeOf(g));
            string chainId = GenesisDocument.Load(home.Genesis).ChainId;
            string rpcUrl = result.GetValue(rpc) ?? HttpUrl(File.Exists(home.ConfigToml) ? CometConfig.FromToml(File.ReadAllText(home.ConfigToml)).RpcListen : "tcp://127.0.0.1:26657");
            var app = AppConfig.Load(home.Root);
            string restUrl = result.GetValue(rest) ?? HttpUrl(app.ApiAddress);
            foreach (var (flag, url) in new[] { ("--rpc", rpcUrl), ("--rest", restUrl) })
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                    throw new CliUsageException($"{flag}: '{url}' is not an http(s) URL");
            decimal lowPrice = ParsePrice(result.GetValue(low), "--gas-price-low") ?? MinimumPrice(app.MinimumGasPrices) ?? 0.01m;
            var steps = new JsonObject
            {
                ["low"] = lowPrice,
                ["average"] = Math.Max(lowPrice, 0.025m),
                ["high"] = Math.Max(lowPrice * 2, 0.04m),
            };
            JsonObject Currency() => new() { ["coinDenom"] = DisplayDenom, ["coinMinimalDenom"] = Denom, ["coinDecimals"] = Decimals };
            var fee = Currency();
            fee["gasPriceStep"] = steps;
            var info = new JsonObject
            {
                ["chainId"] = chainId,
                ["chainName"] = result.GetValue(chainName) ?? $"DePinChain ({chainId})",
                ["rpc"] = rpcUrl,
                ["rest"] = restUrl,
                ["bip44"] = new JsonObject { ["coinType"] = 118 },
                ["bech32Config"] = new JsonObject
                {
                    ["bech32PrefixAccAddr"] = Bech32Address.AccountPrefix,
                    ["bech32PrefixAccPub"] = Bech32Address.AccountPrefix + "pub",
                    ["bech32PrefixValAddr"] = ValidatorAddress.OperatorPrefix,
                    ["bech32PrefixValPub"] = ValidatorAddress.OperatorPrefix + "pub",
                    ["bech32PrefixConsAddr"] = ValidatorAddress.ConsensusPrefix,
                    ["bech32PrefixConsPub"] = ValidatorAddress.ConsensusPrefix + "pub",
                },
                ["currencies"] = new JsonArray(Currency()),
                ["feeCurrencies"] = new JsonArray(fee),
                ["stakeCurrency"] = Currency(),
                ["features"] = new JsonArray(),
            };
            context.Out.WriteLine(info.ToJsonString(JsonText.Indented));
            return 0;
        });
        return command;
    }

    // CometBFT's tcp://0.0.0.0:26657 is reached at http://127.0.0.1:26657 from this machine; anything else as written.
    private static string HttpUrl(string listen)
    {
        string hostPort = listen.Contains("://", StringComparison.Ordinal) ? listen[(listen.IndexOf("://", StringComparison.Ordinal) + 3)..] : listen;
        if (hostPort.StartsWith("0.0.0.0:", StringComparison.Ordinal)) hostPort = "127.0.0.1:" + hostPort["0.0.0.0:".Length..];
        return "http://" + hostPort;
    }

    private static decimal? MinimumPrice(string minimumGasPrices)
    {
        foreach (var price in DePinChain.App.AppOptions.ParseGasPrices(minimumGasPrices))
            if (price.Denom == Denom && !price.Atto.IsZero)
                return (decimal)price.Atto / 1_000_000_000_000_000_000m;
        return null;
    }

    private static decimal? ParsePrice(string? text, string flag)
    {
        if (text is null) return null;
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0) return value;
        throw new CliUsageException($"{flag}: '{text}' is not a positive decimal");
    }
}
