namespace DePinChain.Store;

/// <summary>The proof op types of a store query's proof chain, as ibc-go and CometBFT light clients name them.</summary>
public static class ProofOpTypes
{
    public const string Iavl = "ics23:iavl";
    public const string Simple = "ics23:simple";
}
