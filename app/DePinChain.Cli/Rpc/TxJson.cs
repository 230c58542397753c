using DePinChain.Cli.Commands;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Secp256k1PubKey = DePinChain.Protos.Cosmos.Crypto.Secp256k1.PubKey;

namespace DePinChain.Cli.Rpc;

/// <summary>Txs and query answers as the SDK's CLI prints them: proto JSON with proto field names and "@type" Anys.</summary>
public static class TxJson
{
    /// <summary>Every message of the modules' proto files (what a tx or a query answer may pack in an Any), accounts and keys.</summary>
    public static readonly TypeRegistry Types = TypeRegistry.FromFiles(
        [.. AutoCli.ServiceCommands.Modules
            .SelectMany(m => new[] { m.MsgService?.File, m.QueryService?.File })
            .OfType<FileDescriptor>()
            .Append(BaseAccount.Descriptor.File)
            .Append(Secp256k1PubKey.Descriptor.File)
            .Append(DePinChain.Protos.Cosmos.Crypto.Ed25519.PubKey.Descriptor.File)
            .Distinct()]);

    // Decimals as the SDK's CLI prints them ("0.100000000000000000"), not their wire digits.
    private static readonly DePinChain.Sdk.CosmosJson Json = new(Types);

    public static string Format(IMessage message) => Json.Format(message);

    public static Tx ParseTx(string json, string source)
    {
        try
        {
            return Json.Parse<Tx>(json);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException or InvalidOperationException)
        {
            throw new CliException($"{source}: not a tx in JSON ({e.Message.ReplaceLineEndings(" ")})");
        }
    }

    /// <summary>The bytes a signed <see cref="Tx"/> travels as (TxRaw), re-encoding body and auth info exactly as signed.</summary>
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
}
