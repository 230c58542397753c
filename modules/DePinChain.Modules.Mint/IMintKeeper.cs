using System.Numerics;
using DePinChain.Protos.Depin.Mint.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Mint;

/// <summary>Where modules report udpin they burned, so net emissions can re-emit a bounded share of it.</summary>
public interface IBurnRecorder
{
    void RecordBurn(Context ctx, BigInteger amount);
}

/// <summary>What rewards reads from mint: what the last epoch end minted into the rewards pool.</summary>
public interface IEmissionLedger
{
    string MintDenom(Context ctx);

    /// <summary>The emission of the most recent epoch end, or null before the first.</summary>
    EpochEmission? GetLastEmission(Context ctx);
}
