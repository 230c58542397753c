using DePinChain.Sdk;

namespace DePinChain.Modules.Coverage;

/// <summary>
/// The chain's epochs as coverage reads them (an "expected keeper"): the app adapts mint's epoch clock to it,
/// so reports, units and rewards share one definition. Epochs are consecutive height ranges numbered from 0;
/// a height starts an epoch when its epoch differs from the previous height's.
/// </summary>
public interface ICoverageEpochClock
{
    long EpochOf(Context ctx, long height);
}
