using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Cli.Genesis;
using DePinChain.Cli.Rpc;
using DePinChain.Crypto;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using Google.Protobuf;
using Any = Google.Protobuf.WellKnownTypes.Any;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;

namespace DePinChain.Cli.Commands;

/// <summary>The flags every tx command takes (simd's names), created once and shared by all tx commands.</summary>
public sealed class TxFlags
{
    public const ulong DefaultGas = 200_000;

    public Option<string?> From { get; } = new("--from") { Description = "Signer: a key name or address in the keyring" };
    public Option<string?> ChainId { get; } = new("--chain-id") { Description = "Chain ID (default: asked from the node)" };
    public Option<string?> Fees { get; } = new("--fees") { Description = "Fee to pay, like 500udpin" };
    public Option<string?> GasPrices { get; } = new("--gas-prices") { Description = "Gas price, like 0.025udpin (fee = price x gas, rounded up)" };
    public Option<string> Gas { get; } = new("--gas") { Description = "Gas limit: a number, or auto to simulate first", DefaultValueFactory = _ => DefaultGas.ToString(CultureInfo.InvariantCulture) };
    public Option<string> GasAdjustment { get; } = new("--gas-adjustment") { Description = "Factor applied to the simulated gas with --gas auto", DefaultValueFactory = _ => "1.5" };
    public Option<bool> GenerateOnly { get; } = new("--generate-only") { Description = "Print the unsigned tx as JSON; do not sign or broadcast" };
    public Option<bool> Yes { get; } = new("--yes", "-y") { Description = "Do not ask for confirmation" };
    public Option<string> BroadcastMode { get; } = new("--broadcast-mode") { Description = "sync: return after CheckTx; commit: wait until the tx is in a block", DefaultValueFactory = _ => "commit" };
    public Option<string> Memo { get; } = new("--note", "--memo") { Description = "Memo", DefaultValueFactory = _ => "" };

    /// <summary>The tx memo for a message that has a memo of its own (ICS-20's packet memo is --memo, as in simd).</summary>
    public Option<string> NoteOnly { get; } = new("--note") { Description = "Memo of the tx", DefaultValueFactory = _ => "" };
    public Option<ulong?> AccountNumber { get; } = new("--account-number") { Description = "Account number (offline signing)" };
    public Option<ulong?> Sequence { get; } = new("--sequence") { Description = "Account sequence (offline signing)" };

    public TxFlags() => BroadcastMode.AcceptOnlyFromAmong("sync", "commit");

    /// <summary>The flags of a command that builds, signs and broadcasts a tx (the signer comes from --from unless the
    /// command takes it as an argument).</summary>
    public void AddTo(Command command, bool withFrom)
    {
        if (withFrom) command.Options.Add(From);
        var memo = command.Options.Any(o => o.Name == "--memo" || o.Aliases.Contains("--memo")) ? NoteOnly : Memo;
        foreach (Option option in new Option[] { ChainId, Fees, GasPrices, Gas, GasAdjustment, GenerateOnly, Yes, BroadcastMode, memo, AccountNumber, Sequence })
            command.Options.Add(option);
    }
}

/// <summary>
/// What every tx command does once it has its messages: check the flags (all of them, before any node is asked),
/// then print the unsigned tx (--generate-only), or sign it (account number, sequence and chain id from the node
/// unless given; --gas auto simulates first), confirm, broadcast and wait for inclusion.
/// </summary>
internal sealed class TxPipeline(GlobalOptions g, CliContext context, Option<string> node, TxFlags flags)
{
    private const ulong SimulationGasLimit = 3_000_000;

    private static readonly Lazy<HttpClient> SharedHttp = new(() => new HttpClient { Timeout = TimeSpan.FromSeconds(15) });

    public TxFlags Flags => flags;

    public CometRpcClient Client(ParseResult result) => new(result.GetValue(node)!, context.Http ?? SharedHttp.Value);

    /// <summary>Checks every flag that needs no node, so a bad value never costs a round trip (or a half-done tx).</summary>
    public void CheckFlags(ParseResult result)
    {
        string gasText = result.GetValue(flags.Gas)!;
        if (gasText != "auto") ParseGas(gasText);
        else if (result.GetValue(flags.GenerateOnly))
            throw new CliUsageException("--gas auto needs a node to simulate the tx; with --generate-only give a gas limit (--gas N)");
        ParseAdjustment(result.GetValue(flags.GasAdjustment)!);
        FeeFrom(result, TxFlags.DefaultGas);
    }

