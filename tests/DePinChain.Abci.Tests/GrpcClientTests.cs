using DePinChain.Protos.Abci;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;

namespace DePinChain.Abci.Tests;

/// <summary>
/// The ABCI gRPC server called by a real gRPC client (Grpc.Net.Client), as CometBFT's grpc-go client calls it: the
/// answers and status codes GrpcServerTests reads off the wire by hand, seen through a gRPC runtime.
/// </summary>
public sealed class GrpcClientTests : IAsyncLifetime
{
    private readonly TestKvApp _app = new();
    private readonly List<Exception> _fatal = [];
    private AbciGrpcServer _server = null!;
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _server = new AbciGrpcServer("tcp://127.0.0.1:0", _app, LoggerFactory.Create(_ => { }), e => { lock (_fatal) { _fatal.Add(e); } });
        await _server.StartAsync();
        _channel = GrpcChannel.ForAddress("http://" + AbciAddress.Parse(_server.ListenAddress).EndPoint);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Echo_Info_CheckTx_and_a_block_answer_as_over_the_wire()
    {
        Assert.Equal("hello", (await Call<RequestEcho, ResponseEcho>("Echo", new RequestEcho { Message = "hello" }, ResponseEcho.Parser)).Message);
        Assert.Equal("2.0.0", (await Call<RequestInfo, ResponseInfo>("Info", new RequestInfo(), ResponseInfo.Parser)).Version);
        Assert.Equal(0u, (await Call<RequestCheckTx, ResponseCheckTx>("CheckTx", RawClient.Tx("a=b"), ResponseCheckTx.Parser)).Code);
        ResponseFinalizeBlock block = await Call<RequestFinalizeBlock, ResponseFinalizeBlock>("FinalizeBlock",
            new RequestFinalizeBlock { Height = 1, Txs = { ByteString.CopyFromUtf8("x=1") } }, ResponseFinalizeBlock.Parser);
        Assert.Equal(0u, Assert.Single(block.TxResults).Code);
        await Call<RequestCommit, ResponseCommit>("Commit", new RequestCommit(), ResponseCommit.Parser);
        ResponseQuery query = await Call<RequestQuery, ResponseQuery>("Query", new RequestQuery { Data = ByteString.CopyFromUtf8("x") }, ResponseQuery.Parser);
        Assert.Equal("1", query.Value.ToStringUtf8());
    }

    [Fact]
    public async Task An_app_exception_is_INTERNAL_with_its_message()
    {
        _app.ThrowOn = nameof(IAbciApplication.CheckTx);
        _app.ThrowMessage = "50% done\nline é";

        var error = await Assert.ThrowsAsync<RpcException>(() => Call<RequestCheckTx, ResponseCheckTx>("CheckTx", RawClient.Tx("a=b"), ResponseCheckTx.Parser));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Equal("CheckTx: 50% done\nline é", error.Status.Detail);
        Assert.Empty(_fatal);
    }

    [Fact]
    public async Task A_failure_without_an_ABCI_error_path_is_INTERNAL_after_the_fatal_handler()
    {
        _app.ThrowOn = nameof(IAbciApplication.Commit);

        var error = await Assert.ThrowsAsync<RpcException>(() => Call<RequestCommit, ResponseCommit>("Commit", new RequestCommit(), ResponseCommit.Parser));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Single(_fatal);
    }

    [Fact]
    public async Task An_unknown_method_is_UNIMPLEMENTED()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Call<RequestEcho, ResponseEcho>("DeliverTx", new RequestEcho(), ResponseEcho.Parser));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal(0, _app.Calls);
    }

    private async Task<TResponse> Call<TRequest, TResponse>(string name, TRequest request, MessageParser<TResponse> parser)
        where TRequest : class, IMessage<TRequest> where TResponse : class, IMessage<TResponse>
    {
        var method = new Method<TRequest, TResponse>(MethodType.Unary, "tendermint.abci.ABCI", name,
            Marshallers.Create<TRequest>(m => m.ToByteArray(), _ => throw new NotSupportedException()),
            Marshallers.Create(_ => throw new NotSupportedException(), parser.ParseFrom));
        return await _channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(deadline: DateTime.UtcNow.Add(RawClient.HangGuard)), request);
    }
}
