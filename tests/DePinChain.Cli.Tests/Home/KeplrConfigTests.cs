using System.Text.Json.Nodes;

namespace DePinChain.Cli.Tests.Home;

public sealed class KeplrConfigTests : IDisposable
{
    private readonly string _home = Path.Combine(Directory.CreateTempSubdirectory("depin-keplr-").FullName, "home");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_home)!, recursive: true);

    [Fact]
    public void Keplr_gets_the_chain_id_prefixes_denoms_and_this_nodes_urls()
    {
        CliRunner.Check(CliRunner.RunAt(_home, "", "init", "n0", "--chain-id", "depin-keplr-1"));
        var info = JsonNode.Parse(CliRunner.Check(CliRunner.RunAt(_home, "", "keplr-config")).Out)!;
        Assert.Equal("depin-keplr-1", (string?)info["chainId"]);
        Assert.Equal("http://127.0.0.1:26657", (string?)info["rpc"]);
        Assert.Equal("http://127.0.0.1:1317", (string?)info["rest"]);
        Assert.Equal(118, (int)info["bip44"]!["coinType"]!);
        Assert.Equal("depin", (string?)info["bech32Config"]!["bech32PrefixAccAddr"]);
        Assert.Equal("depinvaloper", (string?)info["bech32Config"]!["bech32PrefixValAddr"]);
        Assert.Equal("depinvalconspub", (string?)info["bech32Config"]!["bech32PrefixConsPub"]);
        Assert.Equal("udpin", (string?)info["stakeCurrency"]!["coinMinimalDenom"]);
        Assert.Equal(6, (int)info["feeCurrencies"]![0]!["coinDecimals"]!);
        // init writes minimum-gas-prices = "0udpin": nothing to take the low step from, so the default.
        Assert.Equal(0.01m, (decimal)info["feeCurrencies"]![0]!["gasPriceStep"]!["low"]!);

        var custom = JsonNode.Parse(CliRunner.Check(CliRunner.RunAt(_home, "", "keplr-config", "--rest", "https://rest.example",
            "--rpc", "https://rpc.example", "--gas-price-low", "0.03")).Out)!;
        Assert.Equal(("https://rest.example", "https://rpc.example"), ((string?)custom["rest"], (string?)custom["rpc"]));
        Assert.Equal(0.03m, (decimal)custom["feeCurrencies"]![0]!["gasPriceStep"]!["low"]!);
        Assert.True((decimal)custom["feeCurrencies"]![0]!["gasPriceStep"]!["high"]! >= 0.06m);

        var bad = CliRunner.RunAt(_home, "", "keplr-config", "--rest", "ftp://x");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--rest", bad.Error);
    }
}
