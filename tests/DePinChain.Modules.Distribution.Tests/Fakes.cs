using System.Numerics;
using DePinChain.Modules.Tests;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.Modules.Distribution.Tests;

/// <summary>Balances by address; module accounts at ModuleAccounts.Address(name).</summary>
internal sealed class FakeBank : IBankKeeper, IAccountKeeper
{
    private readonly SortedDictionary<string, SortedDictionary<string, BigInteger>> _balances = new(StringComparer.Ordinal);
    private readonly HashSet<string> _modules = new(StringComparer.Ordinal);

    public FakeBank(params string[] modules)
    {
        foreach (var m in modules) _modules.Add(Convert.ToHexString(ModuleAccounts.Address(m)));
    }

    public bool IsModuleAddress(ReadOnlySpan<byte> address) => _modules.Contains(Convert.ToHexString(address));

    public BigInteger Balance(ReadOnlySpan<byte> address, string denom = "udpin")
        => _balances.TryGetValue(Convert.ToHexString(address), out var b) ? b.GetValueOrDefault(denom) : 0;

    public BigInteger ModuleBalance(string module, string denom = "udpin") => Balance(ModuleAccounts.Address(module), denom);

    public void Mint(ReadOnlySpan<byte> address, Coins amount)
    {
        var key = Convert.ToHexString(address);
        if (!_balances.TryGetValue(key, out var b)) _balances[key] = b = new(StringComparer.Ordinal);
        foreach (var c in amount.Items) b[c.Denom] = b.GetValueOrDefault(c.Denom) + c.Amount;
    }

    public void MintToModule(string module, Coins amount) => Mint(ModuleAccounts.Address(module), amount);

    public Coins GetAllBalances(Context ctx, ReadOnlySpan<byte> address)
        => _balances.TryGetValue(Convert.ToHexString(address), out var b) ? Coins.Of([.. b.Select(kv => new Coin(kv.Key, kv.Value))]) : Coins.Empty;

    private void Send(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, Coins amount)
    {
        foreach (var c in amount.Items)
            if (Balance(from, c.Denom) < c.Amount) throw SdkErrors.InsufficientFunds($"{Balance(from, c.Denom)}{c.Denom} is smaller than {c}");
        var fromBalances = _balances[Convert.ToHexString(from)];
        foreach (var c in amount.Items) fromBalances[c.Denom] -= c.Amount;
        Mint(to, amount);
    }

    public void SendCoinsFromModuleToModule(Context ctx, string fromModule, string toModule, Coins amount)
        => Send(ModuleAccounts.Address(fromModule), ModuleAccounts.Address(toModule), amount);

    public void SendCoinsFromModuleToAccount(Context ctx, string fromModule, byte[] to, Coins amount)
    {
        if (IsModuleAddress(to)) throw SdkErrors.Unauthorized("module account");
        Send(ModuleAccounts.Address(fromModule), to, amount);
    }

    public void SendCoinsFromAccountToModule(Context ctx, byte[] from, string toModule, Coins amount) => Send(from, ModuleAccounts.Address(toModule), amount);
}

/// <summary>
/// A staking keeper that keeps validators' tokens, shares and commission and delegations' shares with the SDK's
/// exchange rule, and calls distribution's hooks in the order the real one does.
/// </summary>
internal sealed class FakeStaking : IStakingKeeper
{
    private readonly SortedDictionary<string, Validator> _validators = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _byCons = new(StringComparer.Ordinal);
    private readonly SortedDictionary<(string Del, string Val), Delegation> _delegations = new();

    public DistributionStakingHooks? Hooks { get; set; }

    private static string Hex(ReadOnlySpan<byte> b) => Convert.ToHexString(b);

    public Validator? GetValidator(Context ctx, ReadOnlySpan<byte> operatorAddress)
        => _validators.TryGetValue(Hex(operatorAddress), out var v) ? v.Clone() : null;

    public Validator? GetValidatorByConsAddr(Context ctx, ReadOnlySpan<byte> consensusAddress)
        => _byCons.TryGetValue(Hex(consensusAddress), out var op) && _validators.TryGetValue(op, out var v) ? v.Clone() : null;

    public Delegation? GetDelegation(Context ctx, ReadOnlySpan<byte> delegator, ReadOnlySpan<byte> operatorAddress)
        => _delegations.TryGetValue((Hex(delegator), Hex(operatorAddress)), out var d) ? d.Clone() : null;

    public IReadOnlyList<Delegation> GetDelegatorDelegations(Context ctx, ReadOnlySpan<byte> delegator)
    {
        var key = Hex(delegator);
        return [.. _delegations.Where(kv => kv.Key.Del == key).Select(kv => kv.Value.Clone())];
    }

    public bool HasValidator(byte[] op) => _validators.ContainsKey(Hex(op));

    public void CreateValidator(Context ctx, byte[] op, byte[] consAddr, LegacyDec rate, BigInteger selfBond)
    {
        _validators[Hex(op)] = new Validator
        {
            OperatorAddress = ValidatorAddress.ToOperatorBech32(op), Tokens = "0", DelegatorShares = "0",
            Commission = new Commission { CommissionRates = new CommissionRates { Rate = rate.ToWire(), MaxRate = LegacyDec.One.ToWire(), MaxChangeRate = LegacyDec.One.ToWire() } },
        };
        _byCons[Hex(consAddr)] = Hex(op);
        Hooks?.AfterValidatorCreated(ctx, op);
        Delegate(ctx, op, op, selfBond);
    }

