using DePinChain.Cli.Toml;

namespace DePinChain.Cli.Home;

/// <summary>
/// The config.toml settings we set for CometBFT v0.38; every key left out takes CometBFT's default.
/// Durations are Go duration strings ("1s", "500ms").
/// </summary>
public sealed record CometConfig
{
    public required string Moniker { get; init; }
    public string ProxyApp { get; init; } = "tcp://127.0.0.1:26658";
    public string AbciTransport { get; init; } = "socket";
    public string RpcListen { get; init; } = "tcp://127.0.0.1:26657";
    public string P2pListen { get; init; } = "tcp://0.0.0.0:26656";
    public string PersistentPeers { get; init; } = "";
    public bool AddrBookStrict { get; init; } = true;
    public bool AllowDuplicateIp { get; init; }
    public string TimeoutPropose { get; init; } = "3s";
    public string TimeoutCommit { get; init; } = "1s";
    public string TxIndexer { get; init; } = "kv";

    public string ToToml() => new TomlWriter()
        .Comment("CometBFT v0.38 configuration written by depinchaind; keys not listed take CometBFT's defaults.")
        .Set("proxy_app", ProxyApp)
        .Set("moniker", Moniker)
        .Set("abci", AbciTransport)
        .Table("rpc")
        .Set("laddr", RpcListen)
        .Table("p2p")
        .Set("laddr", P2pListen)
        .Set("persistent_peers", PersistentPeers)
        .Set("addr_book_strict", AddrBookStrict)
        .Set("allow_duplicate_ip", AllowDuplicateIp)
        .Table("consensus")
        .Set("timeout_propose", TimeoutPropose)
        .Set("timeout_commit", TimeoutCommit)
        .Table("tx_index")
        .Set("indexer", TxIndexer)
        .ToString();

    public static CometConfig FromToml(string text)
    {
        TomlDocument toml = TomlReader.Parse(text);
        return new CometConfig
        {
            Moniker = toml.GetString("", "moniker"),
            ProxyApp = toml.GetString("", "proxy_app"),
            AbciTransport = toml.GetString("", "abci"),
            RpcListen = toml.GetString("rpc", "laddr"),
            P2pListen = toml.GetString("p2p", "laddr"),
            PersistentPeers = toml.GetString("p2p", "persistent_peers"),
            AddrBookStrict = toml.GetBoolean("p2p", "addr_book_strict"),
            AllowDuplicateIp = toml.GetBoolean("p2p", "allow_duplicate_ip"),
            TimeoutPropose = toml.GetString("consensus", "timeout_propose"),
            TimeoutCommit = toml.GetString("consensus", "timeout_commit"),
            TxIndexer = toml.GetString("tx_index", "indexer"),
        };
    }
}
