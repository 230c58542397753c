using DePinChain.Api.Comet;
using DePinChain.Cli.Home;
using DePinChain.Cli.Toml;

namespace DePinChain.Node;

/// <summary>
/// Where the gRPC server reaches CometBFT's RPC (for BroadcastTx, GetTx, GetTxsEvent and the tendermint service): the
/// home's config.toml <c>[rpc] laddr</c>, CometBFT's side of the pair (a 0.0.0.0 listener is dialled on loopback), or
/// CometBFT's default when the home has no config.toml or the key is left out.
/// </summary>
public static class CometRpcAddress
{
    /// <summary>CometBFT's default <c>[rpc] laddr</c>.</summary>
    public const string CometDefault = "tcp://127.0.0.1:26657";

    /// <summary>The address, and a reason when it is not usable (then null: those methods answer Unavailable).</summary>
    public static (string? Address, string? Problem) Read(string home)
    {
        string path = new NodeHome(home).ConfigToml;
        if (!File.Exists(path)) return (CometDefault, null);
        try
        {
            TomlDocument toml = TomlReader.Parse(File.ReadAllText(path), path);
            if (!toml.TryGet("rpc", "laddr", out object value)) return (CometDefault, null);
            if (value is not string laddr) return (null, $"{path}: [rpc] laddr must be a quoted string");
            return CometRpc.ParseNode(laddr) is null
                ? (null, $"{path}: [rpc] laddr \"{laddr}\" is not tcp://host:port (the gRPC server dials only TCP)")
                : (laddr, null);
        }
        catch (TomlException e)
        {
            return (null, e.Message);
        }
    }
}