    /// <summary>Prints the unsigned tx, or signs, confirms, broadcasts and reports it; returns the exit code.</summary>
    public async Task<int> RunAsync(ParseResult result, string fromText, IReadOnlyList<IMessage> messages, CancellationToken cancel)
    {
        CheckFlags(result);
        var memo = result.CommandResult.Command.Options.Contains(flags.NoteOnly) ? flags.NoteOnly : flags.Memo;
        var body = new TxBody { Memo = result.GetValue(memo)! };
        foreach (var message in messages) body.Messages.Add(Any.Pack(message, ""));

        if (result.GetValue(flags.GenerateOnly))
        {
            var unsigned = new Tx { Body = body, AuthInfo = new AuthInfo { Fee = FeeFrom(result, ParseGas(result.GetValue(flags.Gas)!)) } };
            context.Out.WriteLine(TxJson.Format(unsigned));
            return 0;
        }

        var keyring = result.OpenKeyring(g, context);
        var key = keyring.Get(fromText);
        var signer = new TxSigner(keyring.GetPrivateKey(key.Name));
        var client = Client(result);
        var signed = await SignAsync(result, client, signer, body, cancel);
        if (!Confirm(result, signed))
            throw new CliException("aborted: tx not signed or broadcast");
        return await BroadcastAsync(result, client, TxJson.ToRawBytes(signed), cancel);
    }

    // ------------------------------------------------------------------ signing

    private async Task<Tx> SignAsync(ParseResult result, CometRpcClient client, TxSigner signer, TxBody body, CancellationToken cancel)
    {
        string chainId = await ChainIdAsync(result, client, cancel);
        var (number, sequence) = await AccountAsync(result, client, Bech32(signer), cancel);
        string gasText = result.GetValue(flags.Gas)!;
        ulong gas;
        if (gasText == "auto")
        {
            // The probe pays the fee a default-gas tx would (so fee deduction is simulated too) under a roomy limit.
            var probeFee = FeeFrom(result, TxFlags.DefaultGas);
            probeFee.GasLimit = SimulationGasLimit;
            Tx probe = SignWith(signer, body, probeFee, chainId, number, sequence);
            var simulate = new SimulateRequest { TxBytes = ByteString.CopyFrom(TxJson.ToRawBytes(probe)) };
            AbciQueryResult answer = await client.AbciQueryAsync("/cosmos.tx.v1beta1.Service/Simulate", simulate.ToByteArray(), 0, cancel);
            if (answer.Code != 0)
                throw new CliException($"simulation failed: code {answer.Code} ({answer.Codespace}): {answer.Log}");
            ulong used = SimulateResponse.Parser.ParseFrom(answer.Value).GasInfo?.GasUsed ?? 0;
            gas = (ulong)Math.Ceiling(used * ParseAdjustment(result.GetValue(flags.GasAdjustment)!));
        }
        else
        {
            gas = ParseGas(gasText);
        }
        return SignWith(signer, body, FeeFrom(result, gas), chainId, number, sequence);
    }

    public static Tx SignWith(TxSigner signer, TxBody body, Fee fee, string chainId, ulong accountNumber, ulong sequence)
    {
        var authInfo = new AuthInfo { Fee = fee, SignerInfos = { SignModeDirect.SignerInfo(signer.PublicKeyAny, sequence) } };
        var tx = new Tx { Body = body, AuthInfo = authInfo };
        tx.Signatures.Add(SignModeDirect.Sign(signer, body.ToByteString(), authInfo.ToByteString(), chainId, accountNumber));
        return tx;
    }

    public static string Bech32(TxSigner signer) => CosmosAddress.ToBech32(signer.Address, GenesisDocument.AccountPrefix);

    public async Task<string> ChainIdAsync(ParseResult result, CometRpcClient? client, CancellationToken cancel)
    {
        if (result.GetValue(flags.ChainId) is { Length: > 0 } chainId)
            return chainId;
        if (client is null)
            throw new CliUsageException("--chain-id is required offline");
        JsonNode status = await client.StatusAsync(cancel);
        return (string?)status["node_info"]?["network"] ?? throw new CliException($"node {client.Node} did not report its chain ID; pass --chain-id");
    }

    public async Task<(ulong Number, ulong Sequence)> AccountAsync(ParseResult result, CometRpcClient? client, string address, CancellationToken cancel)
    {
        ulong? number = result.GetValue(flags.AccountNumber);
        ulong? sequence = result.GetValue(flags.Sequence);
        if (number is { } n && sequence is { } s)
            return (n, s);
        if (client is null)
            throw new CliUsageException("--account-number and --sequence are required offline");
        BaseAccount account = await QueryAccountAsync(client, address, 0, cancel);
        return (number ?? account.AccountNumber, sequence ?? account.Sequence);
    }

    public static async Task<BaseAccount> QueryAccountAsync(CometRpcClient client, string address, long height, CancellationToken cancel)
    {
        var request = new QueryAccountRequest { Address = address };
        AbciQueryResult answer = await client.AbciQueryAsync("/cosmos.auth.v1beta1.Query/Account", request.ToByteArray(), height, cancel);
        if (answer.Code != 0)
        {
            if (answer.Log.Contains("not found", StringComparison.OrdinalIgnoreCase))
                throw new CliException($"account {address} not found on chain (it has never received coins)");
            throw new CliException($"account query failed: code {answer.Code} ({answer.Codespace}): {answer.Log}");
        }
        Any any = QueryAccountResponse.Parser.ParseFrom(answer.Value).Account
            ?? throw new CliException($"node answered no account for {address}");
        return any.TryUnpack(out BaseAccount account) ? account : throw new CliException($"account {address} is a {any.TypeUrl}, not a BaseAccount");
    }

