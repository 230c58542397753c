using DePinChain.Sdk;

namespace DePinChain.Modules.Transfer;

// What transfer needs from other modules, and nothing more: the app bridges them (app/DePinChain.App/DepinWiring.cs),
// IBC core's channel keeper provides the last two.

/// <summary>Balances, supply and module accounts (bank, with auth's module-account rules).</summary>
public interface IBankKeeper
{
    void SendCoins(Context ctx, byte[] from, byte[] to, Coins amount);

    void SendCoinsFromAccountToModule(Context ctx, byte[] from, string toModule, Coins amount);

    void SendCoinsFromModuleToAccount(Context ctx, string fromModule, byte[] to, Coins amount);

    /// <summary>Creates coins in the module's account (minter permission); the denom's supply grows.</summary>
    void MintCoins(Context ctx, string moduleName, Coins amount);

    /// <summary>Destroys coins held by the module's account (burner permission); the denom's supply shrinks.</summary>
    void BurnCoins(Context ctx, string moduleName, Coins amount);

    /// <summary>True for addresses that may not send or receive through transfers (module accounts).</summary>
    bool BlockedAddr(ReadOnlySpan<byte> address);
}

/// <summary>The counterparty of a channel end: where packets sent on it arrive.</summary>
public readonly record struct ChannelCounterparty(string PortId, string ChannelId);

/// <summary>The channel ends IBC core keeps (ibc-go's ChannelKeeper, the part transfer reads).</summary>
public interface IChannelKeeper
{
    /// <summary>The counterparty of channel <paramref name="channelId"/> on port <paramref name="portId"/>; null when
    /// there is no such channel.</summary>
    ChannelCounterparty? GetCounterparty(Context ctx, string portId, string channelId);
}

/// <summary>An IBC height: a revision number (the counterparty chain id's <c>-N</c>) and a height in it. 0-0 means none.</summary>
public readonly record struct IbcHeight(ulong RevisionNumber, ulong RevisionHeight)
{
    public bool IsZero => RevisionNumber == 0 && RevisionHeight == 0;

    public override string ToString() => $"{RevisionNumber}-{RevisionHeight}";
}

/// <summary>
/// IBC core's packet sending (ibc-go's ICS4Wrapper.SendPacket): checks the channel is open, the timeouts are not already
/// past on the counterparty, stores the packet commitment and emits send_packet; returns the packet's sequence.
/// </summary>
public interface IIcs4Wrapper
{
    ulong SendPacket(Context ctx, string sourcePort, string sourceChannel, IbcHeight timeoutHeight, ulong timeoutTimestamp, byte[] data);
}

/// <summary>A packet as the application callbacks see it.</summary>
public sealed record TransferPacket(ulong Sequence, string SourcePort, string SourceChannel, string DestinationPort, string DestinationChannel, byte[] Data);

/// <summary>Bank's denom metadata (vouchers get a description naming their path, as ibc-go writes it).</summary>
public interface IDenomMetadataKeeper
{
    bool HasDenomMetadata(Context ctx, string denom);

    void SetDenomMetadata(Context ctx, DePinChain.Protos.Cosmos.Bank.V1Beta1.Metadata metadata);
}
