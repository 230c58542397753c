using Google.Protobuf;

namespace DePinChain.Modules.Transfer;

/// <summary>
/// ibc.applications.transfer.v1.Params: whether this chain sends and receives ICS-20 transfers at all. Stored as that
/// message's protobuf bytes under "params".
/// </summary>
public readonly record struct TransferParams(bool SendEnabled, bool ReceiveEnabled)
{
    public static TransferParams Default => new(true, true);

    public byte[] ToBytes()
    {
        // bool send_enabled = 1; bool receive_enabled = 2 (proto3: false is not written).
        var bytes = new List<byte>(4);
        if (SendEnabled) bytes.AddRange([0x08, 0x01]);
        if (ReceiveEnabled) bytes.AddRange([0x10, 0x01]);
        return [.. bytes];
    }

    public static TransferParams FromBytes(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        bool send = false, receive = false;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (tag)
            {
                case 0x08: send = input.ReadBool(); break;
                case 0x10: receive = input.ReadBool(); break;
                default: input.SkipLastField(); break;
            }
        }
        return new TransferParams(send, receive);
    }
}

/// <summary>ibc.applications.transfer.v1.DenomTrace's protobuf bytes, the value stored under <c>0x02 ‖ hash</c>.</summary>
public static class DenomTraceCodec
{
    public static byte[] ToBytes(DenomTrace trace)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        if (trace.Path.Length > 0)
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString(trace.Path);
        }
        if (trace.BaseDenom.Length > 0)
        {
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteString(trace.BaseDenom);
        }
        output.Flush();
        return stream.ToArray();
    }

    public static DenomTrace FromBytes(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        string path = "", baseDenom = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: path = input.ReadString(); break;
                case 2: baseDenom = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        return new DenomTrace(path, baseDenom);
    }
}
