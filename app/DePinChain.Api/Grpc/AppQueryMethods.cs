using System.Globalization;
using DePinChain.App;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace DePinChain.Api.Grpc;

/// <summary>
/// The service type every served method is bound to. The protos are generated without service stubs, so there is no
/// generated base class to derive from: <see cref="AppQueryMethodProvider"/> adds one unary method per rpc of each
/// descriptor, with the raw protobuf bytes as request and response, and each call lands in <see cref="HandleAsync"/>.
/// </summary>
public sealed class AppQueryEndpoint(GrpcApi api)
{
    internal Task<byte[]> HandleAsync(string path, byte[] request, ServerCallContext context)
    {
        long height = RequestedHeight(context.RequestHeaders);
        // The call's request bytes are ours for the call: no copy into the ByteString.
        AppQueryResult result = api.Answer(path, UnsafeByteOperations.UnsafeWrap(request), height);
        // Set, not written: the header goes out with the answer (or the error's trailers-only response) instead of in
        // a response-headers frame flushed ahead of it (WriteResponseHeadersAsync flushes one per call).
        context.GetHttpContext().Response.Headers[GrpcApi.BlockHeightHeader] = result.Height.ToString(CultureInfo.InvariantCulture);
        if (result.Code != 0) throw new RpcException(new Status(GrpcStatusMap.For(result), result.Log));
        return Task.FromResult(result.Value.ToByteArray());
    }

    /// <summary>The <c>x-cosmos-block-height</c> request header: absent, empty or 0 = latest; anything but a non-negative
    /// integer is InvalidArgument (the SDK's answer to a bad height header).</summary>
    internal static long RequestedHeight(Metadata headers)
    {
        string? text = headers.GetValue(GrpcApi.BlockHeightHeader);
        if (string.IsNullOrEmpty(text)) return 0;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long height)
            ? height
            : throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"invalid height header \"{GrpcApi.BlockHeightHeader}: {text}\": want a non-negative integer"));
    }
}

/// <summary>Binds every rpc of <see cref="GrpcApi.Services"/> from its descriptor (Grpc.AspNetCore's method-provider API).</summary>
public sealed class AppQueryMethodProvider(GrpcApi api) : IServiceMethodProvider<AppQueryEndpoint>
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(bytes => bytes, bytes => bytes);

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<AppQueryEndpoint> context)
    {
        foreach (var method in api.Services.SelectMany(s => s.Methods))
        {
            if (method.IsClientStreaming || method.IsServerStreaming)
                throw new InvalidOperationException($"{GrpcApi.PathOf(method)} streams; only unary queries are served");
            string path = GrpcApi.PathOf(method);
            if (Comet.CometServices.Serves(path)) continue; // bound by CometMethodProvider
            context.AddUnaryMethod(new Method<byte[], byte[]>(MethodType.Unary, method.Service.FullName, method.Name, Bytes, Bytes), [],
                (endpoint, request, call) => endpoint.HandleAsync(path, request, call));
        }
    }
}
