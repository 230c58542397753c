using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DePinChain.Sdk;

/// <summary>
/// What every module derives from: its name, its proto services and their handlers (the module's msg server and query
/// server register them), and its typed genesis behind <see cref="IModule"/>'s JSON. A module's folder holds the same
/// files for each module (see the README, "Modules").
/// </summary>
public abstract class Module<TGenesis>(string name, ModuleGenesis<TGenesis> genesis) : IModule
    where TGenesis : IMessage<TGenesis>, new()
{
    // The section ValidateGenesis parsed and checked, for the InitGenesis of the same text that follows it: the app calls
    // the two in a row, and the JSON is parsed once.
    private (string Json, TGenesis Genesis)? _validated;

    public string Name { get; } = name;

    /// <summary>The module's genesis on its typed value.</summary>
    public ModuleGenesis<TGenesis> Genesis { get; } = genesis;

    public abstract ServiceDescriptor? MsgService { get; }

    public abstract ServiceDescriptor? QueryService { get; }

    public virtual IReadOnlyList<ServiceDescriptor> MsgServices => MsgService is { } service ? [service] : [];

    public virtual IReadOnlyList<ServiceDescriptor> QueryServices => QueryService is { } service ? [service] : [];

    public abstract void RegisterMessages(MsgRouter router);

    public abstract void RegisterQueries(QueryRouter router);

    public string DefaultGenesis() => Genesis.Codec.Format(Genesis.Default());

    public void ValidateGenesis(string json)
    {
        _validated = null;
        var genesis = Genesis.Codec.Parse(json);
        Genesis.Validate(genesis);
        _validated = (json, genesis);
    }

    /// <summary>Imports the section: the value <see cref="ValidateGenesis"/> parsed for this text, else parsed and validated now.</summary>
    public void InitGenesis(Context ctx, string json)
    {
        TGenesis genesis;
        if (_validated is { } validated && validated.Json == json) genesis = validated.Genesis;
        else
        {
            genesis = Genesis.Codec.Parse(json);
            Genesis.Validate(genesis);
        }
        _validated = null;
        Genesis.Init(ctx, genesis);
    }

    public string ExportGenesis(Context ctx) => Genesis.Codec.Format(Genesis.Export(ctx));
}
