using Google.Protobuf;
using Google.Protobuf.Reflection;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace DePinChain.Api.Tests;

/// <summary>Server reflection as grpcurl uses it (v1 first, then v1alpha), spoken over Grpc.Net.Client.</summary>
public sealed class ReflectionTests(GrpcChainFixture fixture) : IClassFixture<GrpcChainFixture>
{
    private List<string> Served => [.. fixture.Server.Services.Select(s => s.FullName).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Reflection_v1_lists_exactly_the_served_services()
    {
        var client = new V1.ServerReflection.ServerReflectionClient(fixture.Channel);
        using var call = client.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { ListServices = "" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var listed = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        await call.RequestStream.CompleteAsync();
        Assert.Equal(Served, listed);
        Assert.Contains("cosmos.bank.v1beta1.Query", listed);
        Assert.Contains("grpc.reflection.v1.ServerReflection", listed);
        Assert.Contains("cosmos.base.tendermint.v1beta1.Service", listed);
        // 12 modules (IBC with three query services), the tx, node and tendermint services, the two reflections.
        Assert.Contains("ibc.applications.transfer.v1.Query", listed);
        Assert.Equal(14 + 3 + 2, listed.Count);
    }

    [Fact]
    public async Task Reflection_v1alpha_lists_the_same_services_and_describes_a_module_query_service()
    {
        var client = new V1Alpha.ServerReflection.ServerReflectionClient(fixture.Channel);
        using var call = client.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new V1Alpha.ServerReflectionRequest { ListServices = "" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(Served, call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal));

        // What `grpcurl describe depin.devices.v1.Query` asks: the file declaring the symbol (and its imports).
        await call.RequestStream.WriteAsync(new V1Alpha.ServerReflectionRequest { FileContainingSymbol = "depin.devices.v1.Query" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(bytes => FileDescriptorProto.Parser.ParseFrom(bytes)).ToList();
        await call.RequestStream.CompleteAsync();
        var declaring = Assert.Single(files, f => f.Service.Any(s => s.Name == "Query") && f.Package == "depin.devices.v1");
        Assert.Contains(declaring.Service.Single(s => s.Name == "Query").Method, m => m.Name == "Device");
    }
}
