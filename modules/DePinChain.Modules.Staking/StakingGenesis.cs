using System.Numerics;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DePinChain.Modules.Staking;

/// <summary>
/// The staking genesis in the SDK's shape. Init checks the pools against the bank balances of the two pool accounts
/// (so bank's genesis must come first); the validator set it makes is asked for after genesis and gentxs
/// (<see cref="StakingKeeper.InitialValidatorSet"/>): for an exported genesis its last validator powers as given.
/// </summary>
public sealed class StakingGenesis(StakingKeeper keeper) : ModuleGenesis<GenesisState>(Json)
{
    /// <summary>The staking <c>app_state</c> section as JSON (consensus keys are <c>/cosmos.crypto.ed25519.PubKey</c> Anys).</summary>
    public static readonly GenesisCodec<GenesisState> Json = new(StakingKeys.ModuleName, TypeRegistry.FromMessages(DePinChain.Protos.Cosmos.Crypto.Ed25519.PubKey.Descriptor));

    public override GenesisState Default() => new() { Params = StakingKeeper.DefaultParams() };

    public static void ValidateParams(Params p)
    {
        if (p.UnbondingTime is null || p.UnbondingTime.ToTimeSpan() <= TimeSpan.Zero) throw StakingErrors.InvalidGenesis("unbonding time must be positive");
        if (p.MaxValidators == 0) throw StakingErrors.InvalidGenesis("max validators must be positive");
        if (p.MaxEntries == 0) throw StakingErrors.InvalidGenesis("max entries must be positive");
        if (string.IsNullOrWhiteSpace(p.BondDenom) || !Coins.IsValidDenom(p.BondDenom)) throw StakingErrors.InvalidGenesis($"invalid bond denom \"{p.BondDenom}\"");
        LegacyDec rate;
        try { rate = LegacyDec.FromWire(p.MinCommissionRate); }
        catch (FormatException e) { throw StakingErrors.InvalidGenesis("min commission rate: " + e.Message); }
        if (rate.IsNegative) throw StakingErrors.InvalidGenesis("minimum commission rate cannot be negative: " + rate);
        if (rate > LegacyDec.One) throw StakingErrors.InvalidGenesis("minimum commission rate cannot be greater than 100%: " + rate);
    }

