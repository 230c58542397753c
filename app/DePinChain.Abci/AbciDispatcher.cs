using DePinChain.Protos.Abci;
using Microsoft.Extensions.Logging;

namespace DePinChain.Abci;

/// <summary>
/// Turns one <see cref="Request"/> into one <see cref="Response"/> by calling the application,
/// applying the two rules every transport shares: consensus requests run strictly one at a time,
/// and an exception from a request without an ABCI error path is fatal.
/// </summary>
/// <remarks>
/// CometBFT does not say which of its four connections is which, so the kind of request decides:
/// InitChain, PrepareProposal, ProcessProposal, ExtendVote, VerifyVoteExtension, FinalizeBlock and
/// Commit take the consensus lock; Info, Query, CheckTx and the snapshot requests do not.
/// </remarks>
internal sealed class AbciDispatcher
{
    private readonly IAbciApplication _app;
    private readonly ILogger _logger;
    private readonly Action<Exception> _fatalHandler;
    private readonly Lock _consensusLock = new();
    private volatile Exception? _fatal;

    public AbciDispatcher(IAbciApplication app, ILogger logger, Action<Exception> fatalHandler)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(fatalHandler);
        _app = app;
        _logger = logger;
        _fatalHandler = fatalHandler;
    }

    /// <summary>True once a fatal failure happened; consensus requests are refused from then on.</summary>
    public bool HasFailed => _fatal is not null;

    public static bool IsConsensusRequest(Request.ValueOneofCase kind) => kind is
        Request.ValueOneofCase.InitChain or Request.ValueOneofCase.PrepareProposal or
        Request.ValueOneofCase.ProcessProposal or Request.ValueOneofCase.ExtendVote or
        Request.ValueOneofCase.VerifyVoteExtension or Request.ValueOneofCase.FinalizeBlock or
        Request.ValueOneofCase.Commit;

    /// <summary>
    /// Requests with no error path in ABCI: answering them wrongly (or with an exception) would let
    /// the node go on from a state it cannot trust, so a failure there stops the process.
    /// </summary>
    public static bool IsFatalOnFailure(Request.ValueOneofCase kind) => kind is
        Request.ValueOneofCase.Info or Request.ValueOneofCase.InitChain or
        Request.ValueOneofCase.PrepareProposal or Request.ValueOneofCase.ProcessProposal or
        Request.ValueOneofCase.FinalizeBlock or Request.ValueOneofCase.Commit;

    /// <summary>
    /// The response to <paramref name="request"/>. Echo and Flush are answered here without the app.
    /// </summary>
    /// <exception cref="AbciProtocolException">The request has no known kind set.</exception>
    /// <exception cref="AbciFatalException">The app failed on a request that has no error path
    /// (the fatal handler has already run), or an earlier fatal failure stopped consensus.</exception>
    public Response Handle(Request request)
    {
        Request.ValueOneofCase kind = request.ValueCase;
        switch (kind)
        {
            case Request.ValueOneofCase.None:
                throw new AbciProtocolException("Request has no known kind set (empty or unknown oneof field).");
            case Request.ValueOneofCase.Echo:
                return new Response { Echo = new ResponseEcho { Message = request.Echo.Message } };
            case Request.ValueOneofCase.Flush:
                return new Response { Flush = new ResponseFlush() };
        }

        if (!IsConsensusRequest(kind))
        {
            return Invoke(request, kind);
        }
        lock (_consensusLock)
        {
            if (_fatal is { } earlier)
            {
                throw new AbciFatalException($"Refusing {kind}: the application already failed fatally.", earlier);
            }
            return Invoke(request, kind);
        }
    }

    private Response Invoke(Request request, Request.ValueOneofCase kind)
    {
        try
        {
            return Call(request, kind);
        }
        catch (Exception e) when (IsFatalOnFailure(kind))
        {
            _fatal ??= e;
            _logger.LogCritical(e, "ABCI {Kind} failed; it has no error path, so the node cannot continue safely", kind);
            try
            {
                _fatalHandler(e);
            }
            catch (Exception handlerError)
            {
                _logger.LogCritical(handlerError, "The fatal handler itself failed");
            }
            throw new AbciFatalException($"ABCI {kind} failed: {e.Message}", e);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "ABCI {Kind} failed; answering with an exception (CometBFT will stop)", kind);
            return new Response { Exception = new ResponseException { Error = $"{kind}: {e.Message}" } };
        }
    }

    private Response Call(Request request, Request.ValueOneofCase kind) => kind switch
    {
        Request.ValueOneofCase.Info => new Response { Info = Checked(_app.Info(request.Info)) },
        Request.ValueOneofCase.Query => new Response { Query = Checked(_app.Query(request.Query)) },
        Request.ValueOneofCase.CheckTx => new Response { CheckTx = Checked(_app.CheckTx(request.CheckTx)) },
        Request.ValueOneofCase.InitChain => new Response { InitChain = Checked(_app.InitChain(request.InitChain)) },
        Request.ValueOneofCase.PrepareProposal => new Response { PrepareProposal = Checked(_app.PrepareProposal(request.PrepareProposal)) },
        Request.ValueOneofCase.ProcessProposal => new Response { ProcessProposal = Checked(_app.ProcessProposal(request.ProcessProposal)) },
        Request.ValueOneofCase.ExtendVote => new Response { ExtendVote = Checked(_app.ExtendVote(request.ExtendVote)) },
        Request.ValueOneofCase.VerifyVoteExtension => new Response { VerifyVoteExtension = Checked(_app.VerifyVoteExtension(request.VerifyVoteExtension)) },
        Request.ValueOneofCase.FinalizeBlock => new Response { FinalizeBlock = Checked(_app.FinalizeBlock(request.FinalizeBlock)) },
        Request.ValueOneofCase.Commit => new Response { Commit = Checked(_app.Commit(request.Commit)) },
        Request.ValueOneofCase.ListSnapshots => new Response { ListSnapshots = Checked(_app.ListSnapshots(request.ListSnapshots)) },
        Request.ValueOneofCase.OfferSnapshot => new Response { OfferSnapshot = Checked(_app.OfferSnapshot(request.OfferSnapshot)) },
        Request.ValueOneofCase.LoadSnapshotChunk => new Response { LoadSnapshotChunk = Checked(_app.LoadSnapshotChunk(request.LoadSnapshotChunk)) },
        Request.ValueOneofCase.ApplySnapshotChunk => new Response { ApplySnapshotChunk = Checked(_app.ApplySnapshotChunk(request.ApplySnapshotChunk)) },
        _ => throw new AbciProtocolException($"Request kind {kind} is not handled."),
    };

    // A null response would serialize as an empty oneof and kill the node with a confusing error;
    // make it a failure of the call instead, subject to the usual fatal/exception rule.
    private static T Checked<T>(T? response) where T : class =>
        response ?? throw new InvalidOperationException($"The application returned null for {typeof(T).Name}.");
}

/// <summary>
/// The application failed on a request that has no ABCI error path; the fatal handler has run
/// and the transport drops the request unanswered.
/// </summary>
public sealed class AbciFatalException : Exception
{
    public AbciFatalException(string message, Exception inner) : base(message, inner) { }
}