    public void Delegate(Context ctx, byte[] delegator, byte[] op, BigInteger amount)
    {
        var v = _validators[Hex(op)];
        var key = (Hex(delegator), Hex(op));
        bool exists = _delegations.ContainsKey(key);
        if (exists) Hooks?.BeforeDelegationSharesModified(ctx, delegator, op);
        else Hooks?.BeforeDelegationCreated(ctx, delegator, op);
        var tokens = v.GetTokens();
        var shares = v.GetShares();
        // The SDK's AddTokensFromDel: the first shares 1:1, then shares · amount / tokens (truncated, QuoInt).
        var issued = shares.IsZero ? LegacyDec.FromInt(amount) : shares.MulInt(amount).QuoInt(tokens);
        v.Tokens = (tokens + amount).ToString();
        v.DelegatorShares = shares.Add(issued).ToWire();
        var d = exists ? _delegations[key] : new Delegation { DelegatorAddress = Bech32Address.ToBech32(delegator), ValidatorAddress = v.OperatorAddress, Shares = "0" };
        d.Shares = LegacyDec.FromWire(d.Shares).Add(issued).ToWire();
        _delegations[key] = d;
        Hooks?.AfterDelegationModified(ctx, delegator, op);
    }

    /// <summary>Removes <paramref name="shares"/> of the delegation; returns the tokens taken out (the SDK's RemoveDelShares).</summary>
    public BigInteger Undelegate(Context ctx, byte[] delegator, byte[] op, LegacyDec shares)
    {
        var key = (Hex(delegator), Hex(op));
        var d = _delegations[key];
        var v = _validators[Hex(op)];
        Hooks?.BeforeDelegationSharesModified(ctx, delegator, op);
        var left = LegacyDec.FromWire(d.Shares).Sub(shares);
        if (left.IsNegative) throw new InvalidOperationException("not enough shares");
        var tokens = v.GetTokens();
        var remaining = v.GetShares().Sub(shares);
        BigInteger issuedTokens = remaining.IsZero ? tokens : v.TokensFromShares(shares).TruncateInt();
        v.Tokens = (tokens - issuedTokens).ToString();
        v.DelegatorShares = remaining.ToWire();
        if (left.IsZero)
        {
            Hooks?.BeforeDelegationRemoved(ctx, delegator, op);
            _delegations.Remove(key);
        }
        else
        {
            d.Shares = left.ToWire();
            Hooks?.AfterDelegationModified(ctx, delegator, op);
        }
        if (remaining.IsZero)
        {
            var consKey = _byCons.First(kv => kv.Value == Hex(op)).Key;
            _validators.Remove(Hex(op));
            _byCons.Remove(consKey);
            Hooks?.AfterValidatorRemoved(ctx, Convert.FromHexString(consKey), op);
        }
        return issuedTokens;
    }

    /// <summary>Burns ⌊tokens · fraction⌋ and tells distribution the effective fraction (rounded up), as the SDK's Slash.</summary>
    public void Slash(Context ctx, byte[] op, LegacyDec fraction)
    {
        var v = _validators[Hex(op)];
        var tokens = v.GetTokens();
        var burn = LegacyDec.FromInt(tokens).MulTruncate(fraction).TruncateInt();
        if (burn.IsZero) return;
        var effective = LegacyDec.FromInt(burn).QuoRoundUp(LegacyDec.FromInt(tokens));
        if (effective > LegacyDec.One) effective = LegacyDec.One;
        Hooks?.BeforeValidatorSlashed(ctx, op, effective);
        v.Tokens = (tokens - burn).ToString();
    }
}

/// <summary>One chain of distribution over the fakes: a store, blocks by height, and the keeper.</summary>
internal sealed class DistChain
{
    public const string Rewards = "rewards";
    public const string FeeCollector = "fee_collector";

    public SortedMultiStore Store { get; } = new(DistributionKeys.StoreKey);
    public FakeBank Bank { get; } = new(DistributionKeys.ModuleName, Rewards, FeeCollector);
    public FakeStaking Staking { get; } = new();
    public DistributionKeeper Keeper { get; }
    public DistributionStakingHooks Hooks { get; }
    public long Height { get; private set; } = 1;
    public Context Ctx { get; private set; }

    public DistChain()
    {
        Keeper = new DistributionKeeper(Bank, Bank, Staking, FeeCollector);
        Hooks = new DistributionStakingHooks(Keeper);
        Staking.Hooks = Hooks;
        Ctx = NewContext(Height, []);
    }

    private Context NewContext(long height, IReadOnlyList<VoteInfo> votes)
        => new(Store, new BlockHeader("test-chain", height, DateTimeOffset.UnixEpoch.AddSeconds(height), LastCommitVotes: votes),
            ExecMode.Finalize, GasMeter.Infinite(), new EventManager());

    /// <summary>Moves to the next block (with these votes of the previous block) without running begin block.</summary>
    public Context NextBlock(IReadOnlyList<VoteInfo>? votes = null)
    {
        Height++;
        Ctx = NewContext(Height, votes ?? []);
        return Ctx;
    }

    public static byte[] Addr(int n) => Enumerable.Repeat((byte)n, 20).ToArray();

    public static byte[] Cons(int n) => Enumerable.Repeat((byte)(0x80 + n), 20).ToArray();

    public string? PayFromRewards(byte[] cons, BigInteger amount)
    {
        var coins = Coins.Of(new Coin("udpin", amount));
        Bank.MintToModule(Rewards, coins);
        return Keeper.AllocateFromModule(Ctx, Rewards, cons, coins);
    }

    public IEnumerable<SdkEvent> Events => Ctx.Events.Events;
}
