using DePinChain.Modules.Ibc.Host;
using DePinChain.Protos.Ibc.Core.Client.V1;
using DePinChain.Protos.Ibc.Core.Commitment.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Modules.Ibc.Client;

/// <summary>
/// ICS-02 (ibc-go v8 02-client keeper): creates clients with generated ids ("07-tendermint-N"), routes every client
/// operation to the light client module of the id's type, and emits ibc-go's client events. Client and consensus
/// states live in the light client's part of the store (<c>clients/{id}/...</c>) as <c>Any</c>s.
/// </summary>
public sealed class ClientKeeper
{
    public const string EventCategory = "ibc_client";

    private readonly Dictionary<string, ILightClientModule> _routes = new(StringComparer.Ordinal);

    public ClientKeeper(params IEnumerable<ILightClientModule> lightClients)
    {
        foreach (var module in lightClients) _routes.Add(module.ClientType, module);
    }

    public static Params DefaultParams() => new() { AllowedClients = { Tendermint.TendermintLightClient.Type } };

    public Params GetParams(Context ctx) => IbcStore.Of(ctx).GetMessage(IbcPaths.ClientParams, Params.Parser) ?? DefaultParams();

    public void SetParams(Context ctx, Params p) => IbcStore.Of(ctx).Set(IbcPaths.ClientParams, p);

    public ulong GetNextClientSequence(Context ctx) => IbcStore.Of(ctx).GetUInt64(IbcPaths.NextClientSequence) ?? 0;

    public void SetNextClientSequence(Context ctx, ulong sequence) => IbcStore.Of(ctx).SetUInt64(IbcPaths.NextClientSequence, sequence);

    /// <summary>The type of a client id "{type}-{N}" ("07-tendermint-0" → "07-tendermint").</summary>
    public static bool TryParseClientType(string clientId, out string clientType)
    {
        clientType = "";
        var dash = clientId.LastIndexOf('-');
        if (dash <= 0) return false;
        clientType = clientId[..dash];
        return Identifiers.TryParseSequence(clientId, clientType, out _);
    }

    public ILightClientModule Route(string clientId)
    {
        if (!TryParseClientType(clientId, out var clientType) || !_routes.TryGetValue(clientType, out var module))
            throw IbcErrors.Client.RouteNotFound(clientId);
        return module;
    }

    /// <summary>MsgCreateClient: a new client id, the light client initialized from the two states, which must leave it Active.</summary>
    public string CreateClient(Context ctx, Any clientState, Any consensusState)
    {
        if (clientState is null) throw IbcErrors.Client.InvalidClient("client state cannot be nil");
        if (consensusState is null) throw IbcErrors.Client.InvalidConsensus("consensus state cannot be nil");
        var clientType = ClientTypeOf(clientState);
        if (!IsAllowed(GetParams(ctx), clientType))
            throw IbcErrors.Client.InvalidClientType($"client state type {clientType} is not registered in the allowlist");
        if (!_routes.TryGetValue(clientType, out var module)) throw IbcErrors.Client.RouteNotFound(clientType);

        var sequence = GetNextClientSequence(ctx);
        var clientId = $"{clientType}-{sequence}";
        SetNextClientSequence(ctx, sequence + 1);

        module.Initialize(ctx, clientId, clientState, consensusState);
        var status = GetStatus(ctx, clientId);
        if (status != ClientStatus.Active) throw IbcErrors.Client.ClientNotActive($"cannot create client ({clientId}) with status {status}");
        var height = module.LatestHeight(ctx, clientId);
        ctx.Events.Emit(SdkEvent.Of("create_client",
            ("client_id", clientId), ("client_type", clientType), ("consensus_height", Heights.Format(height))));
        ctx.Events.Emit(SdkEvent.Of("message", ("module", EventCategory)));
        return clientId;
    }

    /// <summary>MsgUpdateClient: verify the message; misbehaviour freezes the client, a header adds consensus states.</summary>
    public void UpdateClient(Context ctx, string clientId, Any clientMessage)
    {
        var module = Route(clientId);
        var status = GetStatus(ctx, clientId);
        if (status != ClientStatus.Active) throw IbcErrors.Client.ClientNotActive($"cannot update client ({clientId}) with status {status}");
        module.VerifyClientMessage(ctx, clientId, clientMessage);
        if (module.CheckForMisbehaviour(ctx, clientId, clientMessage))
        {
            module.UpdateStateOnMisbehaviour(ctx, clientId, clientMessage);
            ctx.Events.Emit(SdkEvent.Of("client_misbehaviour", ("client_id", clientId), ("client_type", module.ClientType)));
            ctx.Events.Emit(SdkEvent.Of("message", ("module", EventCategory)));
            return;
        }
        var heights = module.UpdateState(ctx, clientId, clientMessage);
        // ibc-go v8 emits the first height alone (deprecated), all of them, and the message (deprecated) as hex.
        ctx.Events.Emit(SdkEvent.Of("update_client",
            ("client_id", clientId),
            ("client_type", module.ClientType),
            ("consensus_height", heights.Count > 0 ? Heights.Format(heights[0]) : ""),
            ("consensus_heights", string.Join(",", heights.Select(Heights.Format))),
            ("header", Convert.ToHexString(clientMessage.ToByteArray()).ToLowerInvariant())));
        ctx.Events.Emit(SdkEvent.Of("message", ("module", EventCategory)));
    }

