using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DePinChain.Sdk;

/// <summary>
/// A module's <c>app_state</c> section as JSON: proto field names, default values written out (so export(import(g))
/// reproduces g byte for byte), strict parsing, decimals and integers as the SDK writes them (<see cref="CosmosJson"/>).
/// <paramref name="types"/> resolves the <c>Any</c>s a genesis holds.
/// </summary>
public sealed class GenesisCodec<TGenesis>(string module, TypeRegistry? types = null)
    where TGenesis : IMessage<TGenesis>, new()
{
    private readonly CosmosJson _json = new(types);

    public string Module { get; } = module;

    public string Format(TGenesis genesis) => _json.Format(genesis);

    /// <exception cref="SdkError">Not valid JSON for the module's genesis (code 17, "&lt;module&gt; genesis: …").</exception>
    public TGenesis Parse(string json)
    {
        try
        {
            return _json.Parse<TGenesis>(json);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            throw SdkErrors.JsonUnmarshal($"{Module} genesis: {e.Message}");
        }
    }
}

/// <summary>
/// A module's genesis on its typed value (the module's proto <c>GenesisState</c>), as the SDK's
/// <c>DefaultGenesis</c>/<c>ValidateGenesis</c>/<c>InitGenesis</c>/<c>ExportGenesis</c>. The JSON is parsed once, by
/// <see cref="Module{TGenesis}"/>, and every step works on the parsed value.
/// </summary>
/// <param name="codec">The section's JSON form: each module's Genesis class keeps it in a static <c>Json</c>, for tools and tests.</param>
public abstract class ModuleGenesis<TGenesis>(GenesisCodec<TGenesis> codec)
    where TGenesis : IMessage<TGenesis>, new()
{
    /// <summary>The section's JSON form.</summary>
    public GenesisCodec<TGenesis> Codec { get; } = codec;

    /// <summary>The genesis of a fresh chain.</summary>
    public abstract TGenesis Default();

    /// <summary>Stateless checks: everything <see cref="Init"/> relies on.</summary>
    /// <exception cref="SdkError">The genesis is invalid (the message says why).</exception>
    public abstract void Validate(TGenesis genesis);

    /// <summary>Writes a validated genesis into the module's state (through its keeper).</summary>
    public abstract void Init(Context ctx, TGenesis genesis);

    /// <summary>The module's state as a genesis, so that Init(Export(s)) reproduces s.</summary>
    public abstract TGenesis Export(Context ctx);
}
