using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;
using DePinChain.Store;
using DePinChain.Store.Backend;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Modules.Staking;

/// <summary>
/// Owns the staking store: validators and their indexes (consensus address, power), delegations, unbonding delegations,
/// redelegations, their time queues, the last bonded set and historical info. The SDK v0.50 x/staking keeper's rules,
/// split over partial files: this one (params, validators, pools), Delegation (delegate, unbond, redelegate, complete),
/// ValidatorSet (set updates, status changes, queues), Slash (slash, jail) and Historical.
/// </summary>
public sealed partial class StakingKeeper(IBankKeeper bank, IBurnRecorder burns)
{
    /// <summary>Tokens per unit of consensus power (power = tokens / 10^6).</summary>
    public static readonly BigInteger PowerReduction = 1_000_000;

    public const string DefaultBondDenom = "udpin";

    private IStakingHooks _hooks = NoStakingHooks.Instance;
    private bool _hooksSet;

    /// <summary>The hooks of the modules that track validators and delegations (set once, at wiring).</summary>
    public void SetHooks(IStakingHooks hooks)
    {
        if (_hooksSet) throw new InvalidOperationException("staking hooks are already set");
        _hooks = hooks;
        _hooksSet = true;
    }

    internal IStakingHooks Hooks => _hooks;

    public static Params DefaultParams() => new()
    {
        UnbondingTime = Duration.FromTimeSpan(TimeSpan.FromSeconds(1_814_400)),
        MaxValidators = 100,
        MaxEntries = 7,
        HistoricalEntries = 10_000,
        BondDenom = DefaultBondDenom,
        MinCommissionRate = LegacyDec.Zero.ToWire(),
    };

    private static readonly ParamsStore<Params> ParamsStore = new(StakingKeys.ModuleName, StakingKeys.ParamsKey, Params.Parser, DefaultParams);

    public Params GetParams(Context ctx) => ParamsStore.Get(ctx);

    public void SetParams(Context ctx, Params p) => ParamsStore.Set(ctx, p);

    public string BondDenom(Context ctx) => GetParams(ctx).BondDenom;

    internal static IKVStore Store(Context ctx) => ctx.KVStore(StakingKeys.ModuleName);

