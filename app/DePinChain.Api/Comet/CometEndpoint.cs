using System.Globalization;
using DePinChain.Api.Grpc;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace DePinChain.Api.Comet;

/// <summary>The service type the CometBFT-backed methods (<see cref="CometServices.Paths"/>) are bound to.</summary>
public sealed class CometEndpoint(GrpcApi api)
{
    internal async Task<byte[]> HandleAsync(string path, byte[] request, ServerCallContext context)
    {
        // As in the SDK, every answer carries the height header: here the app's latest committed height (CometBFT
        // answers these from its own stores, so a requested height header selects nothing).
        await context.WriteResponseHeadersAsync(new Metadata
        {
            { GrpcApi.BlockHeightHeader, api.LatestHeight.ToString(CultureInfo.InvariantCulture) },
        }).ConfigureAwait(false);
        return await api.Comet.AnswerAsync(path, request, context.CancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Binds every method of <see cref="CometServices.Paths"/> from its descriptor, as <see cref="AppQueryMethodProvider"/>
/// binds the app queries (which leaves these out).</summary>
public sealed class CometMethodProvider(GrpcApi api) : IServiceMethodProvider<CometEndpoint>
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(bytes => bytes, bytes => bytes);

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<CometEndpoint> context)
    {
        foreach (var method in api.Services.SelectMany(s => s.Methods))
        {
            string path = GrpcApi.PathOf(method);
            if (!CometServices.Serves(path)) continue;
            context.AddUnaryMethod(new Method<byte[], byte[]>(MethodType.Unary, method.Service.FullName, method.Name, Bytes, Bytes), [],
                (endpoint, request, call) => endpoint.HandleAsync(path, request, call));
        }
    }
}
