using System.CommandLine;
using DePinChain.Cli.Rpc;
using Google.Protobuf;

namespace DePinChain.Cli.AutoCli;

/// <summary>
/// How one rpc of a module's service looks on the command line where the defaults (command = the method in kebab
/// case, every request field a flag, the signer from --from) are not what people type. The Cosmos SDK's AutoCLI
/// options play this part; the names, types and help still come from the proto descriptors.
/// </summary>
public sealed record MethodOptions
{
    /// <summary>The command name (default: the method name in kebab case).</summary>
    public string? Use { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Request fields taken as positional arguments, in order (a repeated field last takes the rest). A signer
    /// field listed here replaces --from (as in `tx bank send FROM TO AMOUNT`).</summary>
    public IReadOnlyList<string> Positional { get; init; } = [];

    /// <summary>Request fields left off the command line (filled by <see cref="Complete"/> or left at their default).</summary>
    public IReadOnlyList<string> Hidden { get; init; } = [];

    /// <summary>Options of the command beyond the request's fields, read by <see cref="Build"/> or <see cref="Complete"/>.</summary>
    public IReadOnlyList<Option> ExtraOptions { get; init; } = [];

    /// <summary>Positional arguments beyond the request's fields (after them), read by <see cref="Build"/>.</summary>
    public IReadOnlyList<Argument> ExtraArguments { get; init; } = [];

    /// <summary>Builds the request from the command line instead of the field mapping (after the mapped fields are
    /// parsed into the message passed in); used where files or several keys make the message.</summary>
    public Func<MethodCall, IMessage, IMessage>? Build { get; init; }

    /// <summary>More messages for the same tx, after the request (e.g. withdraw-rewards --commission).</summary>
    public Func<MethodCall, IMessage, IReadOnlyList<IMessage>>? Also { get; init; }

    /// <summary>Fills what needs the node (e.g. the next location nonce) once the request is otherwise complete.</summary>
    public Func<MethodCall, IMessage, CancellationToken, Task>? Complete { get; init; }

    /// <summary>A text printer for the query's response (default: proto JSON).</summary>
    public Action<MethodCall, IMessage>? PrintText { get; init; }
}

/// <summary>What a command's builder and printer may use: the parsed command line, the output, the node, key lookups.</summary>
public sealed class MethodCall(ParseResult result, Commands.CliContext context, Func<CometRpcClient> client, KeyResolver keys, string? signer,
    Func<CancellationToken, Task<string>>? chainId = null)
{
    public ParseResult Result { get; } = result;

    public Commands.CliContext Context { get; } = context;

    public TextWriter Out => Context.Out;

    /// <summary>The node's RPC client (created when first asked, so offline commands never need a node).</summary>
    public CometRpcClient Client => _client ??= client();

    private CometRpcClient? _client;

    public KeyResolver Keys { get; } = keys;

    /// <summary>The chain id: --chain-id, else asked from the node (tx commands only).</summary>
    public Task<string> ChainIdAsync(CancellationToken cancel) =>
        (chainId ?? throw new InvalidOperationException("a query has no chain id flag"))(cancel);

    /// <summary>The signer's address for tx commands; null for queries.</summary>
    public string? Signer { get; } = signer;
}
