using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Cli.Commands;
using DePinChain.Cli.Genesis;
using DePinChain.Cli.Home;
using DePinChain.Node.Export;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Store;
using DePinChain.Store.Backend;
using DePinChain.Store.Backend.LevelDb;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Node.Tests;

public sealed class ExportTests : IDisposable
{
    private const string ChainId = "export-test";
    private static readonly TxSigner Alice = TxSigner.FromSeed("alice");
    private static readonly TxSigner Bob = TxSigner.FromSeed("bob");
    private static readonly TxSigner Carol = TxSigner.FromSeed("carol");
    private static readonly TxSigner[] Everyone = [Alice, Bob, Carol];

    private readonly string _home = Path.Combine(Path.GetTempPath(), "depin-export-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_home)) Directory.Delete(_home, recursive: true);
    }

    /// <summary>A chain driven in-process: genesis, then blocks of signed sends, each block committed.</summary>
    private sealed class Chain(ICommitMultiStore store)
    {
        public DePinApp App { get; } = new(store);

        public long Height => App.Info(new RequestInfo()).LastBlockHeight;

        public void Init(string appState)
        {
            App.InitChain(new RequestInitChain
            {
                ChainId = ChainId,
                InitialHeight = 1,
                Time = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
                AppStateBytes = ByteString.CopyFromUtf8(appState),
            });
            Block();
        }

        public void Block(params (TxSigner From, TxSigner To, long Amount)[] sends)
        {
            var request = new RequestFinalizeBlock { Height = Height + 1, Time = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddSeconds(Height + 1)) };
            var sequences = new Dictionary<TxSigner, ulong>();
            foreach (var (from, to, amount) in sends)
            {
                var account = Account(from);
                ulong sequence = sequences.TryGetValue(from, out ulong next) ? next : account.Sequence;
                sequences[from] = sequence + 1;
                request.Txs.Add(new TxBuilder().AddMessage(TxBuilder.Send(from.Bech32, to.Bech32, "udpin", amount)).WithFee("udpin", 50, 200_000)
                    .Sign(from, ChainId, account.AccountNumber, sequence).ToByteString());
            }
            var response = App.FinalizeBlock(request);
            Assert.All(response.TxResults, r => Assert.True(r.Code == 0, r.Log));
            App.Commit(new RequestCommit());
        }

        public BaseAccount Account(TxSigner who, long height = 0)
            => BaseAccount.Parser.ParseFrom(QueryAccountResponse.Parser.ParseFrom(Query("/cosmos.auth.v1beta1.Query/Account", new QueryAccountRequest { Address = who.Bech32 }, height)).Account.Value);

        public ByteString Query(string path, IMessage request, long height = 0)
        {
            var response = App.Query(new RequestQuery { Path = path, Data = request.ToByteString(), Height = height });
            Assert.True(response.Code == 0, response.Log);
            return response.Value;
        }