    public Fee FeeFrom(ParseResult result, ulong gas)
    {
        string? fees = result.GetValue(flags.Fees);
        string? prices = result.GetValue(flags.GasPrices);
        if (fees is not null && prices is not null)
            throw new CliUsageException("give --fees or --gas-prices, not both");
        var fee = new Fee { GasLimit = gas };
        if (fees is not null)
            fee.Amount.AddRange(CommandHelpers.ParseCoins(fees, "--fees", allowEmpty: true).ToProto());
        else if (prices is not null)
            fee.Amount.AddRange(PriceFee(prices, gas));
        return fee;
    }

    private static IEnumerable<ProtoCoin> PriceFee(string prices, ulong gas)
    {
        IReadOnlyList<GasPrice> parsed;
        try
        {
            parsed = AppOptions.ParseGasPrices(prices);
        }
        catch (FormatException e)
        {
            throw new CliUsageException($"--gas-prices: {e.Message}");
        }
        // The same exact rounding (up) the app's mempool check uses, so the fee always passes it.
        return parsed
            .Select(p => new ProtoCoin { Denom = p.Denom, Amount = p.RequiredFee(gas).ToString(CultureInfo.InvariantCulture) })
            .Where(c => c.Amount != "0")
            .OrderBy(c => c.Denom, StringComparer.Ordinal);
    }

    public static ulong ParseGas(string text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong gas) && gas > 0
            ? gas
            : throw new CliUsageException($"--gas: '{text}' is neither auto nor a positive number");

    private static decimal ParseAdjustment(string text) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value) && value > 0 && value <= 100
            ? value
            : throw new CliUsageException($"--gas-adjustment: '{text}' is not a positive number");

    private bool Confirm(ParseResult result, Tx tx)
    {
        if (result.GetValue(flags.Yes))
            return true;
        context.Error.WriteLine(TxJson.Format(tx));
        return context.ReadLine("a confirmation (or pass --yes)", "confirm transaction before signing and broadcasting [y/N]: ").Trim().ToLowerInvariant() is "y" or "yes";
    }

    // ------------------------------------------------------------------ broadcast and wait

    public async Task<int> BroadcastAsync(ParseResult result, CometRpcClient client, byte[] raw, CancellationToken cancel)
    {
        BroadcastResult check = await client.BroadcastTxSyncAsync(raw, cancel);
        string hash = Convert.ToHexString(Hashes.Sha256(raw));
        if (check.Code != 0)
        {
            WriteTxResult(result, hash, 0, check.Code, check.Codespace, check.Log, 0, 0, null);
            return OperatorCommands.Failure;
        }
        if (result.GetValue(flags.BroadcastMode) == "sync")
        {
            WriteTxResult(result, hash, 0, 0, "", check.Log, 0, 0, null);
            return 0;
        }
        DateTime deadline = DateTime.UtcNow + context.InclusionTimeout;
        while (true)
        {
            TxResult? included = await client.TxAsync(hash, cancel);
            if (included is not null)
            {
                WriteTxResult(result, hash, included.Height, included.Code, included.Codespace, included.Log, included.GasWanted, included.GasUsed, included.Events);
                return included.Code == 0 ? 0 : OperatorCommands.Failure;
            }
            if (DateTime.UtcNow >= deadline)
                throw new CliException($"tx {hash} passed CheckTx but was not in a block after {context.InclusionTimeout.TotalSeconds:0}s; check later with query tx {hash}");
            await Task.Delay(context.PollInterval, cancel);
        }
    }

    public void WriteTxResult(ParseResult result, string hash, long height, uint code, string codespace, string log, long gasWanted, long gasUsed, JsonNode? events)
    {
        if (result.Json(g))
        {
            context.WriteJson(new JsonObject
            {
                ["height"] = height.ToString(CultureInfo.InvariantCulture),
                ["txhash"] = hash,
                ["code"] = code,
                ["codespace"] = codespace,
                ["raw_log"] = log,
                ["gas_wanted"] = gasWanted.ToString(CultureInfo.InvariantCulture),
                ["gas_used"] = gasUsed.ToString(CultureInfo.InvariantCulture),
                ["events"] = events ?? new JsonArray(),
            });
            return;
        }
        context.Out.WriteLine($"code: {code}");
        if (codespace.Length > 0)
            context.Out.WriteLine($"codespace: {codespace}");
        context.Out.WriteLine($"height: {height}");
        context.Out.WriteLine($"txhash: {hash}");
        if (gasWanted > 0 || gasUsed > 0)
            context.Out.WriteLine($"gas: {gasUsed} used of {gasWanted}");
        context.Out.WriteLine($"raw_log: {log}");
    }
}
