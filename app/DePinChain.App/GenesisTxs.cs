using System.Text.Json;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DePinChain.App;

/// <summary>
/// The genesis txs of <c>app_state.genutil.gen_txs</c> (the SDK's x/genutil): signed txs in the SDK's JSON, each
/// re-encoded to the bytes it was signed as (body and auth info in field order, as every encoder of ours writes them).
/// </summary>
public static class GenesisTxs
{
    /// <summary>The app_state section that holds them (the SDK's x/genutil): <c>{"gen_txs": [tx JSON, ...]}</c>.</summary>
    public const string Section = "genutil";

    /// <exception cref="InvalidOperationException">The section is not <c>{"gen_txs": [...]}</c> or a tx does not parse.</exception>
    public static IReadOnlyList<byte[]> Read(string sectionJson, AppModules modules)
    {
        var parser = new CosmosJson(TypesOf(modules.Modules));
        var result = new List<byte[]>();
        using var doc = JsonDocument.Parse(sectionJson);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw new InvalidOperationException("app_state.genutil must be an object");
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            if (property.Name != "gen_txs") throw new InvalidOperationException($"app_state.genutil has an unknown field \"{property.Name}\"");
            if (property.Value.ValueKind != JsonValueKind.Array) throw new InvalidOperationException("app_state.genutil.gen_txs must be an array");
            int i = 0;
            foreach (var element in property.Value.EnumerateArray())
            {
                Tx tx;
                try { tx = parser.Parse<Tx>(element.GetRawText()); }
                catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException or InvalidOperationException)
                {
                    throw new InvalidOperationException($"app_state.genutil.gen_txs[{i}] is not a tx: {e.Message}", e);
                }
                result.Add(ToRawBytes(tx));
                i++;
            }
        }
        return result;
    }

    /// <summary>The bytes a signed tx travels as (TxRaw), re-encoding body and auth info exactly as signed (the CLI's
    /// signed-tx files use it too).</summary>
    public static byte[] ToRawBytes(Tx tx)
    {
        var raw = new TxRaw
        {
            BodyBytes = tx.Body?.ToByteString() ?? ByteString.Empty,
            AuthInfoBytes = tx.AuthInfo?.ToByteString() ?? ByteString.Empty,
        };
        raw.Signatures.AddRange(tx.Signatures);
        return raw.ToByteArray();
    }

    /// <summary>Every message of the modules' proto files (what a tx or a query answer may pack in an Any), accounts and
    /// keys: the types tx JSON resolves its <c>@type</c>s with (genesis txs here, the CLI's tx files and answers).</summary>
    public static TypeRegistry TypesOf(IEnumerable<IModule> modules) => TypeRegistry.FromFiles(
        [.. modules
            .SelectMany(m => m.MsgServices.Concat(m.QueryServices).Select(service => service.File))
            .Concat(modules.OfType<IAnyTypeFiles>().SelectMany(m => m.AnyTypeFiles))
            .OfType<FileDescriptor>()
            .Append(DePinChain.Protos.Cosmos.Auth.V1Beta1.BaseAccount.Descriptor.File)
            .Append(DePinChain.Protos.Cosmos.Crypto.Secp256k1.PubKey.Descriptor.File)
            .Append(DePinChain.Protos.Cosmos.Crypto.Ed25519.PubKey.Descriptor.File)
            .Distinct()]);
}
