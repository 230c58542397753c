using DePinChain.Protos.Abci;
using DePinChain.Sdk;
using DePinChain.Store;
using Microsoft.Extensions.Logging;

namespace DePinChain.App;

/// <summary>
/// PrepareProposal and ProcessProposal: what goes into a block this node proposes, and whether another's proposal is
/// acceptable. Part of the consensus connection (called one at a time); writes nothing to the state it reads.
/// </summary>
/// <param name="state">The working state, which between blocks is the last committed one; proposals only branch it.</param>
internal sealed class Proposals(IMultiStore state, TxRunner runner, MsgRouter router, ChainSettings chain, AppOptions options, ILogger logger)
{
    public ResponsePrepareProposal PrepareProposal(RequestPrepareProposal request)
    {
        // Each candidate is checked (decode, validate, ante) on a scratch branch in order, so sequences chain the
        // way they will in FinalizeBlock; invalid ones are dropped and the total stays within max_tx_bytes.
        var scratch = state.Branch();
        var header = new BlockHeader(chain.ChainId, request.Height, AbciConvert.Time(request.Time));
        long blockMaxGas = chain.BlockMaxGas;
        var response = new ResponsePrepareProposal();
        long total = 0;
        long maxBytes = request.MaxTxBytes > 0 ? request.MaxTxBytes : long.MaxValue;
        ulong gasWanted = 0;
        foreach (var tx in request.Txs)
        {
            if (tx.Length > options.MaxTxBytes || total + tx.Length > maxBytes) continue;
            var outcome = runner.Run(scratch, header, ExecMode.PrepareProposal, AbciConvert.ArrayOf(tx));
            if (outcome.Code != 0) continue;
            if (blockMaxGas > 0 && gasWanted + outcome.GasWanted > (ulong)blockMaxGas) continue;
            gasWanted += outcome.GasWanted;
            total += tx.Length;
            response.Txs.Add(tx);
        }
        return response;
    }

    public ResponseProcessProposal ProcessProposal(RequestProcessProposal request)
    {
        // Deterministic and cheap: only what PrepareProposal guarantees (decodable, not oversized). A proposal with
        // txs that fail later is still valid; each such tx gets its failing result in FinalizeBlock.
        foreach (var tx in request.Txs)
        {
            if (tx.Length > options.MaxTxBytes) return Reject($"tx of {tx.Length} bytes exceeds {options.MaxTxBytes}");
            try
            {
                DecodedTx.Decode(AbciConvert.ArrayOf(tx), router);
            }
            catch (SdkError e)
            {
                return Reject(e.Message);
            }
        }
        return new ResponseProcessProposal { Status = ResponseProcessProposal.Types.ProposalStatus.Accept };

        ResponseProcessProposal Reject(string reason)
        {
            logger.LogWarning("ProcessProposal rejects block at height {Height}: {Reason}", request.Height, reason);
            return new ResponseProcessProposal { Status = ResponseProcessProposal.Types.ProposalStatus.Reject };
        }
    }
}
