using DePinChain.Protos.Ibc.Core.Client.V1;
using DePinChain.Protos.Ibc.Core.Commitment.V1;
using DePinChain.Sdk;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Modules.Ibc.Client;

/// <summary>A client's status (ibc-go's exported.Status strings).</summary>
public static class ClientStatus
{
    public const string Active = "Active";
    public const string Frozen = "Frozen";
    public const string Expired = "Expired";
    public const string Unknown = "Unknown";
    public const string Unauthorized = "Unauthorized";
}

/// <summary>
/// One light-client type behind the client keeper, as ibc-go v8's LightClientModule: the keeper routes by the client
/// id's type prefix ("07-tendermint-0" → "07-tendermint") and the module keeps its client and consensus states in the
/// client's own part of the ibc store (<c>clients/{id}/...</c>).
/// </summary>
public interface ILightClientModule
{
    /// <summary>The client type ("07-tendermint"): the prefix of its client ids.</summary>
    string ClientType { get; }

    /// <summary>The type URL of its client states ("/ibc.lightclients.tendermint.v1.ClientState").</summary>
    string ClientStateTypeUrl { get; }

    /// <summary>Checks and stores a new client's initial client state and consensus state.</summary>
    void Initialize(Context ctx, string clientId, Any clientState, Any consensusState);

    /// <summary>Checks a header or misbehaviour against the client's trusted state (throws when invalid).</summary>
    void VerifyClientMessage(Context ctx, string clientId, Any clientMessage);

    /// <summary>True when a verified client message shows misbehaviour (conflicting or non-monotonic headers).</summary>
    bool CheckForMisbehaviour(Context ctx, string clientId, Any clientMessage);

    /// <summary>Freezes the client.</summary>
    void UpdateStateOnMisbehaviour(Context ctx, string clientId, Any clientMessage);

    /// <summary>Stores the consensus state(s) of a verified header; returns the heights updated.</summary>
    IReadOnlyList<Height> UpdateState(Context ctx, string clientId, Any clientMessage);

    /// <summary>Checks a proof that the counterparty stores <paramref name="value"/> at <paramref name="path"/> at
    /// <paramref name="height"/>, after the connection's delay.</summary>
    void VerifyMembership(Context ctx, string clientId, Height height, ulong delayTimePeriod, ulong delayBlockPeriod,
        byte[] proof, MerklePath path, byte[] value);

    /// <summary>Checks a proof that the counterparty stores nothing at <paramref name="path"/> at <paramref name="height"/>.</summary>
    void VerifyNonMembership(Context ctx, string clientId, Height height, ulong delayTimePeriod, ulong delayBlockPeriod,
        byte[] proof, MerklePath path);

    /// <summary>One of <see cref="ClientStatus"/>.</summary>
    string Status(Context ctx, string clientId);

    Height LatestHeight(Context ctx, string clientId);

    /// <summary>The counterparty's block time (Unix ns) at a height the client has a consensus state for.</summary>
    ulong TimestampAtHeight(Context ctx, string clientId, Height height);
}
