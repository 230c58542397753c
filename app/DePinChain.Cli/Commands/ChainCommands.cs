using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DePinChain.Cli.AutoCli;
using DePinChain.Cli.Rpc;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using static DePinChain.Cli.Commands.CommandHelpers;

namespace DePinChain.Cli.Commands;

/// <summary>
/// tx, query and status: talk to a node through CometBFT's RPC (--node). Every module's tx and query commands are made
/// from its proto services (<see cref="ServiceCommands"/>); here are the ones that belong to no module.
/// </summary>
internal static class ChainCommands
{
    public const string DefaultNode = "http://127.0.0.1:26657";

    public static IEnumerable<Command> Create(GlobalOptions g, CliContext context)
    {
        var node = new Option<string>("--node") { Description = "CometBFT RPC of a node", DefaultValueFactory = _ => DefaultNode, Recursive = true };
        var tx = new Command("tx", "Build, sign and broadcast transactions") { node };
        var query = new Command("query", "Query chain state through a node") { node };
        query.Aliases.Add("q");
        var pipeline = new TxPipeline(g, context, node, new TxFlags());

        var height = new Option<long>("--height") { Description = "Query state at this height (0 = latest)", Recursive = true };
        height.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long>() < 0)
                r.AddError($"--height must not be negative, got {r.GetValueOrDefault<long>()}");
        });
        query.Options.Add(height);

        var services = new ServiceCommands(g, context, pipeline, height);
        foreach (var group in services.TxCommands()) tx.Subcommands.Add(group);
        tx.Subcommands.Add(Sign(g, context, pipeline));
        tx.Subcommands.Add(Broadcast(pipeline));
        foreach (var group in services.QueryCommands()) query.Subcommands.Add(group);
        query.Subcommands.Add(QueryTx(pipeline));
        query.Subcommands.Add(QueryBlock(g, context, pipeline));

        var status = new Command("status", "Show the node's chain ID, latest height and app hash") { node };
        status.SetAction(async (result, cancel) =>
        {
            JsonNode info = await pipeline.Client(result).StatusAsync(cancel);
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

    // ------------------------------------------------------------------ tx sign / broadcast

    private static Command Sign(GlobalOptions g, CliContext context, TxPipeline pipeline)
    {
        var flags = pipeline.Flags;
        var file = Arg("file", "Unsigned tx JSON (from --generate-only)");
        var from = new Option<string>("--from") { Description = "Key that signs", Required = true };
        var offline = new Option<bool>("--offline") { Description = "Do not contact a node (needs --chain-id, --account-number, --sequence)" };
        var sign = new Command("sign", "Sign a tx JSON file and print the signed tx JSON") { file, from, offline, flags.ChainId, flags.AccountNumber, flags.Sequence };
        sign.SetAction(async (result, cancel) =>
        {
            Tx tx = TxJson.ParseTx(ReadFile(result.GetValue(file)!), result.GetValue(file)!);
            if (tx.Body is null || tx.Body.Messages.Count == 0)
                throw new CliUsageException("the tx has no messages");
            var keyring = result.OpenKeyring(g, context);
            var key = keyring.Get(result.GetValue(from)!);
            var signer = new App.TxSigner(keyring.GetPrivateKey(key.Name));
            ulong gas = tx.AuthInfo?.Fee?.GasLimit is > 0 and var limit ? limit : TxFlags.DefaultGas;
            var fee = tx.AuthInfo?.Fee ?? new Fee { GasLimit = gas };
            fee.GasLimit = gas;
            CometRpcClient? client = result.GetValue(offline) ? null : pipeline.Client(result);
            string chainId = await pipeline.ChainIdAsync(result, client, cancel);
            var (number, sequence) = await pipeline.AccountAsync(result, client, TxPipeline.Bech32(signer), cancel);
            Tx signed = TxPipeline.SignWith(signer, tx.Body, fee, chainId, number, sequence);
            context.Out.WriteLine(TxJson.Format(signed));
            return 0;
        });
        return sign;
    }

    private static Command Broadcast(TxPipeline pipeline)
    {
        var file = Arg("file", "Signed tx JSON (from tx sign)");
        var broadcast = new Command("broadcast", "Broadcast a signed tx JSON file") { file, pipeline.Flags.BroadcastMode };
        broadcast.SetAction(async (result, cancel) =>
        {
            Tx tx = TxJson.ParseTx(ReadFile(result.GetValue(file)!), result.GetValue(file)!);
            if (tx.Signatures.Count == 0)
                throw new CliException($"{result.GetValue(file)}: the tx is not signed (run tx sign first)");
            return await pipeline.BroadcastAsync(result, pipeline.Client(result), TxJson.ToRawBytes(tx), cancel);
        });
        return broadcast;
    }

    // ------------------------------------------------------------------ queries

    private static Command QueryTx(TxPipeline pipeline)
    {
        var hash = Arg("hash", "Tx hash (64 hex digits)");
        var command = new Command("tx", "Show an included tx's result") { hash };
        command.SetAction(async (result, cancel) =>
        {
            string text = result.GetValue(hash)!;
            if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                text = text[2..];
            if (text.Length != 64 || !text.All(char.IsAsciiHexDigit))
                throw new CliUsageException($"hash: '{result.GetValue(hash)}' is not 64 hex digits");
            TxResult? included = await pipeline.Client(result).TxAsync(text.ToUpperInvariant(), cancel)
                ?? throw new CliException($"tx {text.ToUpperInvariant()} not found (not yet in a block, or the node does not index txs)");
            pipeline.WriteTxResult(result, included.Hash, included.Height, included.Code, included.Codespace, included.Log, included.GasWanted, included.GasUsed, included.Events);
            return 0;
        });
        return command;
    }

    private static Command QueryBlock(GlobalOptions g, CliContext context, TxPipeline pipeline)
    {
        var height = new Argument<string?>("height") { Description = "Block height (default: latest)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("block", "Show a block") { height };
        command.SetAction(async (result, cancel) =>
        {
            long? h = null;
            if (result.GetValue(height) is { } text)
            {
                if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed) || parsed <= 0)
                    throw new CliUsageException($"height: '{text}' is not a positive block height");
                h = parsed;
            }
            JsonNode block = await pipeline.Client(result).BlockAsync(h, cancel);
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

    private static string ReadFile(string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new CliUsageException($"{path}: no such file");
}
