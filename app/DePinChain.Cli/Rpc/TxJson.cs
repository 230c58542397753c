using DePinChain.Cli.Commands;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DePinChain.Cli.Rpc;

/// <summary>Txs and query answers as the SDK's CLI prints them: proto JSON with proto field names and "@type" Anys.</summary>
public static class TxJson
{
    /// <summary>Every message of the modules' proto files (what a tx or a query answer may pack in an Any), accounts and keys.</summary>
    public static readonly TypeRegistry Types = DePinChain.App.GenesisTxs.TypesOf(AutoCli.ServiceCommands.Modules);

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

    /// <summary>The bytes a signed <see cref="Tx"/> travels as (TxRaw): the app's own encoding, which genesis txs use too.</summary>
    public static byte[] ToRawBytes(Tx tx) => DePinChain.App.GenesisTxs.ToRawBytes(tx);
}
