using System.CommandLine;
using System.Globalization;
using DePinChain.Cli.Commands;
using DePinChain.Protos.Ibc.Applications.Transfer.V1;
using DePinChain.Protos.Ibc.Core.Channel.V1;
using DePinChain.Protos.Ibc.Core.Client.V1;
using Google.Protobuf;
using TendermintClientState = DePinChain.Protos.Ibc.LightClients.Tendermint.V1.ClientState;
using TendermintConsensusState = DePinChain.Protos.Ibc.LightClients.Tendermint.V1.ConsensusState;

namespace DePinChain.Cli.AutoCli;

/// <summary>
/// The ICS-20 commands in simd's shapes (ibc-go v8 `tx ibc-transfer transfer [src-port] [src-channel] [receiver]
/// [amount]`): the receiver is any chain's address, taken as typed; `--packet-timeout-height` (default 0-1000) and
/// `--packet-timeout-timestamp` (nanoseconds, default 10 minutes) are relative to the counterparty's latest height and
/// consensus time as this chain's client of it knows them (or to the local clock when that is later), unless
/// `--absolute-timeouts`; `--memo` is the packet's memo (the tx's is `--note`).
/// </summary>
internal static class TransferCatalog
{
    /// <summary>ibc-go v8's DefaultRelativePacketTimeoutHeight.</summary>
    public const string DefaultRelativeTimeoutHeight = "0-1000";

    /// <summary>ibc-go v8's DefaultRelativePacketTimeoutTimestamp: 10 minutes in nanoseconds.</summary>
    public const ulong DefaultRelativeTimeoutTimestamp = 600_000_000_000;

    private static readonly Option<string> PacketTimeoutHeight = new("--packet-timeout-height")
    {
        Description = "Packet timeout block height in the format {revision}-{height}; 0-0 disables it",
        DefaultValueFactory = _ => DefaultRelativeTimeoutHeight,
    };

    private static readonly Option<ulong> PacketTimeoutTimestamp = new("--packet-timeout-timestamp")
    {
        Description = "Packet timeout timestamp in nanoseconds from now (default 10 minutes); 0 disables it",
        DefaultValueFactory = _ => DefaultRelativeTimeoutTimestamp,
    };

    private static readonly Option<bool> AbsoluteTimeouts = new("--absolute-timeouts")
    {
        Description = "The timeout flags are absolute (a counterparty height, Unix nanoseconds), not relative",
    };

    public static readonly Dictionary<string, MethodOptions> Table = new(StringComparer.Ordinal)
    {
        ["ibc.applications.transfer.v1.Msg/Transfer"] = new()
        {
            Positional = ["source_port", "source_channel", "receiver", "token"],
            Hidden = ["timeout_height", "timeout_timestamp"],
            ExtraOptions = [PacketTimeoutHeight, PacketTimeoutTimestamp, AbsoluteTimeouts],
            Build = WithTimeouts,
            Complete = RelativeTimeoutsAsync,
        },
        ["ibc.applications.transfer.v1.Query/DenomTrace"] = new() { Positional = ["hash"] },
        ["ibc.applications.transfer.v1.Query/DenomHash"] = new() { Positional = ["trace"] },
        ["ibc.applications.transfer.v1.Query/EscrowAddress"] = new() { Positional = ["port_id", "channel_id"] },
        ["ibc.applications.transfer.v1.Query/TotalEscrowForDenom"] = new() { Use = "total-escrow", Positional = ["denom"] },
    };

