using DePinChain.Protos.Abci;

namespace DePinChain.Abci;

/// <summary>
/// The application side of ABCI 2.0 (CometBFT v0.38), one method per request. The transports
/// (<see cref="AbciSocketServer"/>, <see cref="AbciGrpcServer"/>) answer Echo and Flush
/// themselves and call these for everything else.
/// </summary>
/// <remarks>
/// <para>Threading contract, the same for every transport:</para>
/// <list type="bullet">
/// <item>Consensus methods (<see cref="InitChain"/>, <see cref="PrepareProposal"/>,
/// <see cref="ProcessProposal"/>, <see cref="ExtendVote"/>, <see cref="VerifyVoteExtension"/>,
/// <see cref="FinalizeBlock"/>, <see cref="Commit"/>) are called strictly one at a time, in the
/// order CometBFT sent them, under one transport-wide lock.</item>
/// <item><see cref="CheckTx"/>, <see cref="Query"/>, <see cref="Info"/> and the snapshot methods are
/// not under that lock: they may run concurrently with a consensus method and with each other
/// (calls arriving on one connection are still made in arrival order, one after another). The
/// application must make them safe against a block being executed or committed at the same time,
/// e.g. by reading only committed state.</item>
/// </list>
/// <para>Failure contract: Info, InitChain, PrepareProposal, ProcessProposal, FinalizeBlock and
/// Commit have no error path in ABCI; an exception thrown from them is treated as fatal by the
/// transport (logged as critical, then the host's fatal handler runs and the process should exit).
/// An exception from CheckTx, Query, ExtendVote, VerifyVoteExtension or a snapshot method is
/// answered with <c>ResponseException</c> (socket) or gRPC status INTERNAL, on which CometBFT stops.
/// Expected rejections (a bad transaction, an unknown query path) must be returned as a response
/// with a non-zero code, never thrown.</para>
/// </remarks>
public interface IAbciApplication
{
    // Query connection.
    ResponseInfo Info(RequestInfo request);
    ResponseQuery Query(RequestQuery request);

    // Mempool connection.
    ResponseCheckTx CheckTx(RequestCheckTx request);

    // Consensus connection.
    ResponseInitChain InitChain(RequestInitChain request);
    ResponsePrepareProposal PrepareProposal(RequestPrepareProposal request);
    ResponseProcessProposal ProcessProposal(RequestProcessProposal request);
    ResponseExtendVote ExtendVote(RequestExtendVote request);
    ResponseVerifyVoteExtension VerifyVoteExtension(RequestVerifyVoteExtension request);
    ResponseFinalizeBlock FinalizeBlock(RequestFinalizeBlock request);
    ResponseCommit Commit(RequestCommit request);

    // Snapshot connection.
    ResponseListSnapshots ListSnapshots(RequestListSnapshots request);
    ResponseOfferSnapshot OfferSnapshot(RequestOfferSnapshot request);
    ResponseLoadSnapshotChunk LoadSnapshotChunk(RequestLoadSnapshotChunk request);
    ResponseApplySnapshotChunk ApplySnapshotChunk(RequestApplySnapshotChunk request);
}
