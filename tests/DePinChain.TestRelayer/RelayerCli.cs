namespace DePinChain.TestRelayer;

/// <summary>The console entry localnet/ibc.sh uses: <c>link</c> (clients, connection, transfer channel; writes the
/// path's ids) and <c>start</c> (relays packets and acks both ways until stopped).</summary>
public static class RelayerCli
{
    public const string Usage = "usage: DePinChain.TestRelayer link|start --a-rpc URL --b-rpc URL --a-mnemonic-file FILE --b-mnemonic-file FILE [--path-file FILE]";

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        try
        {
            if (args.Length == 0 || args[0] is not ("link" or "start")) throw new RelayerException(Usage);
            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 1; i < args.Length; i += 2)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length) throw new RelayerException($"bad option '{args[i]}'; {Usage}");
                options[args[i][2..]] = args[i + 1];
            }
            string Need(string name) => options.TryGetValue(name, out var v) ? v : throw new RelayerException($"missing --{name}; {Usage}");
            var a = new RelayChain(Need("a-rpc"), RelayChain.SignerFromMnemonic(File.ReadAllText(Need("a-mnemonic-file"))));
            var b = new RelayChain(Need("b-rpc"), RelayChain.SignerFromMnemonic(File.ReadAllText(Need("b-mnemonic-file"))));
            string pathFile = options.GetValueOrDefault("path-file") ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(Need("a-mnemonic-file")))!, "path.txt");
            var relayer = new Relayer(a, b, line => Console.WriteLine(line));
            if (args[0] == "link")
            {
                await relayer.LinkAsync(cancellationToken).ConfigureAwait(false);
                File.WriteAllText(pathFile, $"{relayer.A.ClientId} {relayer.A.ConnectionId} {relayer.A.ChannelId} {relayer.B.ClientId} {relayer.B.ConnectionId} {relayer.B.ChannelId}\n");
                Console.WriteLine($"linked: {a.ChainId} {relayer.A.PortId}/{relayer.A.ChannelId} <-> {b.ChainId} {relayer.B.PortId}/{relayer.B.ChannelId} (ids in {pathFile})");
                return 0;
            }
            string[] ids = File.Exists(pathFile) ? File.ReadAllText(pathFile).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
            if (ids.Length != 6) throw new RelayerException($"no linked path in {pathFile}: run link first");
            (relayer.A.ClientId, relayer.A.ConnectionId, relayer.A.ChannelId) = (ids[0], ids[1], ids[2]);
            (relayer.B.ClientId, relayer.B.ConnectionId, relayer.B.ChannelId) = (ids[3], ids[4], ids[5]);
            await a.InitAsync(cancellationToken).ConfigureAwait(false);
            await b.InitAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"relaying {a.ChainId} {relayer.A.ChannelId} <-> {b.ChainId} {relayer.B.ChannelId}");
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await relayer.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (RelayerException e)
                {
                    Console.Error.WriteLine($"relay pass failed: {e.Message}");
                }
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            }
            return 0;
        }
        catch (RelayerException e)
        {
            Console.Error.WriteLine($"relayer: {e.Message}");
            return 1;
        }
    }
}
