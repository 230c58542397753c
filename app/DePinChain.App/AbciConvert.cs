using System.Runtime.InteropServices;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using AbciEvent = DePinChain.Protos.Abci.Event;
using AbciEventAttribute = DePinChain.Protos.Abci.EventAttribute;

namespace DePinChain.App;

/// <summary>Between ABCI's protobuf types and the app's: events, block times, tx bytes.</summary>
internal static class AbciConvert
{
    /// <summary>A block time; none (genesis without one) is the Unix epoch.</summary>
    public static DateTimeOffset Time(Timestamp? time) => time is null ? DateTimeOffset.UnixEpoch : time.ToDateTimeOffset();

    /// <summary>The bytes a ByteString holds, without a copy when it can (<see cref="ByteStrings.ArrayOf"/>). Tx bytes are only read, never written, so sharing them is safe.</summary>
    public static byte[] ArrayOf(ByteString bytes) => ByteStrings.ArrayOf(bytes);

    /// <summary>Validator set changes as CometBFT takes them (ed25519 keys).</summary>
    public static DePinChain.Protos.Abci.ValidatorUpdate[] ValidatorUpdates(IReadOnlyList<ValidatorPowerUpdate> updates)
        => [.. updates.Select(u => new DePinChain.Protos.Abci.ValidatorUpdate
        {
            PubKey = new DePinChain.Protos.Crypto.PublicKey { Ed25519 = ByteString.CopyFrom(u.Ed25519PubKey) },
            Power = u.Power,
        })];

    /// <summary>The module events as ABCI events, attributes marked for indexing as <paramref name="indexing"/> says.</summary>
    public static AbciEvent[] Events(IReadOnlyList<SdkEvent> events, EventIndexing indexing) => Events(events, [], indexing);

    /// <summary><paramref name="first"/> then <paramref name="then"/> converted, in one array.</summary>
    public static AbciEvent[] Events(IReadOnlyList<SdkEvent> first, IReadOnlyList<SdkEvent> then, EventIndexing indexing)
    {
        if (first.Count + then.Count == 0) return [];
        var result = new AbciEvent[first.Count + then.Count];
        ConvertInto(first, result, 0, indexing);
        ConvertInto(then, result, first.Count, indexing);
        return result;
    }

    private static void ConvertInto(IReadOnlyList<SdkEvent> events, AbciEvent[] into, int at, EventIndexing indexing)
    {
        for (int i = 0; i < events.Count; i++)
        {
            var e = new AbciEvent { Type = events[i].Type };
            var attributes = events[i].Attributes;
            e.Attributes.Capacity = attributes.Count;
            for (int a = 0; a < attributes.Count; a++)
                e.Attributes.Add(new AbciEventAttribute
                {
                    Key = attributes[a].Key, Value = attributes[a].Value,
                    Index = indexing.IndexesAll || indexing.IsIndexed(events[i].Type, attributes[a].Key),
                });
            into[at + i] = e;
        }
    }
}
