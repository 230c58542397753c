using System.Numerics;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.Modules.Staking;

// The validator set CometBFT runs with, status changes and the time queues: the SDK's keeper/val_state_change.go,
// keeper/queue parts of delegation.go and validator.go.
public sealed partial class StakingKeeper
{
    // Set by InitGenesis of an exported genesis: the first set is its last validator powers, as given.
    private List<ValidatorPowerUpdate>? _exportedSet;

    /// <summary>
    /// Bonds the top max_validators non-jailed validators with power &gt; 0 (power index from the top), and returns a
    /// power update for each whose power changed, then a 0 for each that left the set (by operator address). Moves the
    /// tokens of status changes between the pools and keeps the last validator powers and last total power.
    /// </summary>
    public IReadOnlyList<ValidatorPowerUpdate> ApplyAndReturnValidatorSetUpdates(Context ctx)
    {
        uint maxValidators = GetParams(ctx).MaxValidators;
        BigInteger totalPower = 0, toBonded = 0, toNotBonded = 0;
        var updates = new List<ValidatorPowerUpdate>();
        var last = new SortedDictionary<byte[], long>(ByteComparer.Instance);
        foreach (var (op, power) in GetLastValidatorPowers(ctx)) last[op] = power;

        var ranked = IteratePrefix(ctx, [StakingKeys.ValidatorByPowerPrefix], reverse: true).Take((int)Math.Min(maxValidators, int.MaxValue)).Select(kv => kv.Value).ToList();
        foreach (var op in ranked)
        {
            var validator = MustGetValidator(ctx, op);
            if (validator.Jailed) throw new InvalidOperationException("should never retrieve a jailed validator from the power store");
            if (validator.PotentialConsensusPower() == 0) break;
            switch (validator.Status)
            {
                case BondStatus.Unbonded:
                case BondStatus.Unbonding:
                    validator = BondValidator(ctx, validator);
                    toBonded += validator.GetTokens();
                    break;
                case BondStatus.Bonded:
                    break;
                default:
                    throw new InvalidOperationException("unexpected validator status");
            }
            long newPower = validator.ConsensusPower();
            if (!last.TryGetValue(op, out long oldPower) || oldPower != newPower)
            {
                updates.Add(new ValidatorPowerUpdate(validator.ConsPubKey(), newPower));
                SetLastValidatorPower(ctx, op, newPower);
            }
            last.Remove(op);
            totalPower += newPower;
        }

        foreach (var op in last.Keys.ToList())
        {
            var validator = MustGetValidator(ctx, op);
            validator = BeginUnbondingValidator(ctx, validator);
            toNotBonded += validator.GetTokens();
            DeleteLastValidatorPower(ctx, op);
            updates.Add(new ValidatorPowerUpdate(validator.ConsPubKey(), 0));
        }

        if (toBonded > toNotBonded) NotBondedTokensToBonded(ctx, toBonded - toNotBonded);
        else if (toBonded < toNotBonded) BondedTokensToNotBonded(ctx, toNotBonded - toBonded);
        if (updates.Count > 0) SetLastTotalPower(ctx, totalPower);
        return updates;
    }

    /// <summary>The end-block work (BlockValidatorUpdates): set updates, then mature unbonding validators, unbonding
    /// delegations and redelegations complete.</summary>
    public IReadOnlyList<ValidatorPowerUpdate> BlockValidatorUpdates(Context ctx)
    {
        var updates = ApplyAndReturnValidatorSetUpdates(ctx);
        UnbondAllMatureValidators(ctx);
        string denom = BondDenom(ctx);
        foreach (var pair in DequeueAllMatureUbdQueue(ctx, ctx.Header.Time))
        {
            var del = Bech32Address.Parse(pair.DelegatorAddress);
            var val = ValidatorAddress.ParseOperator(pair.ValidatorAddress);
            if (CompleteUnbonding(ctx, del, val) is not { } paid) continue;
            ctx.Events.Emit(SdkEvent.Of("complete_unbonding",
                ("amount", CoinsString(paid, denom)), ("validator", pair.ValidatorAddress), ("delegator", pair.DelegatorAddress)));
        }
        foreach (var t in DequeueAllMatureRedelegationQueue(ctx, ctx.Header.Time))
        {
            var del = Bech32Address.Parse(t.DelegatorAddress);
            if (CompleteRedelegation(ctx, del, ValidatorAddress.ParseOperator(t.ValidatorSrcAddress), ValidatorAddress.ParseOperator(t.ValidatorDstAddress)) is not { } balance) continue;
            ctx.Events.Emit(SdkEvent.Of("complete_redelegation",
                ("amount", CoinsString(balance, denom)), ("delegator", t.DelegatorAddress),
                ("source_validator", t.ValidatorSrcAddress), ("destination_validator", t.ValidatorDstAddress)));
        }
        return updates;
    }

