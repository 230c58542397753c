using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Cli.Genesis;
using Coins = DePinChain.Sdk.Coins;
using DePinChain.Cli.Rpc;
using DePinChain.Crypto;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.Signing.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using Google.Protobuf;
using Any = Google.Protobuf.WellKnownTypes.Any;
using static DePinChain.Cli.Commands.CommandHelpers;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;

namespace DePinChain.Cli.Commands;

/// <summary>tx, query and status: talk to a node through CometBFT's RPC (--node).</summary>
internal static class ChainCommands
{
    public const string DefaultNode = "http://127.0.0.1:26657";
    private const ulong DefaultGas = 200_000;
    private const ulong SimulationGasLimit = 3_000_000;

    public static IEnumerable<Command> Create(GlobalOptions g, CliContext context)
    {
        var node = new Option<string>("--node") { Description = "CometBFT RPC of a node", DefaultValueFactory = _ => DefaultNode, Recursive = true };
        var tx = new Command("tx", "Build, sign and broadcast transactions") { node };
        var query = new Command("query", "Query chain state through a node") { node };
        query.Aliases.Add("q");
        var txFlags = new TxFlags();

        tx.Subcommands.Add(new Command("bank", "Bank module transactions") { BankSend(g, context, node, txFlags) });
        tx.Subcommands.Add(Sign(g, context, node, txFlags));
        tx.Subcommands.Add(Broadcast(g, context, node, txFlags));

        var height = new Option<long>("--height") { Description = "Query state at this height (0 = latest)", Recursive = true };
        height.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long>() < 0)
                r.AddError($"--height must not be negative, got {r.GetValueOrDefault<long>()}");
        });
        query.Options.Add(height);
        query.Subcommands.Add(new Command("auth", "Auth module queries") { QueryAccount(g, context, node, height) });
        query.Subcommands.Add(new Command("bank", "Bank module queries") { QueryBalances(g, context, node, height) });
        query.Subcommands.Add(QueryTx(g, context, node));
        query.Subcommands.Add(QueryBlock(g, context, node));

        var status = new Command("status", "Show the node's chain ID, latest height and app hash") { node };
        status.SetAction(async (result, cancel) =>
        {
            JsonNode info = await Client(result, node, context).StatusAsync(cancel);
            if (result.Json(g))
                context.WriteJson(info);
            else
            {
                var sync = info["sync_info"];
                context.Out.WriteLine($"chain_id: {(string?)info["node_info"]?["network"]}");
                context.Out.WriteLine($"moniker: {(string?)info["node_info"]?["moniker"]}");
                context.Out.WriteLine($"latest_block_height: {(string?)sync?["latest_block_height"]}");
                context.Out.WriteLine($"latest_app_hash: {(string?)sync?["latest_app_hash"]}");
                context.Out.WriteLine($"catching_up: {(bool?)sync?["catching_up"]}");
            }
            return 0;
        });
        return [tx, query, status];
    }

    private sealed class TxFlags
    {
        public Option<string?> ChainId { get; } = new("--chain-id") { Description = "Chain ID (default: asked from the node)" };
        public Option<string?> Fees { get; } = new("--fees") { Description = "Fee to pay, like 500udpin" };
        public Option<string?> GasPrices { get; } = new("--gas-prices") { Description = "Gas price, like 0.025udpin (fee = price x gas, rounded up)" };
        public Option<string> Gas { get; } = new("--gas") { Description = "Gas limit: a number, or auto to simulate first", DefaultValueFactory = _ => DefaultGas.ToString(CultureInfo.InvariantCulture) };
        public Option<string> GasAdjustment { get; } = new("--gas-adjustment") { Description = "Factor applied to the simulated gas with --gas auto", DefaultValueFactory = _ => "1.5" };
        public Option<bool> GenerateOnly { get; } = new("--generate-only") { Description = "Print the unsigned tx as JSON; do not sign or broadcast" };
        public Option<bool> Yes { get; } = new("--yes", "-y") { Description = "Do not ask for confirmation" };
        public Option<string> BroadcastMode { get; } = new("--broadcast-mode") { Description = "sync: return after CheckTx; commit: wait until the tx is in a block", DefaultValueFactory = _ => "commit" };
        public Option<string> Memo { get; } = new("--note", "--memo") { Description = "Memo", DefaultValueFactory = _ => "" };
        public Option<ulong?> AccountNumber { get; } = new("--account-number") { Description = "Account number (offline signing)" };
        public Option<ulong?> Sequence { get; } = new("--sequence") { Description = "Account sequence (offline signing)" };

        public TxFlags() => BroadcastMode.AcceptOnlyFromAmong("sync", "commit");

        public void AddSigningTo(Command command)
        {
            foreach (Option option in new Option[] { ChainId, Fees, GasPrices, Gas, GasAdjustment, Yes, BroadcastMode, AccountNumber, Sequence })
                command.Options.Add(option);
        }
    }

    private static CometRpcClient Client(ParseResult result, Option<string> node, CliContext context) =>
        new(result.GetValue(node)!, context.Http ?? SharedHttp.Value);

    private static readonly Lazy<HttpClient> SharedHttp = new(() => new HttpClient { Timeout = TimeSpan.FromSeconds(15) });

    // ------------------------------------------------------------------ tx bank send

    private static Command BankSend(GlobalOptions g, CliContext context, Option<string> node, TxFlags flags)
    {
        var from = Arg("from", "Sender: a key name or address in the keyring");
        var to = Arg("to", "Recipient: a depin1… address");
        var amount = Arg("amount", "Coins to send, like 1000udpin");
        var send = new Command("send", "Send coins from one account to another") { from, to, amount };
        flags.AddSigningTo(send);
        send.Options.Add(flags.GenerateOnly);
        send.Options.Add(flags.Memo);
        send.SetAction(async (result, cancel) =>
        {
            string toAddress = RequireAddress(result.GetValue(to)!, "to");
            var coins = ParseCoins(result.GetValue(amount)!, "amount");
            string fromText = result.GetValue(from)!;

            if (result.GetValue(flags.GenerateOnly))
            {
                string fromAddress = CosmosAddress.TryParse(fromText, GenesisDocument.AccountPrefix, out _)
                    ? fromText
                    : result.OpenKeyring(g, context).Get(fromText).Address;
                var unsigned = new Tx { Body = Body(fromAddress, toAddress, coins, result.GetValue(flags.Memo)!), AuthInfo = new AuthInfo { Fee = FeeFrom(result, flags, GasLimitOrDefault(result, flags)) } };
                context.Out.WriteLine(TxJson.Format(unsigned));
                return 0;
            }

            var keyring = result.OpenKeyring(g, context);
            var key = keyring.Get(fromText);
            var body = Body(key.Address, toAddress, coins, result.GetValue(flags.Memo)!);
            var signer = new TxSigner(keyring.GetPrivateKey(key.Name));
            var client = Client(result, node, context);
            var signed = await SignAsync(result, flags, client, signer, body, baseFee: null, cancel);
            if (!Confirm(result, flags, context, signed))
                throw new CliException("aborted: tx not signed or broadcast");
            return await BroadcastAsync(result, g, flags, context, client, TxJson.ToRawBytes(signed), cancel);
        });
        return send;
    }

    private static TxBody Body(string from, string to, Coins coins, string memo)
    {
        var msg = new MsgSend { FromAddress = from, ToAddress = to };
        msg.Amount.AddRange(coins.ToProto());
        var body = new TxBody { Memo = memo };
        body.Messages.Add(Any.Pack(msg, ""));
        return body;
    }

    // ------------------------------------------------------------------ tx sign / broadcast

    private static Command Sign(GlobalOptions g, CliContext context, Option<string> node, TxFlags flags)
    {
        var file = Arg("file", "Unsigned tx JSON (from --generate-only)");
        var from = new Option<string>("--from") { Description = "Key that signs", Required = true };
        var offline = new Option<bool>("--offline") { Description = "Do not contact a node (needs --chain-id, --account-number, --sequence)" };
        var sign = new Command("sign", "Sign a tx JSON file and print the signed tx JSON") { file, from, offline, flags.ChainId, flags.AccountNumber, flags.Sequence };
        sign.SetAction(async (result, cancel) =>
        {
            Tx tx = TxJson.ParseTx(ReadFile(result.GetValue(file)!), result.GetValue(file)!);
            if (tx.Body is null || tx.Body.Messages.Count == 0)
                throw new CliException("the tx has no messages");
            var keyring = result.OpenKeyring(g, context);
            var key = keyring.Get(result.GetValue(from)!);
            var signer = new TxSigner(keyring.GetPrivateKey(key.Name));
            ulong gas = tx.AuthInfo?.Fee?.GasLimit is > 0 and var limit ? limit : DefaultGas;
            var fee = tx.AuthInfo?.Fee ?? new Fee { GasLimit = gas };
            fee.GasLimit = gas;
            CometRpcClient? client = result.GetValue(offline) ? null : Client(result, node, context);
            string chainId = await ChainIdAsync(result, flags, client, cancel);
            var (number, sequence) = await AccountAsync(result, flags, client, Bech32(signer), cancel);
            Tx signed = SignWith(signer, tx.Body, fee, chainId, number, sequence);
            context.Out.WriteLine(TxJson.Format(signed));
            return 0;
        });
        return sign;
    }

    private static Command Broadcast(GlobalOptions g, CliContext context, Option<string> node, TxFlags flags)
    {
        var file = Arg("file", "Signed tx JSON (from tx sign)");
        var broadcast = new Command("broadcast", "Broadcast a signed tx JSON file") { file, flags.BroadcastMode };
        broadcast.SetAction(async (result, cancel) =>
        {
            Tx tx = TxJson.ParseTx(ReadFile(result.GetValue(file)!), result.GetValue(file)!);
            if (tx.Signatures.Count == 0)
                throw new CliException($"{result.GetValue(file)}: the tx is not signed (run tx sign first)");
            return await BroadcastAsync(result, g, flags, context, Client(result, node, context), TxJson.ToRawBytes(tx), cancel);
        });
        return broadcast;
    }

    // ------------------------------------------------------------------ signing

    private static async Task<Tx> SignAsync(ParseResult result, TxFlags flags, CometRpcClient client, TxSigner signer, TxBody body, Fee? baseFee, CancellationToken cancel)
    {
        string chainId = await ChainIdAsync(result, flags, client, cancel);
        var (number, sequence) = await AccountAsync(result, flags, client, Bech32(signer), cancel);
        string gasText = result.GetValue(flags.Gas)!;
        ulong gas;
        if (gasText == "auto")
        {
            // The probe pays the fee a default-gas tx would (so fee deduction is simulated too) under a roomy limit.
            var probeFee = FeeFrom(result, flags, DefaultGas);
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
        return SignWith(signer, body, baseFee ?? FeeFrom(result, flags, gas), chainId, number, sequence);
    }

    private static Tx SignWith(TxSigner signer, TxBody body, Fee fee, string chainId, ulong accountNumber, ulong sequence)
    {
        var authInfo = new AuthInfo { Fee = fee };
        authInfo.SignerInfos.Add(new SignerInfo
        {
            PublicKey = signer.PublicKeyAny,
            ModeInfo = new ModeInfo { Single = new ModeInfo.Types.Single { Mode = SignMode.Direct } },
            Sequence = sequence,
        });
        ByteString bodyBytes = body.ToByteString();
        ByteString authInfoBytes = authInfo.ToByteString();
        byte[] hash = Hashes.Sha256(TxBuilder.SignBytes(bodyBytes, authInfoBytes, chainId, accountNumber));
        var tx = new Tx { Body = body, AuthInfo = authInfo };
        tx.Signatures.Add(ByteString.CopyFrom(Secp256k1.Sign(signer.PrivateKey, hash)));
        return tx;
    }

    private static string Bech32(TxSigner signer) => CosmosAddress.ToBech32(signer.Address, GenesisDocument.AccountPrefix);

    private static async Task<string> ChainIdAsync(ParseResult result, TxFlags flags, CometRpcClient? client, CancellationToken cancel)
    {
        if (result.GetValue(flags.ChainId) is { Length: > 0 } chainId)
            return chainId;
        if (client is null)
            throw new CliException("--chain-id is required offline");
        JsonNode status = await client.StatusAsync(cancel);
        return (string?)status["node_info"]?["network"] ?? throw new CliException($"node {client.Node} did not report its chain ID; pass --chain-id");
    }

    private static async Task<(ulong Number, ulong Sequence)> AccountAsync(ParseResult result, TxFlags flags, CometRpcClient? client, string address, CancellationToken cancel)
    {
        ulong? number = result.GetValue(flags.AccountNumber);
        ulong? sequence = result.GetValue(flags.Sequence);
        if (number is { } n && sequence is { } s)
            return (n, s);
        if (client is null)
            throw new CliException("--account-number and --sequence are required offline");
        BaseAccount account = await QueryAccountAsync(client, address, 0, cancel);
        return (number ?? account.AccountNumber, sequence ?? account.Sequence);
    }

    internal static async Task<BaseAccount> QueryAccountAsync(CometRpcClient client, string address, long height, CancellationToken cancel)
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

    private static Fee FeeFrom(ParseResult result, TxFlags flags, ulong gas)
    {
        string? fees = result.GetValue(flags.Fees);
        string? prices = result.GetValue(flags.GasPrices);
        if (fees is not null && prices is not null)
            throw new CliException("give --fees or --gas-prices, not both");
        var fee = new Fee { GasLimit = gas };
        if (fees is not null)
            fee.Amount.AddRange(ParseCoins(fees, "--fees", allowEmpty: true).ToProto());
        else if (prices is not null)
            fee.Amount.AddRange(PriceFee(prices, gas));
        return fee;
    }

    private static ulong GasLimitOrDefault(ParseResult result, TxFlags flags)
    {
        string text = result.GetValue(flags.Gas)!;
        return text == "auto" ? DefaultGas : ParseGas(text);
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
            throw new CliException($"--gas-prices: {e.Message}");
        }
        // The same exact rounding (up) the app's mempool check uses, so the fee always passes it.
        return parsed
            .Select(p => new ProtoCoin { Denom = p.Denom, Amount = p.RequiredFee(gas).ToString(CultureInfo.InvariantCulture) })
            .Where(c => c.Amount != "0")
            .OrderBy(c => c.Denom, StringComparer.Ordinal);
    }

    private static ulong ParseGas(string text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong gas) && gas > 0
            ? gas
            : throw new CliException($"--gas: '{text}' is neither auto nor a positive number");

    private static decimal ParseAdjustment(string text) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value) && value > 0 && value <= 100
            ? value
            : throw new CliException($"--gas-adjustment: '{text}' is not a positive number");

    private static bool Confirm(ParseResult result, TxFlags flags, CliContext context, Tx tx)
    {
        if (result.GetValue(flags.Yes))
            return true;
        context.Error.WriteLine(TxJson.Format(tx));
        return context.ReadLine("a confirmation (or pass --yes)", "confirm transaction before signing and broadcasting [y/N]: ").Trim().ToLowerInvariant() is "y" or "yes";
    }

    // ------------------------------------------------------------------ broadcast and wait

    private static async Task<int> BroadcastAsync(ParseResult result, GlobalOptions g, TxFlags flags, CliContext context, CometRpcClient client, byte[] raw, CancellationToken cancel)
    {
        BroadcastResult check = await client.BroadcastTxSyncAsync(raw, cancel);
        string hash = Convert.ToHexString(Hashes.Sha256(raw));
        if (check.Code != 0)
        {
            WriteTxResult(context, result.Json(g), hash, 0, check.Code, check.Codespace, check.Log, 0, 0, null);
            return OperatorCommands.Failure;
        }
        if (result.GetValue(flags.BroadcastMode) == "sync")
        {
            WriteTxResult(context, result.Json(g), hash, 0, 0, "", check.Log, 0, 0, null);
            return 0;
        }
        DateTime deadline = DateTime.UtcNow + context.InclusionTimeout;
        while (true)
        {
            TxResult? included = await client.TxAsync(hash, cancel);
            if (included is not null)
            {
                WriteTxResult(context, result.Json(g), hash, included.Height, included.Code, included.Codespace, included.Log, included.GasWanted, included.GasUsed, included.Events);
                return included.Code == 0 ? 0 : OperatorCommands.Failure;
            }
            if (DateTime.UtcNow >= deadline)
                throw new CliException($"tx {hash} passed CheckTx but was not in a block after {context.InclusionTimeout.TotalSeconds:0}s; check later with query tx {hash}");
            await Task.Delay(context.PollInterval, cancel);
        }
    }

    private static void WriteTxResult(CliContext context, bool json, string hash, long height, uint code, string codespace, string log, long gasWanted, long gasUsed, JsonNode? events)
    {
        if (json)
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

    // ------------------------------------------------------------------ queries

    private static Command QueryAccount(GlobalOptions g, CliContext context, Option<string> node, Option<long> height)
    {
        var address = Arg("address", "A depin1… address");
        var command = new Command("account", "Show an account's number, sequence and public key") { address };
        command.SetAction(async (result, cancel) =>
        {
            string who = RequireAddress(result.GetValue(address)!, "address");
            BaseAccount account = await QueryAccountAsync(Client(result, node, context), who, result.GetValue(height), cancel);
            if (result.Json(g))
                context.Out.WriteLine(TxJson.Format(new QueryAccountResponse { Account = Any.Pack(account, "") }));
            else
            {
                context.Out.WriteLine($"address: {account.Address}");
                context.Out.WriteLine($"account_number: {account.AccountNumber}");
                context.Out.WriteLine($"sequence: {account.Sequence}");
                context.Out.WriteLine($"pub_key: {(account.PubKey is null ? "(none yet)" : TxJson.Format(account.PubKey))}");
            }
            return 0;
        });
        return command;
    }

    private static Command QueryBalances(GlobalOptions g, CliContext context, Option<string> node, Option<long> height)
    {
        var address = Arg("address", "A depin1… address");
        var command = new Command("balances", "Show an account's balances") { address };
        command.SetAction(async (result, cancel) =>
        {
            string who = RequireAddress(result.GetValue(address)!, "address");
            var client = Client(result, node, context);
            var request = new QueryAllBalancesRequest { Address = who };
            AbciQueryResult answer = await client.AbciQueryAsync("/cosmos.bank.v1beta1.Query/AllBalances", request.ToByteArray(), result.GetValue(height), cancel);
            if (answer.Code != 0)
                throw new CliException($"balance query failed: code {answer.Code} ({answer.Codespace}): {answer.Log}");
            var response = QueryAllBalancesResponse.Parser.ParseFrom(answer.Value);
            if (result.Json(g))
                context.Out.WriteLine(TxJson.Format(response));
            else if (response.Balances.Count == 0)
                context.Out.WriteLine("(no balances)");
            else
                foreach (ProtoCoin coin in response.Balances)
                    context.Out.WriteLine(coin.Amount + coin.Denom);
            return 0;
        });
        return command;
    }

    private static Command QueryTx(GlobalOptions g, CliContext context, Option<string> node)
    {
        var hash = Arg("hash", "Tx hash (64 hex digits)");
        var command = new Command("tx", "Show an included tx's result") { hash };
        command.SetAction(async (result, cancel) =>
        {
            string text = result.GetValue(hash)!;
            if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                text = text[2..];
            if (text.Length != 64 || !text.All(char.IsAsciiHexDigit))
                throw new CliException($"hash: '{result.GetValue(hash)}' is not 64 hex digits");
            TxResult? included = await Client(result, node, context).TxAsync(text.ToUpperInvariant(), cancel)
                ?? throw new CliException($"tx {text.ToUpperInvariant()} not found (not yet in a block, or the node does not index txs)");
            WriteTxResult(context, result.Json(g), included.Hash, included.Height, included.Code, included.Codespace, included.Log, included.GasWanted, included.GasUsed, included.Events);
            return 0;
        });
        return command;
    }

    private static Command QueryBlock(GlobalOptions g, CliContext context, Option<string> node)
    {
        var height = new Argument<long?>("height") { Description = "Block height (default: latest)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("block", "Show a block") { height };
        command.SetAction(async (result, cancel) =>
        {
            long? h = result.GetValue(height);
            if (h is <= 0)
                throw new CliException($"height: must be positive, got {h}");
            JsonNode block = await Client(result, node, context).BlockAsync(h, cancel);
            if (result.Json(g))
                context.WriteJson(block);
            else
            {
                var header = block["block"]?["header"];
                context.Out.WriteLine($"height: {(string?)header?["height"]}");
                context.Out.WriteLine($"time: {(string?)header?["time"]}");
                context.Out.WriteLine($"hash: {(string?)block["block_id"]?["hash"]}");
                context.Out.WriteLine($"app_hash: {(string?)header?["app_hash"]}");
                context.Out.WriteLine($"proposer: {(string?)header?["proposer_address"]}");
                context.Out.WriteLine($"txs: {(block["block"]?["data"]?["txs"] as JsonArray)?.Count ?? 0}");
            }
            return 0;
        });
        return command;
    }

    // ------------------------------------------------------------------ argument parsing

    private static string RequireAddress(string text, string what) =>
        CosmosAddress.TryParse(text, GenesisDocument.AccountPrefix, out _)
            ? text
            : throw new CliException($"{what}: '{text}' is not a valid {GenesisDocument.AccountPrefix}1… address");

    private static string ReadFile(string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new CliException($"{path}: no such file");
}
