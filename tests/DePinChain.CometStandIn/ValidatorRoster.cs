using DePinChain.Comet.Hashing;
using DePinChain.Comet.Signing;
using DePinChain.Crypto;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Crypto;
using DePinChain.Protos.Types;
using Google.Protobuf;
using Validator = DePinChain.Protos.Types.Validator;

namespace DePinChain.CometStandIn;

/// <summary>
/// One height's validator set in CometBFT's order (power descending, then address ascending), immutable; updates
/// (power 0 removes) make a new roster. Proposer priorities are not simulated: the proposer is the first validator.
/// </summary>
public sealed class ValidatorRoster
{
    private ValidatorRoster(List<Validator> validators)
    {
        validators.Sort(static (a, b) =>
        {
            int byPower = b.VotingPower.CompareTo(a.VotingPower);
            return byPower != 0 ? byPower : a.Address.Span.SequenceCompareTo(b.Address.Span);
        });
        Set = new ValidatorSet { TotalVotingPower = validators.Sum(v => v.VotingPower) };
        Set.Validators.AddRange(validators);
        if (validators.Count > 0) Set.Proposer = validators[0].Clone();
        Hash = ValidatorSetHasher.Hash(Set);
    }

    public ValidatorSet Set { get; }

    public byte[] Hash { get; }

    public IReadOnlyList<Validator> Validators => Set.Validators;

    public byte[] ProposerAddress => Set.Validators.Count > 0 ? Set.Validators[0].Address.ToByteArray() : new byte[20];

    public static ValidatorRoster From(IEnumerable<(byte[] PublicKey, long Power)> validators)
        => new([.. validators.Where(v => v.Power > 0).Select(v => Make(v.PublicKey, v.Power))]);

    /// <summary>This set with CometBFT's validator updates applied.</summary>
    public ValidatorRoster Apply(IEnumerable<ValidatorUpdate> updates)
    {
        var byKey = new SortedDictionary<string, Validator>(StringComparer.Ordinal);
        foreach (var v in Set.Validators) byKey[v.PubKey.Ed25519.ToBase64()] = v;
        foreach (var u in updates)
        {
            if (u.PubKey?.SumCase != PublicKey.SumOneofCase.Ed25519)
                throw new InvalidOperationException("the app returned a validator update that is not an ed25519 key");
            string key = u.PubKey.Ed25519.ToBase64();
            if (u.Power == 0) byKey.Remove(key);
            else byKey[key] = Make(u.PubKey.Ed25519.ToByteArray(), u.Power);
        }
        return new ValidatorRoster([.. byKey.Values]);
    }

    /// <summary>The validators in set order whose keys are in <paramref name="keys"/>; the others (and those
    /// <paramref name="signs"/> leaves out) are null: absent from a commit.</summary>
    public LocalValidator?[] Signers(IReadOnlyDictionary<string, byte[]> keys, Func<int, bool>? signs = null)
    {
        var signers = new LocalValidator?[Set.Validators.Count];
        for (int i = 0; i < signers.Length; i++)
        {
            var v = Set.Validators[i];
            if ((signs is null || signs(i)) && keys.TryGetValue(v.PubKey.Ed25519.ToBase64(), out var seed))
                signers[i] = new LocalValidator(seed, v.VotingPower);
        }
        return signers;
    }

    private static Validator Make(byte[] publicKey, long power) => new()
    {
        Address = ByteString.CopyFrom(Ed25519.Address(publicKey)),
        PubKey = new PublicKey { Ed25519 = ByteString.CopyFrom(publicKey) },
        VotingPower = power,
    };
}
