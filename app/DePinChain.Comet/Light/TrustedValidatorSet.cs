using DePinChain.Comet.Hashing;
using DePinChain.Crypto;
using DePinChain.Protos.Types;

namespace DePinChain.Comet.Light;

/// <summary>
/// A validator set checked as CometBFT's <c>ValidatorSet.ValidateBasic</c> checks it (non-empty; each validator an
/// ed25519 key, non-negative power, address = SHA-256(key)[:20]), with its total power summed in checked int64 and
/// bounded by <see cref="MaxTotalVotingPower"/>, and an address index for by-address lookups. Built once per set.
/// </summary>
public sealed class TrustedValidatorSet
{
    /// <summary>CometBFT's <c>MaxTotalVotingPower</c> (int64 max / 8), so priorities can never overflow.</summary>
    public const long MaxTotalVotingPower = long.MaxValue / 8;

    private readonly Dictionary<string, int> _indexByAddress;
    private byte[]? _hash;

    public TrustedValidatorSet(ValidatorSet set) : this(set?.Validators ?? throw new LightVerificationException(LightFailure.Malformed, "nil validator set")) { }

    public TrustedValidatorSet(IReadOnlyList<Validator> validators)
    {
        ArgumentNullException.ThrowIfNull(validators);
        if (validators.Count == 0) throw new LightVerificationException(LightFailure.Malformed, "validator set is nil or empty");
        Validators = validators;
        var keys = new byte[validators.Count][];
        _indexByAddress = new Dictionary<string, int>(validators.Count, StringComparer.Ordinal);
        long total = 0;
        for (int i = 0; i < validators.Count; i++)
        {
            var v = validators[i] ?? throw new LightVerificationException(LightFailure.Malformed, $"invalid validator #{i}: nil validator");
            if (v.PubKey is null || v.PubKey.SumCase == Protos.Crypto.PublicKey.SumOneofCase.None)
                throw new LightVerificationException(LightFailure.Malformed, $"invalid validator #{i}: validator does not have a public key");
            if (v.PubKey.SumCase != Protos.Crypto.PublicKey.SumOneofCase.Ed25519 || v.PubKey.Ed25519.Length != 32)
                throw new LightVerificationException(LightFailure.Malformed, $"invalid validator #{i}: only 32-byte ed25519 keys are supported, got {v.PubKey.SumCase}");
            if (v.VotingPower < 0)
                throw new LightVerificationException(LightFailure.Malformed, $"invalid validator #{i}: validator has negative voting power");
            byte[] key = v.PubKey.Ed25519.ToByteArray();
            byte[] address = Ed25519.Address(key);
            if (!address.AsSpan().SequenceEqual(v.Address.Span))
                throw new LightVerificationException(LightFailure.Malformed,
                    $"invalid validator #{i}: validator address is incorrectly derived from pubkey. Exp: {Convert.ToHexString(address)}, got {Convert.ToHexString(v.Address.Span)}");
            keys[i] = key;
            _indexByAddress.TryAdd(Convert.ToHexString(address), i);
            try
            {
                total = checked(total + v.VotingPower);
            }
            catch (OverflowException)
            {
                throw new LightVerificationException(LightFailure.Overflow, "total voting power overflows int64");
            }
            if (total > MaxTotalVotingPower)
                throw new LightVerificationException(LightFailure.Overflow,
                    $"total voting power should be guarded to not exceed {MaxTotalVotingPower}; got: {total}");
        }
        if (_indexByAddress.Count != validators.Count)
            throw new LightVerificationException(LightFailure.Malformed, "validator set has duplicate addresses");
        TotalVotingPower = total;
        PublicKeys = keys;
    }

    public IReadOnlyList<Validator> Validators { get; }

    /// <summary>The validators' 32-byte ed25519 keys, in the set's order.</summary>
    public IReadOnlyList<byte[]> PublicKeys { get; }

    public int Count => Validators.Count;

    public long TotalVotingPower { get; }

    public byte[] Hash() => _hash ??= ValidatorSetHasher.Hash(Validators);

    /// <summary>The index of the validator with this address, or -1 (<c>ValidatorSet.GetByAddress</c>).</summary>
    public int IndexOf(ReadOnlySpan<byte> address)
        => address.Length == 20 && _indexByAddress.TryGetValue(Convert.ToHexString(address), out int i) ? i : -1;
}
