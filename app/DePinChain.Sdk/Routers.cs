using Google.Protobuf;
using Google.Protobuf.Reflection;

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

    /// <summary>The bech32 addresses that must sign, in order (from the message's <c>cosmos.msg.v1.signer</c> option).</summary>
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

/// <summary>
/// Message routes by type URL. Modules register explicitly; nothing is discovered by reflection. Who signs a message
/// is read from its <c>cosmos.msg.v1.signer</c> proto option, and <see cref="CheckServes"/> holds the routes to the
/// modules' proto <c>service Msg</c> declarations.
/// </summary>
public sealed class MsgRouter
{
    private readonly Dictionary<string, MsgRoute> _routes = new(StringComparer.Ordinal);

    public static string TypeUrlOf(IMessage message) => "/" + message.Descriptor.FullName;

    /// <param name="signatureChecks">Optional: the message's stateless signature checks, a pure function of the message
    /// and the chain id. The handler must then get those verdicts from <see cref="Context.Signatures"/> (for checks equal
    /// to these), which lets the app verify them on other cores before the message runs.</param>
    /// <exception cref="InvalidOperationException">The message is registered twice or declares no signer.</exception>
    public void Register<TMsg>(
        MessageParser<TMsg> parser,
        Action<TMsg> validateBasic,
        Func<Context, TMsg, IMessage> handle,
        Func<TMsg, string, IReadOnlyList<SignatureCheck>>? signatureChecks = null)
        where TMsg : IMessage<TMsg>
    {
        var descriptor = parser.ParseFrom(ByteString.Empty).Descriptor;
        string typeUrl = "/" + descriptor.FullName;
        if (_routes.ContainsKey(typeUrl)) throw new InvalidOperationException($"message {typeUrl} is registered twice");
        _routes.Add(typeUrl, new MsgRoute(
            typeUrl,
            bytes => parser.ParseFrom(bytes.Span),
            MsgSigners.For(descriptor),
            msg => validateBasic((TMsg)msg),
            (ctx, msg) => handle(ctx, (TMsg)msg),
            signatureChecks is null ? null : (msg, chainId) => signatureChecks((TMsg)msg, chainId)));
    }

    public MsgRoute? Find(string typeUrl) => _routes.GetValueOrDefault(typeUrl);

    /// <summary>Every registered type URL, sorted.</summary>
    public IEnumerable<string> TypeUrls => _routes.Keys.Order(StringComparer.Ordinal);

    /// <summary>Throws unless every rpc of <paramref name="service"/> (a <c>service Msg</c>) has a route for its request message.</summary>
    public void CheckServes(ServiceDescriptor service)
    {
        foreach (var method in service.Methods)
            if (!_routes.ContainsKey("/" + method.InputType.FullName))
                throw new InvalidOperationException($"{service.FullName}/{method.Name} is declared but {method.InputType.FullName} has no handler");
    }
}

/// <summary>One gRPC query method served over ABCI Query: protobuf request bytes in, response bytes out.</summary>
public sealed class QueryRoute(MethodDescriptor method, Func<Context, ByteString, IMessage> handle)
{
    /// <summary>The gRPC method path, e.g. /cosmos.bank.v1beta1.Query/Balance.</summary>
    public string Path { get; } = QueryRouter.PathOf(method);

    /// <summary>The proto method: request and response types, and its comments through the descriptors.</summary>
    public MethodDescriptor Method { get; } = method;

    /// <exception cref="SdkError">Bad request or not found.</exception>
    public byte[] Handle(Context ctx, ByteString request) => handle(ctx, request).ToByteArray();
}

/// <summary>Query routes by gRPC method path, e.g. /cosmos.bank.v1beta1.Query/Balance, registered per proto service.</summary>
public sealed class QueryRouter
{
    private readonly Dictionary<string, QueryRoute> _routes = new(StringComparer.Ordinal);

    public static string PathOf(MethodDescriptor method) => $"/{method.Service.FullName}/{method.Name}";

    /// <summary>Registers the methods of one proto <c>service Query</c>: names and types come from its descriptor.</summary>
    public ServiceRegistrar For(ServiceDescriptor service) => new(this, service);

    public QueryRoute? Find(string path) => _routes.GetValueOrDefault(path);

    public IEnumerable<string> Paths => _routes.Keys.Order(StringComparer.Ordinal);

    /// <summary>Throws unless every rpc of <paramref name="service"/> has a route.</summary>
    public void CheckServes(ServiceDescriptor service)
    {
        foreach (var method in service.Methods)
            if (!_routes.ContainsKey(PathOf(method)))
                throw new InvalidOperationException($"{PathOf(method)} is declared but has no handler");
    }

    /// <summary>Adds the routes of one service, checking each against the service's declaration.</summary>
    public readonly struct ServiceRegistrar(QueryRouter router, ServiceDescriptor service)
    {
        /// <exception cref="InvalidOperationException">The service has no such method, its types differ, or it is registered twice.</exception>
        public ServiceRegistrar Register<TReq, TResp>(string methodName, MessageParser<TReq> parser, Func<Context, TReq, TResp> handle)
            where TReq : IMessage<TReq>
            where TResp : IMessage<TResp>
        {
            var method = service.FindMethodByName(methodName)
                ?? throw new InvalidOperationException($"{service.FullName} declares no method {methodName}");
            var requestType = parser.ParseFrom(ByteString.Empty).Descriptor;
            if (method.InputType != requestType)
                throw new InvalidOperationException($"{service.FullName}/{methodName} takes {method.InputType.FullName}, not {requestType.FullName}");
            // The response type is checked once here, not per call: TResp is fixed by the handler's signature.
            var responseType = ((IMessage)Activator.CreateInstance<TResp>()).Descriptor;
            if (method.OutputType != responseType)
                throw new InvalidOperationException($"{service.FullName}/{methodName} returns {method.OutputType.FullName}, not {responseType.FullName}");
            string path = PathOf(method);
            if (router._routes.ContainsKey(path)) throw new InvalidOperationException($"query {path} is registered twice");
            router._routes.Add(path, new QueryRoute(method, (ctx, bytes) =>
            {
                TReq request;
                try { request = parser.ParseFrom(bytes); }
                catch (InvalidProtocolBufferException e) { throw SdkErrors.InvalidRequest($"cannot decode {path} request: {e.Message}"); }
                return handle(ctx, request);
            }));
            return this;
        }
    }
}
