namespace DePinChain.Cli.Home;

/// <summary>The layout of a node home shared by CometBFT (config/, data/) and our app (config/app.toml, data/application.db).</summary>
public sealed class NodeHome(string root)
{
    public string Root { get; } = Path.GetFullPath(root);
    public string ConfigDirectory => Path.Combine(Root, "config");
    public string DataDirectory => Path.Combine(Root, "data");
    public string ConfigToml => Path.Combine(ConfigDirectory, "config.toml");
    public string AppToml => Path.Combine(ConfigDirectory, "app.toml");
    public string Genesis => Path.Combine(ConfigDirectory, "genesis.json");
    public string PrivValidatorKey => Path.Combine(ConfigDirectory, "priv_validator_key.json");
    public string NodeKey => Path.Combine(ConfigDirectory, "node_key.json");
    public string PrivValidatorState => Path.Combine(DataDirectory, "priv_validator_state.json");

    /// <summary>CometBFT's initial signing state: nothing signed yet.</summary>
    public const string InitialPrivValidatorState = "{\n  \"height\": \"0\",\n  \"round\": 0,\n  \"step\": 0\n}";

    public bool IsInitialized => File.Exists(ConfigToml) || File.Exists(Genesis) || File.Exists(PrivValidatorKey) || File.Exists(NodeKey);

    public sealed record InitResult(NodeHome Home, CometEd25519Key Validator, CometEd25519Key NodeKey);

    /// <summary>
    /// Writes a fresh home: keys, config.toml, app.toml, data/priv_validator_state.json and,
    /// unless <paramref name="genesisJson"/> is given, a genesis with this node as the only validator.
    /// </summary>
    public InitResult Initialize(CometConfig comet, AppConfig app, string chainId, bool overwrite,
        string? genesisJson = null, CometEd25519Key? validator = null, CometEd25519Key? nodeKey = null)
    {
        if (IsInitialized && !overwrite)
            throw new HomeException($"{Root} is already initialized (config/ exists); pass --overwrite to replace it");
        validator ??= CometEd25519Key.Generate();
        nodeKey ??= CometEd25519Key.Generate();
        Directory.CreateDirectory(ConfigDirectory);
        Directory.CreateDirectory(DataDirectory);

        WriteSecret(PrivValidatorKey, validator.ToPrivValidatorKeyJson());
        WriteSecret(NodeKey, nodeKey.ToNodeKeyJson());
        File.WriteAllText(PrivValidatorState, InitialPrivValidatorState);
        File.WriteAllText(ConfigToml, comet.ToToml());
        File.WriteAllText(AppToml, app.ToToml());
        genesisJson ??= DePinChain.Cli.Genesis.GenesisDocument.Create(chainId, DateTime.UtcNow, [new DePinChain.Cli.Genesis.GenesisValidator(validator, 10, comet.Moniker)]).ToJson();
        File.WriteAllText(Genesis, genesisJson);
        return new InitResult(this, validator, nodeKey);
    }

    private static void WriteSecret(string path, string text)
    {
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
