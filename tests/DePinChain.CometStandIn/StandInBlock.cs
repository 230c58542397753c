using DePinChain.Protos.Abci;
using DePinChain.Protos.Types;

namespace DePinChain.CometStandIn;

/// <summary>One committed height: the block, its id, the commit that signed it (CometBFT's seen commit, which the
/// next block carries as last_commit), the validator sets at this height and the next, and what FinalizeBlock
/// answered (tx results, events, validator and param updates, the app hash after the block).</summary>
public sealed record StandInBlock(Block Block, BlockID BlockId, Commit Commit, ValidatorRoster Validators,
    ValidatorRoster NextValidators, ResponseFinalizeBlock Results)
{
    public long Height => Block.Header.Height;

    public SignedHeader SignedHeader => new() { Header = Block.Header, Commit = Commit };
}
