using System.Buffers;

namespace DePinChain.Abci.Tests;

/// <summary>
/// The recorded CometBFT v0.38.25 ↔ kvstore socket traffic (Fixtures/cometbft-v0.38.25-kvstore, copied to the test
/// output): each file is one connection direction, a sequence of varint-length-prefixed Request or Response frames.
/// </summary>
internal static class Conformance
{
    public const string DataSetName = "cometbft-v0.38.25-kvstore";

    /// <summary>Frame counts per file prefix, as recorded (same in both directions).</summary>
    public static readonly IReadOnlyDictionary<string, int> FrameCounts = new Dictionary<string, int>
    {
        ["run1-query"] = 8,
        ["run1-mempool"] = 30,
        ["run1-consensus"] = 198,
        ["run2-query"] = 3,
        ["run2-mempool"] = 14,
        ["run2-consensus"] = 122,
    };

    public static TheoryData<string> Prefixes() => new(FrameCounts.Keys);

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string prefix in FrameCounts.Keys)
        {
            data.Add(prefix + ".requests.bin");
            data.Add(prefix + ".responses.bin");
        }
        return data;
    }

    public static string Directory { get; } = Locate();

    public static byte[] Read(string fileName) => File.ReadAllBytes(Path.Combine(Directory, fileName));

    public static string PrefixOf(string fileName) => fileName[..fileName.IndexOf('.', StringComparison.Ordinal)];

    /// <summary>Splits a whole file into frame payloads with the production framing code.</summary>
    public static List<byte[]> SplitFrames(byte[] file)
    {
        var frames = new List<byte[]>();
        var buffer = new ReadOnlySequence<byte>(file);
        while (AbciFraming.TryReadFrame(ref buffer, AbciFraming.DefaultMaxFrameBytes, out ReadOnlySequence<byte> payload))
        {
            frames.Add(payload.ToArray());
        }
        Assert.True(buffer.IsEmpty, $"{buffer.Length} trailing bytes do not form a whole frame");
        return frames;
    }

    private static string Locate()
    {
        string directory = Path.Combine(AppContext.BaseDirectory, "Fixtures", DataSetName);
        return System.IO.Directory.Exists(directory)
            ? directory
            : throw new DirectoryNotFoundException($"Conformance data '{DataSetName}' is not in the test output ({directory}).");
    }
}
