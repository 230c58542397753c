using DePinChain.Protos.Types;
using DePinChain.Store;
using Google.Protobuf;

namespace DePinChain.Comet.Hashing;

/// <summary>
/// CometBFT's <c>ValidatorSet.Hash()</c> (types/validator_set.go): the simple Merkle root over each validator's
/// <c>SimpleValidator{pub_key, voting_power}</c> encoding, in the set's order (power desc, then address asc).
/// </summary>
public static class ValidatorSetHasher
{
    public static byte[] Hash(ValidatorSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return Hash(set.Validators);
    }

    public static byte[] Hash(IReadOnlyList<Validator> validators)
    {
        ArgumentNullException.ThrowIfNull(validators);
        var leaves = new byte[validators.Count][];
        for (int i = 0; i < leaves.Length; i++)
            leaves[i] = new SimpleValidator { PubKey = validators[i].PubKey, VotingPower = validators[i].VotingPower }.ToByteArray();
        return SimpleMerkle.HashFromByteSlices(leaves);
    }
}
