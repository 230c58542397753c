using System.Text;
using DePinChain.Store;
using Google.Protobuf;
using ConsensusParams = DePinChain.Protos.Types.ConsensusParams;

namespace DePinChain.App;

/// <summary>
/// What InitChain fixes for the chain's life, kept in the app's own <c>baseapp</c> store: the chain id (<c>0x01</c>)
/// and the consensus params (<c>0x02</c>), of which blocks read <c>block.max_gas</c>. Set on the consensus thread
/// (InitChain), read from every thread (CheckTx and Query too), so both are swapped as one immutable value.
/// </summary>
internal sealed class ChainSettings
{
    private static readonly byte[] ChainIdKey = [0x01];
    private static readonly byte[] ConsensusParamsKey = [0x02];

    private sealed record Values(string ChainId, long BlockMaxGas);

    private Values _values;

    /// <summary>Reads the settings InitChain stored (empty chain id and no gas limit before InitChain).</summary>
    public ChainSettings(IMultiStore state)
    {
        var baseApp = state.GetStore(AppModules.BaseAppStoreName);
        string chainId = baseApp.Get(ChainIdKey) is { } id ? Encoding.UTF8.GetString(id) : "";
        var bytes = baseApp.Get(ConsensusParamsKey);
        long maxGas = bytes is null ? 0 : ConsensusParams.Parser.ParseFrom(bytes).Block?.MaxGas ?? 0;
        _values = new Values(chainId, maxGas);
    }

    public string ChainId => Volatile.Read(ref _values).ChainId;

    /// <summary>The consensus params' <c>block.max_gas</c>; 0 (or less) = no block gas limit.</summary>
    public long BlockMaxGas => Volatile.Read(ref _values).BlockMaxGas;

    /// <summary>The consensus params InitChain stored in this state (null before InitChain, or when it gave none).</summary>
    public static ConsensusParams? ReadConsensusParams(IMultiStore state)
        => state.GetStore(AppModules.BaseAppStoreName).Get(ConsensusParamsKey) is { } bytes ? ConsensusParams.Parser.ParseFrom(bytes) : null;

    /// <summary>Writes InitChain's settings into <paramref name="genesis"/> (the genesis branch); <see cref="Apply"/> once it is written.</summary>
    public static void Store(IMultiStore genesis, string chainId, ConsensusParams? consensusParams)
    {
        var baseApp = genesis.GetStore(AppModules.BaseAppStoreName);
        baseApp.Set(ChainIdKey, Encoding.UTF8.GetBytes(chainId));
        if (consensusParams is not null) baseApp.Set(ConsensusParamsKey, consensusParams.ToByteArray());
    }

    /// <summary>Makes InitChain's settings the ones every later call sees.</summary>
    public void Apply(string chainId, ConsensusParams? consensusParams)
        => Volatile.Write(ref _values, new Values(chainId, consensusParams?.Block?.MaxGas ?? 0));
}
