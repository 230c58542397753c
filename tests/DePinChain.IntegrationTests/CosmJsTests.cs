using System.Diagnostics;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Crypto;
using DePinChain.Protos.Abci;
using Google.Protobuf;

namespace DePinChain.IntegrationTests;

/// <summary>A client we did not write: CosmJS (tests/js, pinned in package.json) signs, depinchaind checks.</summary>
public sealed class CosmJsTests
{
    private const string Mnemonic =
        "legal winner thank year wave sausage worth useful legal winner thank yellow";

    [Fact]
    public async Task A_MsgSend_signed_by_CosmJS_from_a_mnemonic_is_accepted_and_a_flipped_copy_is_not()
    {
        // Our derivation: BIP-39 seed, BIP-32 m/44'/118'/0'/0/0, RIPEMD-160(SHA-256(pubkey)) in bech32 "depin".
        var signer = new TxSigner(Bip32.DerivePrivateKey(Bip39.ToSeed(Mnemonic), Bip32.CosmosPath()));
        string ours = CosmosAddress.ToBech32(signer.Address, "depin");
        var bob = TxSigner.FromSeed("cosmjs-bob");
        BigInteger funds = 10_000_000, amount = 12_345, fee = 2_500;

        JsonObject signed = SignWithCosmJs(accountNumber: 0, sequence: 0, bob.Bech32, amount, fee);
        Assert.Equal(ours, (string?)signed["address"]);
        Assert.Equal(Convert.ToBase64String(signer.PublicKey), (string?)signed["pubkeyBase64"]);
        byte[] tx = Convert.FromBase64String((string)signed["txBase64"]!);
        byte[] flippedSignature = (byte[])tx.Clone();
        flippedSignature[^10] ^= 0x01;
        byte[] flippedBody = FlipAmountDigit(tx);

        using var dir = new TempDir();
        await using var daemon = Daemon.Start(dir.Sub("node"));
        await using var driver = await daemon.ConnectAsync();
        await driver.InfoAsync(new RequestInfo());
        await driver.InitChainAsync(Workload.InitChain([(signer.Address, funds), (bob.Address, 1)]));
        await driver.FinalizeAndCommitAsync(Workload.Block(1, []));

        var badSignature = await driver.CheckTxAsync(new RequestCheckTx { Tx = ByteString.CopyFrom(flippedSignature) });
        Assert.True(badSignature.Code == 4, $"flipped signature: code {badSignature.Code} {badSignature.Log}");
        var badBody = await driver.CheckTxAsync(new RequestCheckTx { Tx = ByteString.CopyFrom(flippedBody) });
        Assert.True(badBody.Code is 2 or 4, $"flipped body: code {badBody.Code} {badBody.Log}");

        // Rejected in a block too, with no state change: no balance moves, the sequence stays.
        var (rejected, _) = await driver.FinalizeAndCommitAsync(Workload.Block(2, [ByteString.CopyFrom(flippedSignature), ByteString.CopyFrom(flippedBody)]));
        Assert.Equal(4u, rejected.TxResults[0].Code);
        Assert.True(rejected.TxResults[1].Code is 2 or 4, rejected.TxResults[1].Log);
        Assert.Equal(funds, await Workload.BalanceAsync(driver, ours));
        Assert.Equal(1, await Workload.BalanceAsync(driver, bob.Bech32));
        Assert.Equal(0UL, (await Workload.AccountAsync(driver, ours)).Sequence);

        var check = await driver.CheckTxAsync(new RequestCheckTx { Tx = ByteString.CopyFrom(tx) });
        Assert.True(check.Code == 0, $"CheckTx: code {check.Code} {check.Log}");
        var (accepted, _) = await driver.FinalizeAndCommitAsync(Workload.Block(3, [ByteString.CopyFrom(tx)]));
        var result = accepted.TxResults.Single();
        Assert.True(result.Code == 0, $"FinalizeBlock: code {result.Code} {result.Log}");

        Assert.Equal(funds - amount - fee, await Workload.BalanceAsync(driver, ours));
        Assert.Equal(1 + amount, await Workload.BalanceAsync(driver, bob.Bech32));
        Assert.Equal(1UL, (await Workload.AccountAsync(driver, ours)).Sequence);
    }

    /// <summary>The tx with one digit of the MsgSend amount changed: still decodes, no longer matches the signature.</summary>
    private static byte[] FlipAmountDigit(byte[] tx)
    {
        var raw = DePinChain.Protos.Cosmos.Tx.V1Beta1.TxRaw.Parser.ParseFrom(tx);
        byte[] body = raw.BodyBytes.ToByteArray();
        int at = Array.LastIndexOf(body, (byte)'5');
        Assert.True(at > 0, "the amount 12345 is in the body");
        body[at] = (byte)'6';
        raw.BodyBytes = ByteString.CopyFrom(body);
        return raw.ToByteArray();
    }

    private static JsonObject SignWithCosmJs(ulong accountNumber, ulong sequence, string to, BigInteger amount, BigInteger fee)
    {
        string jsDir = Path.Combine(Paths.RepoRoot, "tests", "js");
        if (!Directory.Exists(Path.Combine(jsDir, "node_modules", "@cosmjs", "stargate")))
            throw new InvalidOperationException($"CosmJS is not installed in {jsDir}: run `make setup` (or `npm install` there)");
        var input = new JsonObject
        {
            ["mnemonic"] = Mnemonic,
            ["chainId"] = Workload.ChainId,
            ["accountNumber"] = accountNumber,
            ["sequence"] = sequence,
            ["to"] = to,
            ["amount"] = amount.ToString(),
            ["denom"] = Workload.Denom,
            ["fee"] = fee.ToString(),
            ["gas"] = 200_000,
        };
        var start = new ProcessStartInfo("node", [Path.Combine(jsDir, "cosmjs-sign.mjs")])
        {
            WorkingDirectory = jsDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input.ToJsonString());
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill();
            throw new TimeoutException("cosmjs-sign.mjs did not finish within a minute");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"cosmjs-sign.mjs exited with {process.ExitCode}: {stderr.Result}");
        return JsonNode.Parse(stdout.Result)!.AsObject();
    }
}