    /// <summary>
    /// ibc-go's <c>updateClientCheckTx</c>, for the mempool: the message verified (CheckTx; a recheck trusts the first
    /// check) and the client's state updated on the caller's state, so the packet messages after it in the same tx verify
    /// against the new height. Misbehaviour is left to the block.
    /// </summary>
    public void UpdateClientCheckTx(Context ctx, string clientId, Any clientMessage, bool verify)
    {
        if (GetClientState(ctx, clientId) is null) throw IbcErrors.Client.ClientNotFound(clientId);
        var module = Route(clientId);
        var status = GetStatus(ctx, clientId);
        if (status != ClientStatus.Active) throw IbcErrors.Client.ClientNotActive($"cannot update client ({clientId}) with status {status}");
        if (verify) module.VerifyClientMessage(ctx, clientId, clientMessage);
        if (module.CheckForMisbehaviour(ctx, clientId, clientMessage)) return;
        module.UpdateState(ctx, clientId, clientMessage);
    }

    /// <summary>The status, Unauthorized when the client's type is no longer allowed.</summary>
    public string GetStatus(Context ctx, string clientId)
    {
        if (!TryParseClientType(clientId, out var clientType) || !_routes.TryGetValue(clientType, out var module)) return ClientStatus.Unauthorized;
        if (!IsAllowed(GetParams(ctx), clientType)) return ClientStatus.Unauthorized;
        return module.Status(ctx, clientId);
    }

    public Any? GetClientState(Context ctx, string clientId) => IbcStore.Of(ctx).GetMessage(IbcPaths.ClientState(clientId), Any.Parser);

    public Any? GetConsensusState(Context ctx, string clientId, Height height)
        => IbcStore.Of(ctx).GetMessage(IbcPaths.ConsensusState(clientId, height), Any.Parser);

    public Height GetLatestHeight(Context ctx, string clientId) => Route(clientId).LatestHeight(ctx, clientId);

    public ulong GetTimestampAtHeight(Context ctx, string clientId, Height height) => Route(clientId).TimestampAtHeight(ctx, clientId, height);

    /// <summary>The client ids with a stored client state, in key order.</summary>
    public IEnumerable<(string ClientId, Any State)> ClientStates(Context ctx)
    {
        const string suffix = "/clientState";
        foreach (var (key, value) in IbcStore.Of(ctx).Prefixed("clients/"))
        {
            var path = System.Text.Encoding.UTF8.GetString(key);
            if (!path.EndsWith(suffix, StringComparison.Ordinal)) continue;
            var id = path["clients/".Length..^suffix.Length];
            if (id.Contains('/')) continue;
            yield return (id, Any.Parser.ParseFrom(value));
        }
    }

    /// <summary>A client's consensus states in height order (its iteration index).</summary>
    public IEnumerable<(Height Height, Any State)> ConsensusStates(Context ctx, string clientId)
    {
        var store = IbcStore.Of(ctx);
        var prefix = IbcPaths.IterationPrefix(clientId);
        foreach (var (key, _) in store.Prefixed(prefix))
        {
            if (key.Length != prefix.Length + 16) continue;
            var height = Heights.Of(
                System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(prefix.Length)),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(prefix.Length + 8)));
            if (GetConsensusState(ctx, clientId, height) is { } state) yield return (height, state);
        }
    }

    public void VerifyMembership(Context ctx, string clientId, Height height, ulong delayTime, ulong delayBlocks, byte[] proof, MerklePath path, byte[] value)
    {
        var status = GetStatus(ctx, clientId);
        if (status != ClientStatus.Active) throw IbcErrors.Client.ClientNotActive($"client ({clientId}) status is {status}");
        Route(clientId).VerifyMembership(ctx, clientId, height, delayTime, delayBlocks, proof, path, value);
    }

    public void VerifyNonMembership(Context ctx, string clientId, Height height, ulong delayTime, ulong delayBlocks, byte[] proof, MerklePath path)
    {
        var status = GetStatus(ctx, clientId);
        if (status != ClientStatus.Active) throw IbcErrors.Client.ClientNotActive($"client ({clientId}) status is {status}");
        Route(clientId).VerifyNonMembership(ctx, clientId, height, delayTime, delayBlocks, proof, path);
    }

    private static bool IsAllowed(Params p, string clientType)
        => p.AllowedClients.Any(allowed => allowed == "*" || allowed == clientType);

    private string ClientTypeOf(Any clientState)
    {
        foreach (var module in _routes.Values)
        {
            if (clientState.TypeUrl == module.ClientStateTypeUrl) return module.ClientType;
        }
        throw IbcErrors.Core.UnpackAny($"no registered implementations of type {clientState.TypeUrl}");
    }
}
