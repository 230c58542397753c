using Google.Protobuf.Reflection;

namespace DePinChain.Sdk;

/// <summary>
/// A module as the app wires it: its store, its messages and queries, and its genesis. The app lists modules
/// explicitly, in order (see DePinChain.App's AppModules). Modules implement it by deriving from
/// <see cref="Module{TGenesis}"/>, which keeps their genesis typed and parses its JSON once.
/// </summary>
public interface IModule
{
    /// <summary>The module's name, which is also the name of its store in the multistore and its key in app_state.</summary>
    string Name { get; }

    /// <summary>The module's proto <c>service Msg</c> (null: it has no messages). Every rpc must have a handler after
    /// <see cref="RegisterMessages"/>; the CLI makes a <c>tx</c> command of each.</summary>
    ServiceDescriptor? MsgService { get; }

    /// <summary>The module's proto <c>service Query</c> (null: it has no queries). Every rpc must have a handler after
    /// <see cref="RegisterQueries"/>; the CLI makes a <c>query</c> command of each.</summary>
    ServiceDescriptor? QueryService { get; }

    void RegisterMessages(MsgRouter router);

    void RegisterQueries(QueryRouter router);

    /// <summary>The module's genesis JSON for a fresh chain.</summary>
    string DefaultGenesis();

    /// <summary>Stateless checks of a genesis JSON document.</summary>
    /// <exception cref="SdkError">The genesis is invalid (the message says why).</exception>
    void ValidateGenesis(string json);

    /// <summary>Imports a genesis JSON document (validating it first, unless <see cref="ValidateGenesis"/> just did for the same text).</summary>
    void InitGenesis(Context ctx, string json);

    string ExportGenesis(Context ctx);
}

/// <summary>A module with work at the start of every block (before its txs); the app lists them in order (AppModules).</summary>
public interface IBeginBlocker
{
    void BeginBlock(Context ctx);
}

/// <summary>A module with work at the end of every block (after its txs); the app lists them in order (AppModules).</summary>
public interface IEndBlocker
{
    void EndBlock(Context ctx);
}
