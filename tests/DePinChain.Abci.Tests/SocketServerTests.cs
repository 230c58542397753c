using System.Net.Sockets;
using DePinChain.Protos.Abci;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace DePinChain.Abci.Tests;

public class SocketServerTests
{
    [Theory]
    [MemberData(nameof(Conformance.Prefixes), MemberType = typeof(Conformance))]
    public async Task Replaying_recorded_requests_gives_the_recorded_response_kinds_in_order(string prefix)
    {
        await using var harness = SocketServerHarness.Start();
        byte[] requests = Conformance.Read(prefix + ".requests.bin");
        List<Response> recorded = Conformance.SplitFrames(Conformance.Read(prefix + ".responses.bin"))
            .Select(f => Response.Parser.ParseFrom(f)).ToList();

        using Socket socket = await RawClient.ConnectAsync(harness.Address);
        await socket.SendAsync(requests);
        socket.Shutdown(SocketShutdown.Send);
        List<Response> answered = RawClient.ParseResponses(await RawClient.ReadToEndAsync(socket));

        Assert.Equal(Conformance.FrameCounts[prefix], answered.Count);
        Assert.Equal(recorded.Select(r => r.ValueCase), answered.Select(r => r.ValueCase));
        for (int i = 0; i < recorded.Count; i++)
        {
            switch (recorded[i].ValueCase)
            {
                case Response.ValueOneofCase.Flush:
                case Response.ValueOneofCase.Echo:
                    Assert.Equal(recorded[i].ToByteArray(), answered[i].ToByteArray());
                    break;
                case Response.ValueOneofCase.CheckTx:
                    // The test app follows kvstore's rule: key=value passes, anything else is code 2.
                    Assert.Equal(recorded[i].CheckTx.Code, answered[i].CheckTx.Code);
                    break;
            }
        }
        Assert.Empty(harness.FatalErrors);
    }

    [Fact]
    public async Task CheckTx_and_Query_are_answered_while_a_slow_FinalizeBlock_runs()
    {
        using var hold = new ManualResetEventSlim(false);
        var app = new TestKvApp { HoldFinalizeBlock = hold };
        await using var harness = SocketServerHarness.Start(app: app);
        await using var driver = await AbciDriver.ConnectAsync(harness.Address);

        Task<ResponseFinalizeBlock> finalize = driver.FinalizeBlockAsync(new RequestFinalizeBlock { Height = 1 });
        await app.FinalizeBlockEntered.Task.WaitAsync(RawClient.HangGuard);

        ResponseCheckTx checkTx = await driver.CheckTxAsync(RawClient.Tx("a=b")).WaitAsync(RawClient.HangGuard);
        ResponseQuery query = await driver.QueryAsync(new RequestQuery { Data = ByteString.CopyFromUtf8("a") }).WaitAsync(RawClient.HangGuard);
        ResponseInfo info = await driver.InfoAsync(new RequestInfo()).WaitAsync(RawClient.HangGuard);

        Assert.False(finalize.IsCompleted);
        Assert.Equal(0u, checkTx.Code);
        Assert.Equal("does not exist", query.Log);
        Assert.Equal(0, info.LastBlockHeight);
        hold.Set();
        await finalize.WaitAsync(RawClient.HangGuard);
    }