    /// <summary>sdk.Coins' text of one coin: empty when zero.</summary>
    internal static string CoinsString(BigInteger amount, string denom) => amount.IsZero ? "" : amount + denom;

    /// <summary>The first validator set, after genesis and gentxs: an exported genesis' last validator powers as given,
    /// otherwise the set updates of the genesis state.</summary>
    public IReadOnlyList<ValidatorPowerUpdate> InitialValidatorSet(Context ctx)
    {
        if (_exportedSet is { } exported)
        {
            _exportedSet = null;
            return exported;
        }
        return ApplyAndReturnValidatorSetUpdates(ctx);
    }

    internal void SetExportedSet(List<ValidatorPowerUpdate>? set) => _exportedSet = set;

    private Validator BondValidator(Context ctx, Validator v)
    {
        DeleteValidatorByPowerIndex(ctx, v);
        v.Status = BondStatus.Bonded;
        SetValidator(ctx, v);
        SetValidatorByPowerIndex(ctx, v);
        DeleteValidatorQueue(ctx, v);
        _hooks.AfterValidatorBonded(ctx, v.ConsAddress(), v.Operator());
        return v;
    }

    private Validator BeginUnbondingValidator(Context ctx, Validator v)
    {
        DeleteValidatorByPowerIndex(ctx, v);
        if (v.Status != BondStatus.Bonded) throw new InvalidOperationException("should not already be unbonded or unbonding");
        ulong id = IncrementUnbondingId(ctx);
        v.Status = BondStatus.Unbonding;
        v.UnbondingTime = Ts(ctx.Header.Time + GetParams(ctx).UnbondingTime.ToTimeSpan());
        v.UnbondingHeight = ctx.Height;
        v.UnbondingIds.Add(id);
        SetValidator(ctx, v);
        SetValidatorByPowerIndex(ctx, v);
        InsertUnbondingValidatorQueue(ctx, v);
        _hooks.AfterValidatorBeginUnbonding(ctx, v.ConsAddress(), v.Operator());
        return v;
    }

    /// <summary>Unbonding validators whose unbonding time and height have passed become unbonded (removed when no
    /// shares remain).</summary>
    public void UnbondAllMatureValidators(Context ctx)
    {
        var end = StakingKeys.ValidatorQueueKey(ctx.Header.Time, ctx.Height);
        var store = Store(ctx);
        var due = store.Iterate([StakingKeys.ValidatorQueuePrefix], InclusiveEnd(end)).ToList();
        foreach (var kv in due)
        {
            long keyHeight = KeyCodec.ReadInt64(kv.Key, 9);
            if (keyHeight > ctx.Height) continue;
            foreach (var addr in ValAddresses.Parser.ParseFrom(kv.Value).Addresses)
            {
                var op = ValidatorAddress.ParseOperator(addr);
                var v = GetValidator(ctx, op) ?? throw new InvalidOperationException("validator in the unbonding queue was not found");
                if (!v.IsUnbonding()) throw new InvalidOperationException("unexpected validator in unbonding queue; status was not unbonding");
                if (v.UnbondingOnHoldRefCount != 0) continue;
                v.Status = BondStatus.Unbonded;
                SetValidator(ctx, v);
                if (v.GetShares().IsZero) RemoveValidator(ctx, op);
                else
                {
                    v.UnbondingIds.Clear();
                    SetValidator(ctx, v);
                }
                DeleteValidatorQueue(ctx, v);
            }
        }
    }

