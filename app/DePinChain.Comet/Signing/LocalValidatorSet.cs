using DePinChain.Comet.Hashing;
using DePinChain.Crypto;
using DePinChain.Protos.Crypto;
using DePinChain.Protos.Types;
using Google.Protobuf;

namespace DePinChain.Comet.Signing;

/// <summary>One validator whose ed25519 key is held here (a test driver's stand-in for a priv_validator_key.json).</summary>
public sealed class LocalValidator
{
    private readonly byte[] _expandedKey;

    public LocalValidator(ReadOnlySpan<byte> seed32, long votingPower)
    {
        if (seed32.Length != 32) throw new ArgumentException($"an ed25519 seed is 32 bytes, got {seed32.Length}", nameof(seed32));
        ArgumentOutOfRangeException.ThrowIfNegative(votingPower);
        _expandedKey = Ed25519.ExpandSeed(seed32);
        PublicKey = Ed25519.PublicKeyFromSeed(seed32);
        Address = Ed25519.Address(PublicKey);
        VotingPower = votingPower;
    }

    public byte[] PublicKey { get; }

    /// <summary>SHA-256(public key)[:20], CometBFT's validator address.</summary>
    public byte[] Address { get; }

    public long VotingPower { get; }

    public byte[] Sign(ReadOnlySpan<byte> message) => Ed25519.SignExpanded(_expandedKey, message);

    public Validator ToValidator() => new()
    {
        Address = ByteString.CopyFrom(Address),
        PubKey = new PublicKey { Ed25519 = ByteString.CopyFrom(PublicKey) },
        VotingPower = VotingPower,
    };
}

/// <summary>
/// A validator set from ed25519 keys and powers, in CometBFT's order (voting power descending, then address
/// ascending: <c>ValidatorsByVotingPower</c>), as the proto <see cref="ValidatorSet"/> a header names by hash.
/// Proposer priorities are not simulated: the proposer is the first validator and every priority is 0 (neither is hashed).
/// </summary>
public sealed class LocalValidatorSet
{
    public LocalValidatorSet(IEnumerable<(byte[] Seed, long Power)> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var validators = keys.Select(k => new LocalValidator(k.Seed, k.Power)).ToList();
        if (validators.Count == 0) throw new ArgumentException("a validator set needs at least one validator", nameof(keys));
        validators.Sort(static (a, b) =>
        {
            int byPower = b.VotingPower.CompareTo(a.VotingPower);
            return byPower != 0 ? byPower : a.Address.AsSpan().SequenceCompareTo(b.Address);
        });
        for (int i = 1; i < validators.Count; i++)
            if (validators[i].Address.AsSpan().SequenceEqual(validators[i - 1].Address))
                throw new ArgumentException("the same key appears twice in the validator set", nameof(keys));
        Validators = validators;
        long total = 0;
        foreach (var v in validators) total = checked(total + v.VotingPower);
        TotalVotingPower = total;
        ValidatorSet = new ValidatorSet { TotalVotingPower = total };
        ValidatorSet.Validators.AddRange(validators.Select(v => v.ToValidator()));
        ValidatorSet.Proposer = ValidatorSet.Validators[0].Clone();
        Hash = ValidatorSetHasher.Hash(ValidatorSet);
    }

    /// <summary>Deterministic test keys: validator i of <paramref name="label"/> has the seed <see cref="Seed"/>(label, i).</summary>
    public static LocalValidatorSet Generate(string label, int count, Func<int, long> power)
    {
        ArgumentNullException.ThrowIfNull(power);
        return new LocalValidatorSet(Enumerable.Range(0, count).Select(i => (Seed(label, i), power(i))));
    }

    /// <summary>A deterministic ed25519 seed: SHA-256(UTF-8 label ‖ BE32(index)).</summary>
    public static byte[] Seed(string label, int index)
    {
        ArgumentNullException.ThrowIfNull(label);
        var input = new byte[System.Text.Encoding.UTF8.GetByteCount(label) + 4];
        System.Text.Encoding.UTF8.GetBytes(label, input);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(input.AsSpan(input.Length - 4), index);
        return Hashes.Sha256(input);
    }

    /// <summary>In the set's order.</summary>
    public IReadOnlyList<LocalValidator> Validators { get; }

    public ValidatorSet ValidatorSet { get; }

    public long TotalVotingPower { get; }

    /// <summary><see cref="ValidatorSetHasher.Hash(ValidatorSet)"/> of the set: the header's validators_hash.</summary>
    public byte[] Hash { get; }
}
