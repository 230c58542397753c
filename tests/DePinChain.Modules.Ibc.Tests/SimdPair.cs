using System.Text.Json.Nodes;
using DePinChain.Protos.Ibc.Core.Commitment.V1;
using DePinChain.Protos.Ics23;
using Google.Protobuf;

namespace DePinChain.Modules.Ibc.Tests;

/// <summary>The ibc-go v8.8.0 recording of two simd chains (Fixtures/simd-pair, see its README): stored IBC state with
/// its abci_query proofs at height 221, the commits (app hashes) proofs verify against, and the relayed txs.</summary>
internal static class SimdPair
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Fixtures", "simd-pair");

    public static JsonNode Load(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, file)))!;

    public static IEnumerable<string> StateFiles(string chain)
        => Directory.GetFiles(Dir, $"{chain}-state-*-h221.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    /// <summary>The app hash of a chain's block (the root of the state after block height-1).</summary>
    public static byte[] AppHash(string chain, long height)
        => Convert.FromHexString(Load($"{chain}-commit-h{height}.json")["result"]!["signed_header"]!["header"]!["app_hash"]!.GetValue<string>());

    /// <summary>An abci_query answer: key, value (null when absent) and its two proof ops as one MerkleProof.</summary>
    public static (byte[] Key, byte[]? Value, MerkleProof Proof) State(string file)
    {
        var response = Load(file)["result"]!["response"]!;
        var key = Convert.FromBase64String(response["key"]!.GetValue<string>());
        var valueText = response["value"]?.GetValue<string>();
        byte[]? value = string.IsNullOrEmpty(valueText) ? null : Convert.FromBase64String(valueText);
        var proof = new MerkleProof();
        foreach (var op in response["proofOps"]!["ops"]!.AsArray())
            proof.Proofs.Add(CommitmentProof.Parser.ParseFrom(Convert.FromBase64String(op!["data"]!.GetValue<string>())));
        return (key, value, proof);
    }

    /// <summary>The raw tx bytes of a recorded /tx answer.</summary>
    public static byte[] TxBytes(string file) => Convert.FromBase64String(Load(file)["result"]!["tx"]!.GetValue<string>());

    public static ByteString Base64(string text) => ByteString.FromBase64(text);
}
