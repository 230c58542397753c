namespace DePinChain.Modules.Mint;

/// <summary>
/// The chain's one definition of epochs, owned by mint (<c>schedule.epoch_blocks</c>, B, is fixed at genesis). Epoch e
/// covers heights [e·B, (e+1)·B − 1], i.e. epoch(h) = ⌊h / B⌋; its last block is the one with h mod B = B − 1, and
/// every epoch-end hook (mint, rewards, data-credit pruning, coverage totals) runs in that block's EndBlock. Epoch 0 is
/// one block short because heights start at 1. Other modules read epochs through their own expected epoch clock,
/// which the app bridges to <see cref="MintKeeper.EpochOf"/> and <see cref="MintKeeper.IsLastBlockOfEpoch"/>.
/// </summary>
public static class EpochMath
{
    public static long EpochOf(long height, long epochBlocks) => height / epochBlocks;

    public static bool IsLastBlockOfEpoch(long height, long epochBlocks) => height % epochBlocks == epochBlocks - 1;

    public static long FirstHeight(long epoch, long epochBlocks) => Math.Max(1, epoch * epochBlocks);

    public static long LastHeight(long epoch, long epochBlocks) => checked((epoch + 1) * epochBlocks - 1);
}