    [Fact]
    public async Task Consensus_calls_from_several_connections_never_overlap()
    {
        var app = new TestKvApp { ConsensusDwellMilliseconds = 2 };
        await using var harness = SocketServerHarness.Start(app: app);
        var drivers = new List<AbciDriver>();
        for (int i = 0; i < 3; i++)
        {
            drivers.Add(await AbciDriver.ConnectAsync(harness.Address));
        }

        var work = drivers.Select(driver => Task.Run(async () =>
        {
            for (int height = 1; height <= 15; height++)
            {
                await driver.ProcessProposalAsync(new RequestProcessProposal { Height = height });
                await driver.FinalizeAndCommitAsync(new RequestFinalizeBlock { Height = height, Txs = { ByteString.CopyFromUtf8("k=v") } });
            }
        }));
        await Task.WhenAll(work).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, app.MaxConcurrentConsensusCalls);
        Assert.Equal(3 * 15 * 3, app.Calls);
        foreach (AbciDriver driver in drivers)
        {
            await driver.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_thousand_pipelined_CheckTx_come_back_in_order()
    {
        await using var harness = SocketServerHarness.Start();
        await using var driver = await AbciDriver.ConnectAsync(harness.Address);

        var pending = new List<Task<ResponseCheckTx>>();
        for (int i = 0; i < 1000; i++)
        {
            pending.Add(driver.CheckTxAsync(RawClient.Tx(i % 7 == 0 ? $"bad{i}" : $"k{i}=v"), flush: false));
        }
        Assert.Equal(1000, driver.Mempool.PendingCount);
        await driver.Mempool.FlushAsync().WaitAsync(RawClient.HangGuard);

        for (int i = 0; i < 1000; i++)
        {
            ResponseCheckTx response = await pending[i];
            Assert.Equal(i % 7 == 0 ? $"bad{i}" : $"k{i}=v", response.Data.ToStringUtf8());
            Assert.Equal(i % 7 == 0 ? 2u : 0u, response.Code);
        }
    }

    [Fact]
    public async Task Responses_wait_in_the_buffer_until_a_Flush_arrives()
    {
        await using var harness = SocketServerHarness.Start();
        using Socket socket = await RawClient.ConnectAsync(harness.Address);

        await socket.SendAsync(RawClient.Frame(RawClient.Echo("one")));
        await socket.SendAsync(RawClient.Frame(RawClient.Echo("two")));
        await socket.SendAsync(RawClient.Frame(RawClient.Flush()));
        socket.Shutdown(SocketShutdown.Send);
        List<Response> responses = RawClient.ParseResponses(await RawClient.ReadToEndAsync(socket));

        Assert.Equal(["one", "two"], responses.Take(2).Select(r => r.Echo.Message));
        Assert.Equal(Response.ValueOneofCase.Flush, responses[2].ValueCase);
        Assert.Equal(0, harness.App.Calls);
    }

    public static TheoryData<string, byte[]> BadInputs() => new()
    {
        { "truncated frame", [0x10, 0x1A, 0x02] },
        { "oversized length", [0xFF, 0xFF, 0xFF, 0xFF, 0x0F] },
        { "malformed varint", [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01] },
        { "garbage protobuf", [0x04, 0xFF, 0xFF, 0xFF, 0xFF] },
        { "empty request", [0x00] },
        { "unknown request kind", [0x02, 0x22, 0x00] }, // field 4 (v0.34 SetOption), empty
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_closes_that_connection_without_calling_the_app(string what, byte[] bytes)
    {
        await using var harness = SocketServerHarness.Start(options: new AbciServerOptions { MaxFrameBytes = 1 << 20 });
        using Socket bad = await RawClient.ConnectAsync(harness.Address);
        // A valid CheckTx queued behind the bad frame must never reach the app either.
        byte[] followUp = RawClient.Frame(new Request { CheckTx = RawClient.Tx("a=b") });

        await bad.SendAsync(what == "truncated frame" ? bytes : [.. bytes, .. followUp, .. RawClient.Frame(RawClient.Flush())]);
        if (what == "truncated frame")
        {
            bad.Shutdown(SocketShutdown.Send);
        }
        byte[] answer = await RawClient.ReadToEndAsync(bad);

        Assert.Empty(answer);
        Assert.Equal(0, harness.App.Calls);
        Assert.True(harness.Logger.Has(LogLevel.Warning, "Closing ABCI connection"), what);
        await using var driver = await AbciDriver.ConnectAsync(harness.Address);
        Assert.Equal("still here", (await driver.EchoAsync("still here")).Message);
        Assert.Equal(0u, (await driver.CheckTxAsync(RawClient.Tx("a=b"))).Code);
    }

    [Fact]
    public async Task A_unix_socket_works_and_a_stale_socket_file_is_replaced()
    {
        string path = Path.Combine(Path.GetTempPath(), $"abci-{Guid.NewGuid():N}.sock");
        await File.WriteAllTextAsync(path, "left over by a crashed run");
        try
        {
            await using var harness = SocketServerHarness.Start("unix://" + path);
            await using var driver = await AbciDriver.ConnectAsync(harness.Address);

            ResponseInfo info = await driver.InfoAsync(new RequestInfo { Version = "0.38.25" });
            ResponseCheckTx checkTx = await driver.CheckTxAsync(RawClient.Tx("x=y"));

            Assert.Equal("unix://" + path, harness.Address);
            Assert.Equal("2.0.0", info.Version);
            Assert.Equal(0u, checkTx.Code);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task An_app_failure_in_CheckTx_is_answered_with_an_exception_and_the_connection_goes_on()
    {
        var app = new TestKvApp { ThrowOn = nameof(IAbciApplication.CheckTx) };
        await using var harness = SocketServerHarness.Start(app: app);
        await using var driver = await AbciDriver.ConnectAsync(harness.Address);

        var error = await Assert.ThrowsAsync<AbciApplicationException>(() => driver.CheckTxAsync(RawClient.Tx("a=b")));
        app.ThrowOn = null;
        ResponseCheckTx next = await driver.CheckTxAsync(RawClient.Tx("a=b"));

        Assert.Contains("test app told to fail in CheckTx", error.Message, StringComparison.Ordinal);
        Assert.Equal(0u, next.Code);
        Assert.Empty(harness.FatalErrors);
    }

    [Theory]
    [InlineData(nameof(IAbciApplication.FinalizeBlock))]
    [InlineData(nameof(IAbciApplication.Commit))]
    [InlineData(nameof(IAbciApplication.Info))]
    public async Task An_app_failure_without_an_error_path_is_fatal_and_goes_unanswered(string kind)
    {
        var app = new TestKvApp { ThrowOn = kind };
        await using var harness = SocketServerHarness.Start(app: app);
        await using var driver = await AbciDriver.ConnectAsync(harness.Address);

        Task call = kind switch
        {
            nameof(IAbciApplication.FinalizeBlock) => driver.FinalizeBlockAsync(new RequestFinalizeBlock { Height = 1 }),
            nameof(IAbciApplication.Commit) => driver.CommitAsync(),
            _ => driver.InfoAsync(new RequestInfo()),
        };

        await Assert.ThrowsAsync<IOException>(() => call.WaitAsync(RawClient.HangGuard));
        Assert.Single(harness.FatalErrors);
        Assert.True(harness.Logger.Has(LogLevel.Critical, kind));
    }

    [Fact]
    public async Task After_a_fatal_failure_consensus_requests_are_refused()
    {
        var app = new TestKvApp { ThrowOn = nameof(IAbciApplication.FinalizeBlock) };
        await using var harness = SocketServerHarness.Start(app: app);
        await using (var first = await AbciDriver.ConnectAsync(harness.Address))
        {
            await Assert.ThrowsAsync<IOException>(() => first.FinalizeBlockAsync(new RequestFinalizeBlock { Height = 1 }));
        }
        app.ThrowOn = null;
        int callsBefore = app.Calls;
        await using var second = await AbciDriver.ConnectAsync(harness.Address);

        await Assert.ThrowsAsync<IOException>(() => second.CommitAsync());

        Assert.Equal(callsBefore, app.Calls);
    }

    [Fact]
    public async Task Stopping_closes_open_connections_and_the_listener()
    {
        var harness = SocketServerHarness.Start();
        string address = harness.Address;
        await using var driver = await AbciDriver.ConnectAsync(address);
        Assert.Equal("hi", (await driver.EchoAsync("hi")).Message);

        await harness.Server.StopAsync().WaitAsync(RawClient.HangGuard);

        await Assert.ThrowsAnyAsync<Exception>(() => driver.EchoAsync("again"));
        await Assert.ThrowsAsync<SocketException>(() => AbciClientConnection.ConnectAsync(address));
        await harness.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_serves_until_cancelled()
    {
        using var cancel = new CancellationTokenSource();
        var app = new TestKvApp();
        var server = new AbciSocketServer("tcp://127.0.0.1:0", app, new TestLogger<AbciSocketServer>(), _ => { });
        Task running = server.RunAsync(cancel.Token);
        await using (var driver = await AbciDriver.ConnectAsync(server.ListenAddress))
        {
            Assert.Equal(0, (await driver.InfoAsync(new RequestInfo())).LastBlockHeight);
        }

        await cancel.CancelAsync();
        await running.WaitAsync(RawClient.HangGuard);

        await server.DisposeAsync();
    }
}
