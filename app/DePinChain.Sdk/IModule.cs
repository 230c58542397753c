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

    /// <summary>Every <c>service Msg</c> of the module: <see cref="MsgService"/> alone for most; IBC has three (client,
    /// connection, channel). The app, the CLI and the servers read these.</summary>
    IReadOnlyList<ServiceDescriptor> MsgServices { get; }

    /// <summary>Every <c>service Query</c> of the module (see <see cref="MsgServices"/>).</summary>
    IReadOnlyList<ServiceDescriptor> QueryServices { get; }

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

/// <summary>
/// A module's extra check of a tx entering the mempool (CheckTx and ReCheckTx only, after the ante handler): what the
/// SDK's module ante decorators do there, e.g. IBC's refusal of a relayer tx whose packets were all relayed already.
/// Throw an SdkError to refuse the tx.
/// </summary>
public interface IMempoolTxCheck
{
    void Check(Context ctx, IReadOnlyList<Google.Protobuf.IMessage> messages);
}

/// <summary>
/// A module whose <c>Any</c>s hold messages that none of its Msg or Query files import (IBC's light-client states,
/// headers and misbehaviour), as the SDK's RegisterInterfaces names them: the JSON type registries (REST, CLI, genesis)
/// add these files, so those <c>Any</c>s render with <c>@type</c>.
/// </summary>
public interface IAnyTypeFiles
{
    IReadOnlyList<FileDescriptor> AnyTypeFiles { get; }
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

/// <summary>One change to CometBFT's validator set: an ed25519 consensus public key (32 bytes) and its new power (0 removes it).</summary>
public sealed record ValidatorPowerUpdate(byte[] Ed25519PubKey, long Power);

/// <summary>
/// The module that decides the validator set (staking). The app asks it once after genesis (InitChain's validators) and
/// once at the end of every block, after every end blocker, so the updates see every change of the block.
/// </summary>
public interface IValidatorSetModule
{
    /// <summary>The validator set genesis (and its gentxs) made, sorted as CometBFT should get it; empty when genesis has
    /// no validators (CometBFT's own genesis validators then stand, unchanged).</summary>
    IReadOnlyList<ValidatorPowerUpdate> InitialValidatorSet(Context ctx);

    /// <summary>The changes of this block: every validator whose power changed or who left the set (power 0), in a
    /// deterministic order.</summary>
    IReadOnlyList<ValidatorPowerUpdate> EndBlockValidatorUpdates(Context ctx);
}
