using Google.Protobuf;

namespace DePinChain.Sdk;

/// <summary>
/// A module's params: one proto message under one one-byte key of the module's store. Until genesis writes them (or
/// for a module added to a running chain), reads give the module's defaults.
/// </summary>
/// <param name="store">The module's store name.</param>
/// <param name="key">The params key (the module's Keys file names it).</param>
/// <param name="defaults">The module's default params (a new message each call: callers may change what they get).</param>
public sealed class ParamsStore<TParams>(string store, byte key, MessageParser<TParams> parser, Func<TParams> defaults)
    where TParams : IMessage<TParams>
{
    private readonly byte[] _key = [key];

    public TParams Get(Context ctx)
    {
        var bytes = ctx.KVStore(store).Get(_key);
        // The span overload parses without a CodedInputStream: auth's params are read on every tx.
        return bytes is null ? defaults() : parser.ParseFrom(new ReadOnlySpan<byte>(bytes));
    }

    public void Set(Context ctx, TParams value) => ctx.KVStore(store).Set(_key, value.ToByteArray());
}