        /// <summary>Every account, every balance and the supply at <paramref name="height"/>, as the query answers bytes.</summary>
        public IReadOnlyList<ByteString> Snapshot(long height = 0) =>
        [
            .. Everyone.Select(s => Query("/cosmos.auth.v1beta1.Query/Account", new QueryAccountRequest { Address = s.Bech32 }, height)),
            .. Everyone.Select(s => Query("/cosmos.bank.v1beta1.Query/AllBalances", new QueryAllBalancesRequest { Address = s.Bech32 }, height)),
            Query("/cosmos.bank.v1beta1.Query/TotalSupply", new QueryTotalSupplyRequest(), height),
        ];
    }

    private static ICommitMultiStore MemoryStore() =>
        MultiStore.Open(new MemoryKeyValueStore(), AppModules.AllStoreNames, new MultiStoreOptions { Pruning = PruningOptions.Nothing, CreateIfEmpty = true });

    private static string GenesisState() => TxBuilder.GenesisAppState([(Alice.Address, 1_000_000), (Bob.Address, 10_000)]);

    /// <summary>Genesis, then blocks 2..4 with sends (Carol's account is created by the first), then two more blocks.</summary>
    private static void BuildHistory(Chain chain)
    {
        chain.Init(GenesisState());
        chain.Block((Alice, Carol, 5_000), (Alice, Bob, 700), (Bob, Alice, 30));
        chain.Block((Carol, Bob, 1_234), (Bob, Carol, 99));
        chain.Block((Alice, Carol, 1), (Alice, Carol, 2), (Alice, Carol, 3));
        chain.Block((Carol, Alice, 3_000));
        chain.Block((Bob, Carol, 5));
    }

    private const long ExportHeight = 4;

    [Fact]
    public void An_export_at_a_height_imported_into_a_fresh_chain_gives_the_same_state_and_exports_identically()
    {
        var source = new Chain(MemoryStore());
        BuildHistory(source);
        Assert.Equal(ExportHeight + 2, source.Height);

        string exported = source.App.ExportAppState(ExportHeight);
        Assert.NotEqual(exported, source.App.ExportAppState());

        var fresh = new Chain(MemoryStore());
        fresh.Init(exported);

        // export(import(export)) == export, module by module.
        var again = JsonNode.Parse(fresh.App.ExportAppState())!.AsObject();
        var first = JsonNode.Parse(exported)!.AsObject();
        Assert.Equal(first.Select(p => p.Key), again.Select(p => p.Key));
        foreach (var (module, state) in first)
            Assert.True(JsonNode.DeepEquals(state, again[module]), $"module {module} exports differently after import");
        Assert.Equal(exported, fresh.App.ExportAppState());

        // Accounts (numbers, sequences, keys), balances and supply equal the source's at the export height.
        Assert.Equal(source.Snapshot(ExportHeight), fresh.Snapshot());
        Assert.NotEqual(source.Snapshot(), fresh.Snapshot());

        // The imported chain goes on: the next sends sign with the exported sequences.
        fresh.Block((Carol, Alice, 10), (Alice, Bob, 10));
    }

    /// <summary>A home with a genesis.json and an application database holding <see cref="BuildHistory"/>.</summary>
    private GenesisDocument WriteHome(StoreFormat format = StoreFormat.Nodes)
    {
        var home = new NodeHome(_home);
        Directory.CreateDirectory(home.ConfigDirectory);
        var genesis = GenesisDocument.Create(ChainId, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            [new GenesisValidator(CometEd25519Key.Generate(), 10, "v0"), new GenesisValidator(CometEd25519Key.Generate(), 7, "v1")]);
        genesis.Save(home.Genesis);
        var options = new MultiStoreOptions { Pruning = PruningOptions.Nothing, CreateIfEmpty = true };
        if (format == StoreFormat.Changesets)
            options = options with { Format = format, PinnedHeight = 0, SnapshotDirectory = NodeHost.SnapshotDirectory(_home), SnapshotInterval = 2 };
        using var store = MultiStore.OpenOwning(LevelDbStore.Open(NodeHost.DatabasePath(_home), new LevelDbOptions { CreateIfMissing = true }),
            AppModules.AllStoreNames, options);
        BuildHistory(new Chain(store));
        return genesis;
    }

    private async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext { Out = output, Error = error, In = new StringReader(""), Interactive = false, DefaultHome = "/nonexistent" };
        int code = await NodeCli.RunAsync(args, context);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task The_export_command_writes_the_state_at_the_height_with_the_home_s_cometbft_fields()
    {
        var source = WriteHome();
        string file = Path.Combine(_home, "exported.json");

        var (code, _, error) = await RunAsync("export", "--home", _home, "--height", ExportHeight.ToString(), "--output-document", file);

        Assert.True(code == 0, error);
        var exported = GenesisDocument.Load(file);
        exported.Validate(ChainId);
        foreach (string field in new[] { "chain_id", "genesis_time", "consensus_params", "validators" })
            Assert.True(JsonNode.DeepEquals(source.Root[field], exported.Root[field]), field);
        Assert.Equal("1", (string?)exported.Root["initial_height"]);

        using var store = MultiStore.OpenOwning(LevelDbStore.Open(NodeHost.DatabasePath(_home)), AppModules.AllStoreNames, new MultiStoreOptions());
        var app = new DePinApp(store);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(app.ExportAppState(ExportHeight)), exported.Root["app_state"]));
    }

    [Theory]
    [InlineData(StoreFormat.Nodes)]
    [InlineData(StoreFormat.Changesets)] // the database says its format; export opens it from its snapshot and changesets
    public async Task Without_a_height_or_a_file_the_latest_state_goes_to_stdout(StoreFormat format)
    {
        WriteHome(format);
        var (code, output, error) = await RunAsync("export", "--home", _home);
        Assert.True(code == 0, error);
        var exported = GenesisDocument.Parse(output);
        var carol = exported.BalanceOf(Carol.Bech32);
        Assert.Equal(5_000 - 1_234 - 50 + 99 + 1 + 2 + 3 - 3_000 - 50 + 5, (long)carol.AmountOf("udpin"));
    }

    [Fact]
    public async Task Export_refuses_a_database_a_running_node_holds_with_one_line()
    {
        WriteHome();
        using var running = LevelDbStore.Open(NodeHost.DatabasePath(_home));

        var (code, output, error) = await RunAsync("export", "--home", _home);

        Assert.Equal(OperatorCommands.Failure, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("a node is running on this home", error);
    }

    [Theory]
    [InlineData("7", "between 1 and the latest committed height 6")]
    [InlineData("-1", "between 1 and the latest committed height 6")]
    public async Task A_height_that_was_not_committed_is_refused_with_one_line(string height, string expected)
    {
        WriteHome();
        var (code, _, error) = await RunAsync("export", "--home", _home, "--height", height);
        Assert.Equal(OperatorCommands.Failure, code);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains(expected, error);
    }

    [Fact]
    public async Task A_home_where_the_node_never_ran_is_named_in_the_error()
    {
        var home = new NodeHome(_home);
        Directory.CreateDirectory(home.ConfigDirectory);
        GenesisDocument.Create(ChainId, DateTime.UtcNow, [new GenesisValidator(CometEd25519Key.Generate(), 10, "v0")]).Save(home.Genesis);
        var (code, _, error) = await RunAsync("export", "--home", _home);
        Assert.Equal(OperatorCommands.Failure, code);
        Assert.Contains("no application state at", error);
    }

    [Fact]
    public async Task An_exported_genesis_with_module_accounts_takes_more_genesis_accounts()
    {
        WriteHome();
        string file = Path.Combine(_home, "exported.json");
        Assert.Equal(0, (await RunAsync("export", "--home", _home, "--output-document", file)).Code);
        var genesis = GenesisDocument.Load(file);
        var dave = TxSigner.FromSeed("dave");

        genesis.AddAccount(dave.Address, DePinChain.Sdk.Coins.Parse("5udpin"));

        genesis.Validate();
        var accounts = genesis.Root["app_state"]!["auth"]!["accounts"]!.AsArray();
        Assert.Contains(accounts, a => (string?)a!["@type"] == GenesisDocument.ModuleAccountType);
        Assert.Equal(accounts.Count - 1, int.Parse((string)accounts[^1]!["account_number"]!));
    }

    [Fact]
    public async Task Help_says_where_the_cometbft_fields_come_from_and_that_the_new_chain_starts_at_height_1()
    {
        var (code, output, _) = await RunAsync("export", "--help");
        Assert.Equal(0, code);
        Assert.Contains("genesis validators", output);
        Assert.Contains("initial_height is 1", output);
        Assert.Contains("--output-document", output);
    }
}