    internal static IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(Context ctx, byte[] prefix, bool reverse = false)
        => Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix), reverse);

    internal static IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(Context ctx, byte prefix) => IteratePrefix(ctx, [prefix]);

    // ---- validators ----

    public Validator? GetValidator(Context ctx, ReadOnlySpan<byte> operatorAddress)
    {
        var bytes = Store(ctx).Get(StakingKeys.ValidatorKey(operatorAddress));
        return bytes is null ? null : Validator.Parser.ParseFrom(bytes);
    }

    internal Validator MustGetValidator(Context ctx, ReadOnlySpan<byte> op)
        => GetValidator(ctx, op) ?? throw StakingErrors.NoValidatorFound(ValidatorAddress.ToOperatorBech32(op));

    public Validator? GetValidatorByConsAddr(Context ctx, ReadOnlySpan<byte> consensusAddress)
    {
        var op = Store(ctx).Get(StakingKeys.ValidatorByConsAddrKey(consensusAddress));
        return op is null ? null : GetValidator(ctx, op);
    }

    public void SetValidator(Context ctx, Validator v) => Store(ctx).Set(StakingKeys.ValidatorKey(v.Operator()), v.ToByteArray());

    internal void SetValidatorByConsAddr(Context ctx, Validator v) => Store(ctx).Set(StakingKeys.ValidatorByConsAddrKey(v.ConsAddress()), v.Operator());

    /// <summary>Jailed validators are kept out of the power index.</summary>
    internal void SetValidatorByPowerIndex(Context ctx, Validator v)
    {
        if (v.Jailed) return;
        Store(ctx).Set(StakingKeys.PowerIndexKey(v.PotentialConsensusPower(), v.Operator()), v.Operator());
    }

    internal void DeleteValidatorByPowerIndex(Context ctx, Validator v)
        => Store(ctx).Delete(StakingKeys.PowerIndexKey(v.PotentialConsensusPower(), v.Operator()));

    /// <summary>Every validator, by operator address.</summary>
    public IReadOnlyList<Validator> GetAllValidators(Context ctx)
        => [.. IteratePrefix(ctx, StakingKeys.ValidatorPrefix).Select(kv => Validator.Parser.ParseFrom(kv.Value))];

    /// <summary>The bonded validators (the last end block's set), highest power first.</summary>
    public IReadOnlyList<Validator> GetBondedValidatorsByPower(Context ctx)
    {
        uint max = GetParams(ctx).MaxValidators;
        var result = new List<Validator>();
        foreach (var kv in IteratePrefix(ctx, [StakingKeys.ValidatorByPowerPrefix], reverse: true))
        {
            if (result.Count >= max) break;
            var v = MustGetValidator(ctx, kv.Value);
            if (v.IsBonded()) result.Add(v);
        }
        return result;
    }

    /// <summary>The validators of the last validator set (last validator powers), by operator address.</summary>
    public IReadOnlyList<Validator> GetLastValidators(Context ctx)
        => [.. IteratePrefix(ctx, StakingKeys.LastValidatorPowerPrefix).Select(kv => MustGetValidator(ctx, kv.Key.AsSpan(2)))];

    internal Validator AddValidatorTokensAndShares(Context ctx, Validator v, BigInteger tokens, out LegacyDec issued)
    {
        DeleteValidatorByPowerIndex(ctx, v);
        issued = v.AddTokensFromDel(tokens);
        SetValidator(ctx, v);
        SetValidatorByPowerIndex(ctx, v);
        return v;
    }

    internal BigInteger RemoveValidatorTokensAndShares(Context ctx, Validator v, LegacyDec shares)
    {
        DeleteValidatorByPowerIndex(ctx, v);
        var removed = v.RemoveDelShares(shares);
        SetValidator(ctx, v);
        SetValidatorByPowerIndex(ctx, v);
        return removed;
    }

    internal void RemoveValidatorTokens(Context ctx, Validator v, BigInteger tokens)
    {
        DeleteValidatorByPowerIndex(ctx, v);
        v.RemoveTokens(tokens);
        SetValidator(ctx, v);
        SetValidatorByPowerIndex(ctx, v);
    }

    /// <summary>Deletes an unbonded validator without tokens and its indexes (RemoveValidator).</summary>
    internal void RemoveValidator(Context ctx, byte[] op)
    {
        var v = MustGetValidator(ctx, op);
        if (!v.IsUnbonded()) throw StakingErrors.BadRemoveValidator("cannot call RemoveValidator on bonded or unbonding validators");
        if (v.GetTokens().Sign > 0) throw StakingErrors.BadRemoveValidator("attempting to remove a validator which still contains tokens");
        var cons = v.ConsAddress();
        var store = Store(ctx);
        store.Delete(StakingKeys.ValidatorKey(op));
        store.Delete(StakingKeys.ValidatorByConsAddrKey(cons));
        store.Delete(StakingKeys.PowerIndexKey(v.PotentialConsensusPower(), op));
        _hooks.AfterValidatorRemoved(ctx, cons, op);
    }

    // ---- last validator powers ----

    public long GetLastValidatorPower(Context ctx, ReadOnlySpan<byte> op)
    {
        var bytes = Store(ctx).Get(StakingKeys.LastValidatorPowerKey(op));
        return bytes is null ? 0 : BinaryPrimitives.ReadInt64BigEndian(bytes);
    }

    internal void SetLastValidatorPower(Context ctx, ReadOnlySpan<byte> op, long power)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, power);
        Store(ctx).Set(StakingKeys.LastValidatorPowerKey(op), bytes);
    }

    internal void DeleteLastValidatorPower(Context ctx, ReadOnlySpan<byte> op) => Store(ctx).Delete(StakingKeys.LastValidatorPowerKey(op));

    /// <summary>(operator, power) of the last set, by operator address.</summary>
    public IReadOnlyList<(byte[] Operator, long Power)> GetLastValidatorPowers(Context ctx)
        => [.. IteratePrefix(ctx, StakingKeys.LastValidatorPowerPrefix).Select(kv => (kv.Key[2..], BinaryPrimitives.ReadInt64BigEndian(kv.Value)))];

    /// <summary>Stored as the decimal digits in ASCII (the SDK's math.Int marshalling).</summary>
    public BigInteger GetLastTotalPower(Context ctx)
    {
        var bytes = Store(ctx).Get([StakingKeys.LastTotalPowerKey]);
        return bytes is null || bytes.Length == 0 ? BigInteger.Zero : BigInteger.Parse(System.Text.Encoding.ASCII.GetString(bytes), CultureInfo.InvariantCulture);
    }

    internal void SetLastTotalPower(Context ctx, BigInteger power)
        => Store(ctx).Set([StakingKeys.LastTotalPowerKey], System.Text.Encoding.ASCII.GetBytes(ValidatorMath.Int(power)));

    // ---- pools ----

    public static byte[] BondedPoolAddress => ModuleAccounts.Address(StakingKeys.BondedPoolName);

    public static byte[] NotBondedPoolAddress => ModuleAccounts.Address(StakingKeys.NotBondedPoolName);

    public Pool GetPool(Context ctx)
    {
        string denom = BondDenom(ctx);
        return new Pool
        {
            BondedTokens = ValidatorMath.Int(bank.GetBalance(ctx, BondedPoolAddress, denom)),
            NotBondedTokens = ValidatorMath.Int(bank.GetBalance(ctx, NotBondedPoolAddress, denom)),
        };
    }

    private Coins BondCoins(Context ctx, BigInteger amount) => Coins.Of(new Coin(BondDenom(ctx), amount));

    internal void BondedTokensToNotBonded(Context ctx, BigInteger amount)
    {
        if (amount.Sign <= 0) return;
        bank.SendCoinsFromModuleToModule(ctx, StakingKeys.BondedPoolName, StakingKeys.NotBondedPoolName, BondCoins(ctx, amount));
    }

    internal void NotBondedTokensToBonded(Context ctx, BigInteger amount)
    {
        if (amount.Sign <= 0) return;
        bank.SendCoinsFromModuleToModule(ctx, StakingKeys.NotBondedPoolName, StakingKeys.BondedPoolName, BondCoins(ctx, amount));
    }

    internal void BurnBondedTokens(Context ctx, BigInteger amount) => Burn(ctx, StakingKeys.BondedPoolName, amount);

    internal void BurnNotBondedTokens(Context ctx, BigInteger amount) => Burn(ctx, StakingKeys.NotBondedPoolName, amount);

    private void Burn(Context ctx, string pool, BigInteger amount)
    {
        if (amount.Sign <= 0) return;
        bank.BurnCoins(ctx, pool, BondCoins(ctx, amount));
        burns.RecordBurn(ctx, amount);
    }

    internal IBankKeeper Bank => bank;

    // ---- unbonding ids ----

    internal ulong IncrementUnbondingId(Context ctx)
    {
        ulong id = KeyCodec.ReadUInt64Value(Store(ctx).Get([StakingKeys.UnbondingIdKey])) + 1;
        Store(ctx).Set([StakingKeys.UnbondingIdKey], KeyCodec.UInt64Value(id));
        return id;
    }

    internal static Timestamp Ts(DateTimeOffset t) => Timestamp.FromDateTimeOffset(t);

    internal static DateTimeOffset Time(Timestamp? t) => t?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch;

    /// <summary>Go's time.RFC3339 of a UTC time (event attributes).</summary>
    internal static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