    private static byte[] InclusiveEnd(byte[] key) => [.. key, 0x00];

    internal void InsertUnbondingValidatorQueue(Context ctx, Validator v)
    {
        var key = StakingKeys.ValidatorQueueKey(Time(v.UnbondingTime), v.UnbondingHeight);
        var bytes = Store(ctx).Get(key);
        var list = bytes is null ? new ValAddresses() : ValAddresses.Parser.ParseFrom(bytes);
        list.Addresses.Add(v.OperatorAddress);
        Store(ctx).Set(key, list.ToByteArray());
    }

    internal void DeleteValidatorQueue(Context ctx, Validator v)
    {
        var key = StakingKeys.ValidatorQueueKey(Time(v.UnbondingTime), v.UnbondingHeight);
        var bytes = Store(ctx).Get(key);
        if (bytes is null) return;
        var list = ValAddresses.Parser.ParseFrom(bytes);
        var kept = new ValAddresses();
        kept.Addresses.AddRange(list.Addresses.Where(a => a != v.OperatorAddress));
        if (kept.Addresses.Count == 0) Store(ctx).Delete(key);
        else Store(ctx).Set(key, kept.ToByteArray());
    }

    internal void InsertUbdQueue(Context ctx, UnbondingDelegation ubd, DateTimeOffset completion)
    {
        var key = StakingKeys.TimeKey(StakingKeys.UnbondingQueuePrefix, completion);
        var bytes = Store(ctx).Get(key);
        var pairs = bytes is null ? new DVPairs() : DVPairs.Parser.ParseFrom(bytes);
        pairs.Pairs.Add(new DVPair { DelegatorAddress = ubd.DelegatorAddress, ValidatorAddress = ubd.ValidatorAddress });
        Store(ctx).Set(key, pairs.ToByteArray());
    }

    internal void InsertRedelegationQueue(Context ctx, Redelegation red, DateTimeOffset completion)
    {
        var key = StakingKeys.TimeKey(StakingKeys.RedelegationQueuePrefix, completion);
        var bytes = Store(ctx).Get(key);
        var triplets = bytes is null ? new DVVTriplets() : DVVTriplets.Parser.ParseFrom(bytes);
        triplets.Triplets.Add(new DVVTriplet { DelegatorAddress = red.DelegatorAddress, ValidatorSrcAddress = red.ValidatorSrcAddress, ValidatorDstAddress = red.ValidatorDstAddress });
        Store(ctx).Set(key, triplets.ToByteArray());
    }

    private static List<DVPair> DequeueAllMatureUbdQueue(Context ctx, DateTimeOffset now)
    {
        var store = Store(ctx);
        var due = store.Iterate([StakingKeys.UnbondingQueuePrefix], InclusiveEnd(StakingKeys.TimeKey(StakingKeys.UnbondingQueuePrefix, now))).ToList();
        var result = new List<DVPair>();
        foreach (var kv in due)
        {
            result.AddRange(DVPairs.Parser.ParseFrom(kv.Value).Pairs);
            store.Delete(kv.Key);
        }
        return result;
    }

    private static List<DVVTriplet> DequeueAllMatureRedelegationQueue(Context ctx, DateTimeOffset now)
    {
        var store = Store(ctx);
        var due = store.Iterate([StakingKeys.RedelegationQueuePrefix], InclusiveEnd(StakingKeys.TimeKey(StakingKeys.RedelegationQueuePrefix, now))).ToList();
        var result = new List<DVVTriplet>();
        foreach (var kv in due)
        {
            result.AddRange(DVVTriplets.Parser.ParseFrom(kv.Value).Triplets);
            store.Delete(kv.Key);
        }
        return result;
    }

    /// <summary>Orders operator addresses as Go's bytes.Compare.</summary>
    internal sealed class ByteComparer : IComparer<byte[]>
    {
        public static readonly ByteComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
