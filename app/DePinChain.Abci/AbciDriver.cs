using DePinChain.Protos.Abci;

namespace DePinChain.Abci;

/// <summary>
/// Drives an ABCI application over the socket protocol as CometBFT v0.38 does: four connections
/// (query, snapshot, mempool, consensus, opened in that order), each request sent on the
/// connection CometBFT would use. For tests and tools.
/// </summary>
/// <remarks>
/// The <c>...Async</c> methods send one request plus a Flush and return its response. For
/// pipelining, pass <c>flush: false</c> to <see cref="CheckTxAsync"/> many times and then call
/// <see cref="AbciClientConnection.FlushAsync"/> on <see cref="Mempool"/>. A ResponseException
/// surfaces as <see cref="AbciApplicationException"/>; a response of the wrong kind as
/// <see cref="AbciProtocolException"/>.
/// </remarks>
public sealed class AbciDriver : IAsyncDisposable
{
    private AbciDriver(AbciClientConnection query, AbciClientConnection snapshot,
        AbciClientConnection mempool, AbciClientConnection consensus)
    {
        Query = query;
        Snapshot = snapshot;
        Mempool = mempool;
        Consensus = consensus;
    }

    public AbciClientConnection Query { get; }
    public AbciClientConnection Snapshot { get; }
    public AbciClientConnection Mempool { get; }
    public AbciClientConnection Consensus { get; }