    public override void Validate(GenesisState g)
    {
        ValidateParams(g.Params ?? throw StakingErrors.InvalidGenesis("params are missing"));
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var ops = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in g.Validators)
        {
            ValidatorAddress.ParseOperator(v.OperatorAddress);
            var key = Convert.ToHexString(v.ConsPubKey());
            string moniker = v.Description?.Moniker ?? "";
            if (!keys.Add(key) || !ops.Add(v.OperatorAddress))
                throw StakingErrors.InvalidGenesis($"duplicate validator in genesis state: moniker {moniker}, address {ValidatorAddress.ToConsensusBech32(v.ConsAddress())}");
            if (v.Jailed && v.IsBonded())
                throw StakingErrors.InvalidGenesis($"validator is bonded and jailed in genesis state: moniker {moniker}, address {ValidatorAddress.ToConsensusBech32(v.ConsAddress())}");
            if (v.GetShares().IsZero && !v.IsUnbonding())
                throw StakingErrors.InvalidGenesis($"bonded/unbonded genesis validator cannot have zero delegator shares, validator: {v.OperatorAddress}");
        }
        var pairs = new HashSet<(string, string)>();
        foreach (var d in g.Delegations)
        {
            Bech32Address.Parse(d.DelegatorAddress);
            ValidatorAddress.ParseOperator(d.ValidatorAddress);
            if (!pairs.Add((d.DelegatorAddress, d.ValidatorAddress))) throw StakingErrors.InvalidGenesis($"duplicate delegation {d.DelegatorAddress} → {d.ValidatorAddress}");
        }
        var ubds = new HashSet<(string, string)>();
        foreach (var u in g.UnbondingDelegations)
            if (!ubds.Add((u.DelegatorAddress, u.ValidatorAddress))) throw StakingErrors.InvalidGenesis($"duplicate unbonding delegation {u.DelegatorAddress} → {u.ValidatorAddress}");
        var reds = new HashSet<(string, string, string)>();
        foreach (var r in g.Redelegations)
            if (!reds.Add((r.DelegatorAddress, r.ValidatorSrcAddress, r.ValidatorDstAddress))) throw StakingErrors.InvalidGenesis($"duplicate redelegation {r.DelegatorAddress} {r.ValidatorSrcAddress} → {r.ValidatorDstAddress}");
        var lasts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lv in g.LastValidatorPowers)
            if (!lasts.Add(lv.Address)) throw StakingErrors.InvalidGenesis($"duplicate last validator power {lv.Address}");
        if (!g.LastTotalPower.IsEmpty) ParseTotalPower(g.LastTotalPower);
    }

    private static BigInteger ParseTotalPower(ByteString bytes)
    {
        if (!BigInteger.TryParse(bytes.ToStringUtf8(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v))
            throw StakingErrors.InvalidGenesis("last_total_power is not a decimal integer");
        return v;
    }

    public override void Init(Context ctx, GenesisState g)
    {
        keeper.SetParams(ctx, g.Params);
        if (!g.LastTotalPower.IsEmpty) keeper.SetLastTotalPower(ctx, ParseTotalPower(g.LastTotalPower));
        BigInteger bonded = 0, notBonded = 0;
        foreach (var v in g.Validators)
        {
            keeper.SetValidator(ctx, v);
            keeper.SetValidatorByConsAddr(ctx, v);
            keeper.SetValidatorByPowerIndex(ctx, v);
            if (!g.Exported) keeper.Hooks.AfterValidatorCreated(ctx, v.Operator());
            if (v.IsUnbonding()) keeper.InsertUnbondingValidatorQueue(ctx, v);
            switch (v.Status)
            {
                case BondStatus.Bonded: bonded += v.GetTokens(); break;
                case BondStatus.Unbonding:
                case BondStatus.Unbonded: notBonded += v.GetTokens(); break;
                default: throw StakingErrors.InvalidGenesis($"invalid validator status of {v.OperatorAddress}");
            }
        }
        foreach (var d in g.Delegations)
        {
            var del = Bech32Address.Parse(d.DelegatorAddress);
            var op = ValidatorAddress.ParseOperator(d.ValidatorAddress);
            if (!g.Exported) keeper.Hooks.BeforeDelegationCreated(ctx, del, op);
            keeper.SetDelegation(ctx, d);
            if (!g.Exported) keeper.Hooks.AfterDelegationModified(ctx, del, op);
        }
        foreach (var u in g.UnbondingDelegations)
        {
            keeper.SetUnbondingDelegation(ctx, u);
            foreach (var e in u.Entries)
            {
                keeper.InsertUbdQueue(ctx, u, StakingKeeper.Time(e.CompletionTime));
                notBonded += ValidatorMath.ParseInt(e.Balance);
            }
        }
        foreach (var r in g.Redelegations)
        {
            keeper.SetRedelegation(ctx, r);
            foreach (var e in r.Entries) keeper.InsertRedelegationQueue(ctx, r, StakingKeeper.Time(e.CompletionTime));
        }

        string denom = g.Params.BondDenom;
        var bondedBalance = keeper.Bank.GetAllBalances(ctx, StakingKeeper.BondedPoolAddress);
        var bondedCoins = bonded.IsZero ? Coins.Empty : Coins.Of(new Coin(denom, bonded));
        if (!bondedBalance.Equals(bondedCoins))
            throw StakingErrors.InvalidGenesis($"bonded pool balance is different from bonded coins: {bondedBalance} <-> {bondedCoins}");
        var notBondedBalance = keeper.Bank.GetAllBalances(ctx, StakingKeeper.NotBondedPoolAddress);
        var notBondedCoins = notBonded.IsZero ? Coins.Empty : Coins.Of(new Coin(denom, notBonded));
        if (!notBondedBalance.Equals(notBondedCoins))
            throw StakingErrors.InvalidGenesis($"not bonded pool balance is different from not bonded coins: {notBondedBalance} <-> {notBondedCoins}");

        if (g.Exported)
        {
            var set = new List<ValidatorPowerUpdate>();
            foreach (var lv in g.LastValidatorPowers)
            {
                var op = ValidatorAddress.ParseOperator(lv.Address);
                keeper.SetLastValidatorPower(ctx, op, lv.Power);
                var v = keeper.GetValidator(ctx, op) ?? throw StakingErrors.InvalidGenesis($"last validator power of unknown validator {lv.Address}");
                set.Add(new ValidatorPowerUpdate(v.ConsPubKey(), lv.Power));
            }
            keeper.SetExportedSet(set);
        }
        else
        {
            keeper.SetExportedSet(null);
        }
    }

    /// <summary>Every list in store order, exported = true, so export(import(g)) == g for any g that export produced.</summary>
    public override GenesisState Export(Context ctx)
    {
        var g = new GenesisState
        {
            Params = keeper.GetParams(ctx),
            LastTotalPower = ByteString.CopyFromUtf8(ValidatorMath.Int(keeper.GetLastTotalPower(ctx))),
            Exported = true,
        };
        foreach (var (op, power) in keeper.GetLastValidatorPowers(ctx))
            g.LastValidatorPowers.Add(new LastValidatorPower { Address = ValidatorAddress.ToOperatorBech32(op), Power = power });
        g.Validators.AddRange(keeper.GetAllValidators(ctx));
        g.Delegations.AddRange(keeper.GetAllDelegations(ctx));
        g.UnbondingDelegations.AddRange(keeper.GetAllUnbondingDelegations(ctx));
        g.Redelegations.AddRange(keeper.GetAllRedelegations(ctx));
        return g;
    }
}
