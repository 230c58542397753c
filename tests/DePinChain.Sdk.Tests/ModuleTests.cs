using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using Google.Protobuf.Reflection;

namespace DePinChain.Sdk.Tests;

public class ModuleTests
{
    /// <summary>A genesis that records what the module did with it.</summary>
    private sealed class RecordingGenesis() : ModuleGenesis<GenesisState>(Json)
    {
        public static readonly GenesisCodec<GenesisState> Json = new("widgets");

        public List<GenesisState> Validated { get; } = [];

        public List<GenesisState> Imported { get; } = [];

        public override GenesisState Default() => new() { Params = new Params { DefaultSendEnabled = true } };

        public override void Validate(GenesisState genesis)
        {
            Validated.Add(genesis);
            if (genesis.Params is null) throw SdkErrors.InvalidRequest("widgets genesis has no params");
        }

        public override void Init(Context ctx, GenesisState genesis) => Imported.Add(genesis);

        public override GenesisState Export(Context ctx) => Imported[^1];
    }

    private sealed class WidgetsModule(RecordingGenesis genesis) : Module<GenesisState>("widgets", genesis)
    {
        public override ServiceDescriptor? MsgService => null;

        public override ServiceDescriptor? QueryService => null;

        public override void RegisterMessages(MsgRouter router) { }

        public override void RegisterQueries(QueryRouter router) { }
    }

    [Fact]
    public void Validate_then_init_of_the_same_text_parses_and_validates_it_once()
    {
        var genesis = new RecordingGenesis();
        IModule module = new WidgetsModule(genesis);
        string json = module.DefaultGenesis();
        module.ValidateGenesis(json);
        module.InitGenesis(TestContext.New(), json);
        var validated = Assert.Single(genesis.Validated);
        Assert.Same(validated, Assert.Single(genesis.Imported));
    }

    [Fact]
    public void Init_alone_or_of_another_text_validates_what_it_imports()
    {
        var genesis = new RecordingGenesis();
        var module = new WidgetsModule(genesis);
        module.ValidateGenesis(module.DefaultGenesis());
        module.InitGenesis(TestContext.New(), """{"params": {"default_send_enabled": false}}""");
        Assert.Equal(2, genesis.Validated.Count);
        Assert.False(genesis.Imported.Single().Params.DefaultSendEnabled);
        Assert.Throws<SdkError>(() => module.InitGenesis(TestContext.New(), "{}"));
        Assert.Single(genesis.Imported);
    }

    [Fact]
    public void Genesis_json_keeps_proto_names_and_defaults_and_round_trips()
    {
        var module = new WidgetsModule(new RecordingGenesis());
        string json = module.DefaultGenesis();
        Assert.Contains("\"default_send_enabled\": true", json);
        Assert.Contains("\"balances\": [ ]", json);
        var ctx = TestContext.New();
        module.InitGenesis(ctx, json);
        Assert.Equal(json, module.ExportGenesis(ctx));
    }

    [Fact]
    public void Bad_json_is_code_17_naming_the_module()
    {
        var error = Assert.Throws<SdkError>(() => new WidgetsModule(new RecordingGenesis()).ValidateGenesis("{\"params\": 5"));
        Assert.Equal(SdkErrors.JsonUnmarshalCode, error.Code);
        Assert.StartsWith("widgets genesis: ", error.Message);
    }
}
