using System.Collections;
using DePinChain.Protos.Abci;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DePinChain.Abci.Tests;

public class GoldenProtoTests
{
    [Theory]
    [MemberData(nameof(Conformance.Files), MemberType = typeof(Conformance))]
    public void Every_recorded_frame_parses_and_re_encodes_to_the_same_bytes(string fileName)
    {
        List<byte[]> frames = Conformance.SplitFrames(Conformance.Read(fileName));
        bool requests = fileName.Contains(".requests.", StringComparison.Ordinal);

        for (int i = 0; i < frames.Count; i++)
        {
            IMessage message = requests ? Request.Parser.ParseFrom(frames[i]) : Response.Parser.ParseFrom(frames[i]);
            AssertNoUnknownFields(message, $"{fileName} frame {i}");
            Assert.True(frames[i].AsSpan().SequenceEqual(message.ToByteArray()), $"{fileName} frame {i} re-encodes differently");
            if (message is Request request)
            {
                Assert.NotEqual(Request.ValueOneofCase.None, request.ValueCase);
            }
            else
            {
                Assert.NotEqual(Response.ValueOneofCase.None, ((Response)message).ValueCase);
            }
        }
    }

    [Fact]
    public void The_recorded_traffic_uses_every_consensus_request_kind_we_model()
    {
        var seen = new HashSet<Request.ValueOneofCase>();
        foreach (string prefix in Conformance.FrameCounts.Keys)
        {
            foreach (byte[] frame in Conformance.SplitFrames(Conformance.Read(prefix + ".requests.bin")))
            {
                seen.Add(Request.Parser.ParseFrom(frame).ValueCase);
            }
        }
        Request.ValueOneofCase[] expected =
        [
            Request.ValueOneofCase.Flush, Request.ValueOneofCase.Info, Request.ValueOneofCase.InitChain,
            Request.ValueOneofCase.Query, Request.ValueOneofCase.CheckTx, Request.ValueOneofCase.PrepareProposal,
            Request.ValueOneofCase.ProcessProposal, Request.ValueOneofCase.ExtendVote,
            Request.ValueOneofCase.FinalizeBlock, Request.ValueOneofCase.Commit,
        ];
        Assert.All(expected, kind => Assert.Contains(kind, seen));
    }

    private static void AssertNoUnknownFields(IMessage message, string where)
    {
        // Generated messages keep unparsed fields in a private _unknownFields; a null there means
        // every field on the wire matched one of ours.
        var field = message.GetType().GetField("_unknownFields", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance);
        Assert.NotNull(field);
        Assert.True(field.GetValue(message) is null, $"{where}: unknown fields in {message.Descriptor.FullName}");

        foreach (FieldDescriptor descriptor in message.Descriptor.Fields.InDeclarationOrder())
        {
            if (descriptor.FieldType != FieldType.Message)
            {
                continue;
            }
            object? value = descriptor.Accessor.GetValue(message);
            if (descriptor.IsRepeated)
            {
                foreach (object item in (IEnumerable)value!)
                {
                    AssertNoUnknownFields((IMessage)item, where);
                }
            }
            else if (value is IMessage child && (descriptor.ContainingOneof is null || descriptor.Accessor.HasValue(message)))
            {
                AssertNoUnknownFields(child, where);
            }
        }
    }
}
