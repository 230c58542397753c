using Google.Protobuf;

namespace DePinChain.Sdk;

/// <summary>How the app handles one message type, registered by the module that owns it.</summary>
public sealed class MsgRoute(
    string typeUrl,
    Func<ByteString, IMessage> decode,
    Func<IMessage, IReadOnlyList<string>> getSigners,
    Action<IMessage> validateBasic,
    Func<Context, IMessage, IMessage> handle,
    Func<IMessage, string, IReadOnlyList<SignatureCheck>>? signatureChecks = null)
{
    /// <summary>"/" + the message's full protobuf name, e.g. /cosmos.bank.v1beta1.MsgSend.</summary>
    public string TypeUrl { get; } = typeUrl;

    /// <exception cref="InvalidProtocolBufferException">The bytes are not this message.</exception>
    public IMessage Decode(ByteString value) => decode(value);

    /// <summary>The bech32 addresses that must sign, in order.</summary>
    public IReadOnlyList<string> GetSigners(IMessage msg) => getSigners(msg);

    /// <summary>Stateless checks; throws <see cref="SdkError"/>.</summary>
    public void ValidateBasic(IMessage msg) => validateBasic(msg);

    /// <summary>Executes the message on ctx's state and returns its response message.</summary>
    public IMessage Handle(Context ctx, IMessage msg) => handle(ctx, msg);

    /// <summary>True when the module declared the message's stateless signature checks.</summary>
    public bool HasSignatureChecks => signatureChecks is not null;

    /// <summary>
    /// The signature checks the handler will ask <see cref="Context.Signatures"/> about, for verifying ahead of
    /// execution (empty when none are declared). A pure function of the message and the chain id.
    /// </summary>
    /// <exception cref="Exception">Whatever the module's function throws for a malformed message (callers skip it;
    /// the handler reports the problem).</exception>
    public IReadOnlyList<SignatureCheck> SignatureChecks(IMessage msg, string chainId)
        => signatureChecks is null ? [] : signatureChecks(msg, chainId);
}

/// <summary>Message routes by type URL. Modules register explicitly; nothing is discovered by reflection.</summary>
public sealed class MsgRouter
{
    private readonly Dictionary<string, MsgRoute> _routes = new(StringComparer.Ordinal);

    public static string TypeUrlOf(IMessage message) => "/" + message.Descriptor.FullName;

    /// <param name="signatureChecks">Optional: the message's stateless signature checks, a pure function of the message
    /// and the chain id. The handler must then get those verdicts from <see cref="Context.Signatures"/> (for checks equal
    /// to these), which lets the app verify them on other cores before the message runs.</param>
    public void Register<TMsg>(
        MessageParser<TMsg> parser,
        Func<TMsg, IReadOnlyList<string>> getSigners,
        Action<TMsg> validateBasic,
        Func<Context, TMsg, IMessage> handle,
        Func<TMsg, string, IReadOnlyList<SignatureCheck>>? signatureChecks = null)
        where TMsg : IMessage<TMsg>
    {
        string typeUrl = "/" + parser.ParseFrom(ByteString.Empty).Descriptor.FullName;
        if (_routes.ContainsKey(typeUrl)) throw new InvalidOperationException($"message {typeUrl} is registered twice");
        _routes.Add(typeUrl, new MsgRoute(
            typeUrl,
            bytes => parser.ParseFrom(bytes.Span),
            msg => getSigners((TMsg)msg),
            msg => validateBasic((TMsg)msg),
            (ctx, msg) => handle(ctx, (TMsg)msg),
            signatureChecks is null ? null : (msg, chainId) => signatureChecks((TMsg)msg, chainId)));
    }

    public MsgRoute? Find(string typeUrl) => _routes.GetValueOrDefault(typeUrl);
}

/// <summary>One gRPC query method served over ABCI Query: protobuf request bytes in, response bytes out.</summary>
public sealed class QueryRoute(string path, Func<Context, ByteString, IMessage> handle)
{
    public string Path { get; } = path;

    /// <exception cref="SdkError">Bad request or not found.</exception>
    public byte[] Handle(Context ctx, ByteString request) => handle(ctx, request).ToByteArray();
}

/// <summary>Query routes by gRPC method path, e.g. /cosmos.bank.v1beta1.Query/Balance.</summary>
public sealed class QueryRouter
{
    private readonly Dictionary<string, QueryRoute> _routes = new(StringComparer.Ordinal);

    public void Register<TReq, TResp>(string path, MessageParser<TReq> parser, Func<Context, TReq, TResp> handle)
        where TReq : IMessage<TReq>
        where TResp : IMessage<TResp>
    {
        if (_routes.ContainsKey(path)) throw new InvalidOperationException($"query {path} is registered twice");
        _routes.Add(path, new QueryRoute(path, (ctx, bytes) =>
        {
            TReq request;
            try { request = parser.ParseFrom(bytes); }
            catch (InvalidProtocolBufferException e) { throw SdkErrors.InvalidRequest($"cannot decode {path} request: {e.Message}"); }
            return handle(ctx, request);
        }));
    }

    public QueryRoute? Find(string path) => _routes.GetValueOrDefault(path);

    public IEnumerable<string> Paths => _routes.Keys.Order(StringComparer.Ordinal);
}
