using System.Security.Cryptography;
using System.Text;
using DePinChain.Protos.Abci;
using Google.Protobuf;

namespace DePinChain.Abci.Tests;

/// <summary>
/// A small kvstore-like app ("key=value" txs), instrumented: it counts calls, records whether two
/// consensus calls ever overlapped, can hold FinalizeBlock until released, and can be told to throw.
/// </summary>
internal sealed class TestKvApp : IAbciApplication
{
    private readonly Lock _state = new();
    private readonly SortedDictionary<string, string> _committed = new(StringComparer.Ordinal);
    private SortedDictionary<string, string> _staged = new(StringComparer.Ordinal);
    private long _height;
    private byte[] _appHash = new byte[32];
    private int _inConsensus;
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);
    public int MaxConcurrentConsensusCalls { get; private set; }

    /// <summary>When set, FinalizeBlock signals <see cref="FinalizeBlockEntered"/> then waits for this.</summary>
    public ManualResetEventSlim? HoldFinalizeBlock { get; set; }
    public TaskCompletionSource FinalizeBlockEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Consensus calls sleep this long inside, to widen any overlap window.</summary>
    public int ConsensusDwellMilliseconds { get; set; }

    /// <summary>The request kind (e.g. "CheckTx") on which to throw.</summary>
    public string? ThrowOn { get; set; }

    /// <summary>The message of that exception; default "test app told to fail in KIND".</summary>
    public string? ThrowMessage { get; set; }

    public ResponseInfo Info(RequestInfo request)
    {
        Enter(nameof(Info));
        lock (_state)
        {
            return new ResponseInfo
            {
                Data = "{\"size\":" + _committed.Count + "}",
                Version = "2.0.0",
                AppVersion = 1,
                LastBlockHeight = _height,
                LastBlockAppHash = ByteString.CopyFrom(_appHash),
            };
        }
    }

    public ResponseQuery Query(RequestQuery request)
    {
        Enter(nameof(Query));
        string key = request.Data.ToStringUtf8();
        lock (_state)
        {
            bool found = _committed.TryGetValue(key, out string? value);
            return new ResponseQuery
            {
                Log = found ? "exists" : "does not exist",
                Key = request.Data,
                Value = ByteString.CopyFromUtf8(value ?? ""),
                Height = _height,
            };
        }
    }

    public ResponseCheckTx CheckTx(RequestCheckTx request)
    {
        Enter(nameof(CheckTx));
        return Parse(request.Tx) is null
            ? new ResponseCheckTx { Code = 2, Log = "expected key=value", Data = request.Tx }
            : new ResponseCheckTx { Code = 0, GasWanted = 1, Data = request.Tx };
    }

    public ResponseInitChain InitChain(RequestInitChain request) => Consensus(nameof(InitChain), () => new ResponseInitChain());

    public ResponsePrepareProposal PrepareProposal(RequestPrepareProposal request) =>
        Consensus(nameof(PrepareProposal), () => new ResponsePrepareProposal { Txs = { request.Txs } });

    public ResponseProcessProposal ProcessProposal(RequestProcessProposal request) =>
        Consensus(nameof(ProcessProposal), () => new ResponseProcessProposal { Status = ResponseProcessProposal.Types.ProposalStatus.Accept });

    public ResponseExtendVote ExtendVote(RequestExtendVote request) =>
        Consensus(nameof(ExtendVote), () => new ResponseExtendVote { VoteExtension = ByteString.CopyFromUtf8("ext") });

    public ResponseVerifyVoteExtension VerifyVoteExtension(RequestVerifyVoteExtension request) =>
        Consensus(nameof(VerifyVoteExtension), () => new ResponseVerifyVoteExtension { Status = ResponseVerifyVoteExtension.Types.VerifyStatus.Accept });

    public ResponseFinalizeBlock FinalizeBlock(RequestFinalizeBlock request) => Consensus(nameof(FinalizeBlock), () =>
    {
        FinalizeBlockEntered.TrySetResult();
        HoldFinalizeBlock?.Wait(TimeSpan.FromSeconds(30));
        var response = new ResponseFinalizeBlock();
        lock (_state)
        {
            _staged = new SortedDictionary<string, string>(_committed, StringComparer.Ordinal);
            foreach (ByteString tx in request.Txs)
            {
                if (Parse(tx) is var (key, value))
                {
                    _staged[key] = value;
                    response.TxResults.Add(new ExecTxResult { Code = 0 });
                }
                else
                {
                    response.TxResults.Add(new ExecTxResult { Code = 2 });
                }
            }
            response.AppHash = ByteString.CopyFrom(Hash(_staged));
        }
        return response;
    });

    public ResponseCommit Commit(RequestCommit request) => Consensus(nameof(Commit), () =>
    {
        lock (_state)
        {
            _committed.Clear();
            foreach (var (key, value) in _staged)
            {
                _committed[key] = value;
            }
            _height++;
            _appHash = Hash(_committed);
        }
        return new ResponseCommit();
    });

    public ResponseListSnapshots ListSnapshots(RequestListSnapshots request)
    {
        Enter(nameof(ListSnapshots));
        return new ResponseListSnapshots();
    }

    public ResponseOfferSnapshot OfferSnapshot(RequestOfferSnapshot request)
    {
        Enter(nameof(OfferSnapshot));
        return new ResponseOfferSnapshot { Result = ResponseOfferSnapshot.Types.Result.Reject };
    }

    public ResponseLoadSnapshotChunk LoadSnapshotChunk(RequestLoadSnapshotChunk request)
    {
        Enter(nameof(LoadSnapshotChunk));
        return new ResponseLoadSnapshotChunk();
    }

    public ResponseApplySnapshotChunk ApplySnapshotChunk(RequestApplySnapshotChunk request)
    {
        Enter(nameof(ApplySnapshotChunk));
        return new ResponseApplySnapshotChunk { Result = ResponseApplySnapshotChunk.Types.Result.Abort };
    }

    private T Consensus<T>(string kind, Func<T> body)
    {
        int now = Interlocked.Increment(ref _inConsensus);
        try
        {
            lock (_state)
            {
                MaxConcurrentConsensusCalls = Math.Max(MaxConcurrentConsensusCalls, now);
            }
            Enter(kind);
            if (ConsensusDwellMilliseconds > 0)
            {
                Thread.Sleep(ConsensusDwellMilliseconds);
            }
            return body();
        }
        finally
        {
            Interlocked.Decrement(ref _inConsensus);
        }
    }

    private void Enter(string kind)
    {
        Interlocked.Increment(ref _calls);
        if (ThrowOn == kind)
        {
            throw new InvalidOperationException(ThrowMessage ?? $"test app told to fail in {kind}");
        }
    }

    private static (string Key, string Value)? Parse(ByteString tx)
    {
        string text = tx.ToStringUtf8();
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        return eq > 0 ? (text[..eq], text[(eq + 1)..]) : null;
    }

    private static byte[] Hash(SortedDictionary<string, string> entries)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in entries)
        {
            text.Append(key).Append('=').Append(value).Append('\n');
        }
        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