    /// <summary>
    /// Opens the four connections. While the server is not listening yet, retries every
    /// <paramref name="retryInterval"/> (CometBFT uses 3 s) until <paramref name="cancellationToken"/> fires;
    /// with no interval, a refused connection fails at once.
    /// </summary>
    public static async Task<AbciDriver> ConnectAsync(string address, CancellationToken cancellationToken = default,
        TimeSpan? retryInterval = null)
    {
        var opened = new List<AbciClientConnection>(4);
        try
        {
            for (int i = 0; i < 4; i++)
            {
                opened.Add(await ConnectOneAsync(address, retryInterval, cancellationToken).ConfigureAwait(false));
            }
        }
        catch
        {
            foreach (AbciClientConnection connection in opened)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
        return new AbciDriver(opened[0], opened[1], opened[2], opened[3]);
    }

    private static async Task<AbciClientConnection> ConnectOneAsync(string address, TimeSpan? retryInterval, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await AbciClientConnection.ConnectAsync(address, cancellationToken).ConfigureAwait(false);
            }
            catch (System.Net.Sockets.SocketException) when (retryInterval is { } interval)
            {
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Query connection.
    public async Task<ResponseEcho> EchoAsync(string message, CancellationToken cancellationToken = default) =>
        (await Query.SendAsync(new Request { Echo = new RequestEcho { Message = message } }, cancellationToken).ConfigureAwait(false)).Echo;

    public async Task<ResponseInfo> InfoAsync(RequestInfo request, CancellationToken cancellationToken = default) =>
        (await Query.SendAsync(new Request { Info = request }, cancellationToken).ConfigureAwait(false)).Info;

    public async Task<ResponseQuery> QueryAsync(RequestQuery request, CancellationToken cancellationToken = default) =>
        (await Query.SendAsync(new Request { Query = request }, cancellationToken).ConfigureAwait(false)).Query;

    // Mempool connection.
    /// <param name="flush">False queues the request only; it completes after a later <c>Mempool.FlushAsync()</c>.</param>
    public async Task<ResponseCheckTx> CheckTxAsync(RequestCheckTx request, bool flush = true, CancellationToken cancellationToken = default)
    {
        var wrapped = new Request { CheckTx = request };
        Response response = flush
            ? await Mempool.SendAsync(wrapped, cancellationToken).ConfigureAwait(false)
            : await Mempool.Send(wrapped).WaitAsync(cancellationToken).ConfigureAwait(false);
        return response.CheckTx;
    }

    // Consensus connection.
    public async Task<ResponseInitChain> InitChainAsync(RequestInitChain request, CancellationToken cancellationToken = default) =>
        (await Consensus.SendAsync(new Request { InitChain = request }, cancellationToken).ConfigureAwait(false)).InitChain;

    public async Task<ResponsePrepareProposal> PrepareProposalAsync(RequestPrepareProposal request, CancellationToken cancellationToken = default) =>
        (await Consensus.SendAsync(new Request { PrepareProposal = request }, cancellationToken).ConfigureAwait(false)).PrepareProposal;

    public async Task<ResponseProcessProposal> ProcessProposalAsync(RequestProcessProposal request, CancellationToken cancellationToken = default) =>
        (await Consensus.SendAsync(new Request { ProcessProposal = request }, cancellationToken).ConfigureAwait(false)).ProcessProposal;

    public async Task<ResponseExtendVote> ExtendVoteAsync(RequestExtendVote request, CancellationToken cancellationToken = default) =>
        (await Consensus.SendAsync(new Request { ExtendVote = request }, cancellationToken).ConfigureAwait(false)).ExtendVote;

    public async Task<ResponseVerifyVoteExtension> VerifyVoteExtensionAsync(RequestVerifyVoteExtension request, CancellationToken cancellationToken = default) =>
        (await Consensus.SendAsync(new Request { VerifyVoteExtension = request }, cancellationToken).ConfigureAwait(false)).VerifyVoteExtension;

    public async Task<ResponseFinalizeBlock> FinalizeBlockAsync(RequestFinalizeBlock request, CancellationToken cancellationToken = default) =>
        (await Consensus.SendAsync(new Request { FinalizeBlock = request }, cancellationToken).ConfigureAwait(false)).FinalizeBlock;

    public async Task<ResponseCommit> CommitAsync(CancellationToken cancellationToken = default) =>
        (await Consensus.SendAsync(new Request { Commit = new RequestCommit() }, cancellationToken).ConfigureAwait(false)).Commit;

    // Snapshot connection.
    public async Task<ResponseListSnapshots> ListSnapshotsAsync(CancellationToken cancellationToken = default) =>
        (await Snapshot.SendAsync(new Request { ListSnapshots = new RequestListSnapshots() }, cancellationToken).ConfigureAwait(false)).ListSnapshots;

    public async Task<ResponseOfferSnapshot> OfferSnapshotAsync(RequestOfferSnapshot request, CancellationToken cancellationToken = default) =>
        (await Snapshot.SendAsync(new Request { OfferSnapshot = request }, cancellationToken).ConfigureAwait(false)).OfferSnapshot;

    public async Task<ResponseLoadSnapshotChunk> LoadSnapshotChunkAsync(RequestLoadSnapshotChunk request, CancellationToken cancellationToken = default) =>
        (await Snapshot.SendAsync(new Request { LoadSnapshotChunk = request }, cancellationToken).ConfigureAwait(false)).LoadSnapshotChunk;

    public async Task<ResponseApplySnapshotChunk> ApplySnapshotChunkAsync(RequestApplySnapshotChunk request, CancellationToken cancellationToken = default) =>
        (await Snapshot.SendAsync(new Request { ApplySnapshotChunk = request }, cancellationToken).ConfigureAwait(false)).ApplySnapshotChunk;

    /// <summary>
    /// FinalizeBlock then Commit: how CometBFT replays a stored block during the handshake, and
    /// the tail of every height.
    /// </summary>
    public async Task<(ResponseFinalizeBlock Finalize, ResponseCommit Commit)> FinalizeAndCommitAsync(
        RequestFinalizeBlock request, CancellationToken cancellationToken = default)
    {
        ResponseFinalizeBlock finalize = await FinalizeBlockAsync(request, cancellationToken).ConfigureAwait(false);
        ResponseCommit commit = await CommitAsync(cancellationToken).ConfigureAwait(false);
        return (finalize, commit);
    }

    public async ValueTask DisposeAsync()
    {
        await Consensus.DisposeAsync().ConfigureAwait(false);
        await Mempool.DisposeAsync().ConfigureAwait(false);
        await Snapshot.DisposeAsync().ConfigureAwait(false);
        await Query.DisposeAsync().ConfigureAwait(false);
    }
}
