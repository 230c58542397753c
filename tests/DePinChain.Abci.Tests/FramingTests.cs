using System.Buffers;
using System.IO.Pipelines;

namespace DePinChain.Abci.Tests;

public class FramingTests
{
    [Fact]
    public void The_recorded_traffic_is_read_from_the_repository_copy_in_the_test_output()
    {
        Assert.StartsWith(Path.Combine(AppContext.BaseDirectory, "Fixtures"), Conformance.Directory, StringComparison.Ordinal);
        Assert.Equal(Conformance.FrameCounts.Count * 2, Directory.GetFiles(Conformance.Directory, "*.bin").Length);
    }

    [Theory]
    [MemberData(nameof(Conformance.Files), MemberType = typeof(Conformance))]
    public void Splitting_a_recorded_file_gives_the_documented_frame_count(string fileName)
    {
        List<byte[]> frames = Conformance.SplitFrames(Conformance.Read(fileName));

        Assert.Equal(Conformance.FrameCounts[Conformance.PrefixOf(fileName)], frames.Count);
    }

    [Theory]
    [MemberData(nameof(Conformance.Files), MemberType = typeof(Conformance))]
    public async Task A_recorded_file_fed_one_byte_at_a_time_gives_the_same_frames(string fileName)
    {
        byte[] file = Conformance.Read(fileName);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        Task writer = Task.Run(async () =>
        {
            for (int i = 0; i < file.Length; i++)
            {
                await pipe.Writer.WriteAsync(file.AsMemory(i, 1));
            }
            await pipe.Writer.CompleteAsync();
        });

        var reader = new AbciFrameReader(pipe.Reader);
        var frames = new List<byte[]>();
        while (await reader.ReadFrameAsync() is { } frame)
        {
            frames.Add(frame);
        }
        await writer;

        List<byte[]> expected = Conformance.SplitFrames(file);
        Assert.Equal(expected.Count, frames.Count);
        Assert.Equal(Conformance.FrameCounts[Conformance.PrefixOf(fileName)], frames.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], frames[i]);
        }
    }

    [Fact]
    public void A_length_above_the_maximum_is_rejected_from_the_prefix_alone()
    {
        // Prefix says 1,000 bytes, cap is 999, no payload present yet: rejected without waiting for it.
        var buffer = new ReadOnlySequence<byte>([0xE8, 0x07]);

        var error = Assert.Throws<AbciProtocolException>(() => AbciFraming.TryReadFrame(ref buffer, 999, out _));
        Assert.Contains("1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_varint_of_eleven_bytes_is_malformed()
    {
        byte[] bytes = [.. Enumerable.Repeat((byte)0x80, 10), 0x01];
        var buffer = new ReadOnlySequence<byte>(bytes);

        var error = Assert.Throws<AbciProtocolException>(() => AbciFraming.TryReadFrame(ref buffer, int.MaxValue, out _));
        Assert.Contains("Malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_incomplete_prefix_or_payload_waits_for_more_bytes()
    {
        var prefixOnly = new ReadOnlySequence<byte>([0x80]);
        var shortPayload = new ReadOnlySequence<byte>([0x03, 0x0A, 0x01]);

        Assert.False(AbciFraming.TryReadFrame(ref prefixOnly, 100, out _));
        Assert.False(AbciFraming.TryReadFrame(ref shortPayload, 100, out _));
        Assert.Equal(3, shortPayload.Length);
    }

    [Fact]
    public async Task A_stream_ending_inside_a_frame_is_a_protocol_error()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0x05, 0x12, 0x00 });
        await pipe.Writer.CompleteAsync();

        var reader = new AbciFrameReader(pipe.Reader);

        await Assert.ThrowsAsync<AbciProtocolException>(async () => await reader.ReadFrameAsync());
    }

    [Fact]
    public void Written_frames_read_back_to_the_same_message()
    {
        var request = new DePinChain.Protos.Abci.Request { Echo = new() { Message = new string('x', 300) } };
        byte[] frame = AbciFraming.ToFrame(request);
        var buffer = new ReadOnlySequence<byte>(frame);

        Assert.True(AbciFraming.TryReadFrame(ref buffer, 1000, out ReadOnlySequence<byte> payload));
        Assert.True(buffer.IsEmpty);
        Assert.Equal(request, DePinChain.Protos.Abci.Request.Parser.ParseFrom(payload));
    }
}