    /// <summary>ibc-go's clienttypes.ParseHeight: <c>{revision}-{height}</c>, both unsigned 64-bit decimals.</summary>
    public static Height ParseHeight(string text)
    {
        var parts = text.Split('-');
        if (parts.Length != 2
            || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height))
            throw new CliUsageException($"--packet-timeout-height: expected height string format: {{revision}}-{{height}}. Got: {text}");
        return new Height { RevisionNumber = revision, RevisionHeight = height };
    }

    // The flags as typed; relative ones are made absolute once the node has been asked (RelativeTimeoutsAsync).
    private static IMessage WithTimeouts(MethodCall call, IMessage message)
    {
        var msg = (MsgTransfer)message;
        var height = ParseHeight(call.Result.GetValue(PacketTimeoutHeight)!);
        msg.TimeoutHeight = height.RevisionNumber == 0 && height.RevisionHeight == 0 ? null : height;
        msg.TimeoutTimestamp = call.Result.GetValue(PacketTimeoutTimestamp);
        return msg;
    }

    /// <summary>
    /// Relative timeouts as simd makes them absolute: the height is added to the latest height of the channel's
    /// client, the timestamp to the later of the local clock and that height's consensus time.
    /// </summary>
    public static (Height? Height, ulong Timestamp) Absolute(Height? relativeHeight, ulong relativeTimestamp, Height clientHeight,
        ulong consensusTimestamp, ulong nowNanos)
    {
        Height? height = relativeHeight is null ? null : new Height
        {
            RevisionNumber = clientHeight.RevisionNumber + relativeHeight.RevisionNumber,
            RevisionHeight = clientHeight.RevisionHeight + relativeHeight.RevisionHeight,
        };
        ulong timestamp = relativeTimestamp == 0 ? 0 : Math.Max(nowNanos, consensusTimestamp) + relativeTimestamp;
        return (height, timestamp);
    }

    private static async Task RelativeTimeoutsAsync(MethodCall call, IMessage message, CancellationToken cancel)
    {
        var msg = (MsgTransfer)message;
        if (call.Result.GetValue(AbsoluteTimeouts)) return;
        if (msg.TimeoutHeight is null && msg.TimeoutTimestamp == 0) return; // refused by the chain with its own message
        var clientAnswer = await call.Client.AbciQueryAsync("/ibc.core.channel.v1.Query/ChannelClientState",
            new QueryChannelClientStateRequest { PortId = msg.SourcePort, ChannelId = msg.SourceChannel }.ToByteArray(), 0, cancel);
        if (clientAnswer.Code != 0) throw new CliException($"client state of {msg.SourcePort}/{msg.SourceChannel}: {clientAnswer.Log}");
        var clientState = QueryChannelClientStateResponse.Parser.ParseFrom(clientAnswer.Value).IdentifiedClientState?.ClientState;
        if (clientState is null || !clientState.TryUnpack(out TendermintClientState tendermint) || tendermint.LatestHeight is null)
            throw new CliException($"the client of {msg.SourcePort}/{msg.SourceChannel} is not a 07-tendermint client with a latest height");
        var latest = tendermint.LatestHeight;

        ulong consensusTime = 0;
        if (msg.TimeoutTimestamp != 0)
        {
            var consensusAnswer = await call.Client.AbciQueryAsync("/ibc.core.channel.v1.Query/ChannelConsensusState",
                new QueryChannelConsensusStateRequest
                {
                    PortId = msg.SourcePort, ChannelId = msg.SourceChannel, RevisionNumber = latest.RevisionNumber, RevisionHeight = latest.RevisionHeight,
                }.ToByteArray(), 0, cancel);
            if (consensusAnswer.Code != 0) throw new CliException($"consensus state of {msg.SourcePort}/{msg.SourceChannel}: {consensusAnswer.Log}");
            var any = QueryChannelConsensusStateResponse.Parser.ParseFrom(consensusAnswer.Value).ConsensusState;
            if (any is not null && any.TryUnpack(out TendermintConsensusState state) && state.Timestamp is { } t)
                consensusTime = (ulong)t.Seconds * 1_000_000_000 + (ulong)t.Nanos;
        }
        var now = (ulong)(DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
        (msg.TimeoutHeight, msg.TimeoutTimestamp) = Absolute(msg.TimeoutHeight, msg.TimeoutTimestamp, latest, consensusTime, now);
    }
}
