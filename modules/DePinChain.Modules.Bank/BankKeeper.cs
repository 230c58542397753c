using DePinChain.Store.Backend;
using System.Globalization;
using System.Numerics;
using System.Text;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.Modules.Bank;

/// <summary>
/// Owns the bank store: balances per (address, denom) and total supply per denom. Every change to a balance
/// emits the SDK's coin_spent / coin_received events; supply changes only through mint and burn. The only code that
/// reads or writes the bank store; what it needs from auth is in ExpectedKeepers.cs. Other modules reach it through the
/// app's BankBridge, each with its own expected bank keeper; the ante handler deducts fees with
/// <see cref="SendCoinsFromAccountToModule"/>.
/// </summary>
public sealed class BankKeeper(IAccountKeeper accounts)
{
    public IAccountKeeper Accounts { get; } = accounts;

    public static Params DefaultParams() => new() { DefaultSendEnabled = true };

    private static readonly ParamsStore<Params> ParamsStore = new(BankKeys.ModuleName, BankKeys.ParamsKey, Params.Parser, DefaultParams);

    public Params GetParams(Context ctx) => ParamsStore.Get(ctx);

    public void SetParams(Context ctx, Params p) => ParamsStore.Set(ctx, p);

    public Metadata? GetDenomMetadata(Context ctx, string denom)
    {
        var bytes = ctx.KVStore(BankKeys.ModuleName).Get(BankKeys.DenomMetadataKey(denom));
        return bytes is null ? null : Metadata.Parser.ParseFrom(bytes);
    }

    public void SetDenomMetadata(Context ctx, Metadata metadata)
        => ctx.KVStore(BankKeys.ModuleName).Set(BankKeys.DenomMetadataKey(metadata.Base), metadata.ToByteArray());

    /// <summary>Every denom's metadata, by denom.</summary>
    public IEnumerable<Metadata> DenomMetadata(Context ctx)
    {
        byte[] prefix = [BankKeys.DenomMetadataPrefix];
        foreach (var (_, value) in ctx.KVStore(BankKeys.ModuleName).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
            yield return Metadata.Parser.ParseFrom(value);
    }

    public BigInteger GetBalance(Context ctx, ReadOnlySpan<byte> address, string denom)
        => ReadAmount(ctx.KVStore(BankKeys.ModuleName).Get(BankKeys.BalanceKey(address, denom)));

    public Coins GetAllBalances(Context ctx, ReadOnlySpan<byte> address)
    {
        var prefix = BankKeys.BalancesPrefixOf(address);
        var coins = new List<Coin>();
        foreach (var (key, value) in ctx.KVStore(BankKeys.ModuleName).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
            coins.Add(new Coin(Encoding.UTF8.GetString(key, prefix.Length, key.Length - prefix.Length), ReadAmount(value)));
        return Coins.Of([.. coins]);
    }

    public BigInteger GetSupply(Context ctx, string denom)
        => ReadAmount(ctx.KVStore(BankKeys.ModuleName).Get(BankKeys.SupplyKey(denom)));

    public Coins GetTotalSupply(Context ctx)
    {
        var coins = new List<Coin>();
        byte[] prefix = [BankKeys.SupplyPrefix];
        foreach (var (key, value) in ctx.KVStore(BankKeys.ModuleName).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
            coins.Add(new Coin(Encoding.UTF8.GetString(key, 1, key.Length - 1), ReadAmount(value)));
        return Coins.Of([.. coins]);
    }

    /// <summary>Rejects denoms that have no supply: nobody can hold them, so a transfer of one is a client mistake.</summary>
    public void RequireKnownDenoms(Context ctx, Coins amount)
    {
        foreach (var c in amount.Span)
            if (GetSupply(ctx, c.Denom).IsZero) throw SdkErrors.InvalidCoins($"unknown denom {c.Denom}");
    }

    public void SendCoins(Context ctx, byte[] from, byte[] to, Coins amount)
    {
        SubtractCoins(ctx, from, amount);
        AddCoins(ctx, to, amount);
        // Like the SDK: receiving creates the account, so it can later sign.
        if (!Accounts.HasAccount(ctx, to)) Accounts.CreateAccount(ctx, to);
        ctx.Events.Emit(SdkEvent.Of("transfer",
            ("recipient", Bech32Address.ToBech32(to)), ("sender", Bech32Address.ToBech32(from)), ("amount", amount.ToString())));
        ctx.Events.Emit(SdkEvent.Of("message", ("sender", Bech32Address.ToBech32(from))));
    }

    /// <summary>MsgMultiSend's transfer: one input, many outputs; the caller checked that the sums match.</summary>
    public void InputOutputCoins(Context ctx, Input input, IReadOnlyList<(byte[] Address, Coins Coins)> outputs)
    {
        var from = Bech32Address.Parse(input.Address);
        SubtractCoins(ctx, from, Coins.FromProto(input.Coins));
        ctx.Events.Emit(SdkEvent.Of("message", ("sender", input.Address)));
        foreach (var (to, coins) in outputs)
        {
            AddCoins(ctx, to, coins);
            ctx.Events.Emit(SdkEvent.Of("transfer",
                ("recipient", Bech32Address.ToBech32(to)), ("sender", input.Address), ("amount", coins.ToString())));
            if (!Accounts.HasAccount(ctx, to)) Accounts.CreateAccount(ctx, to);
        }
    }

    public void SendCoinsFromAccountToModule(Context ctx, byte[] from, string toModule, Coins amount)
        => SendCoins(ctx, from, Accounts.EnsureModuleAccount(ctx, toModule), amount);

    public void SendCoinsFromModuleToAccount(Context ctx, string fromModule, byte[] to, Coins amount)
    {
        if (Accounts.IsModuleAddress(to)) throw SdkErrors.Unauthorized($"{Bech32Address.ToBech32(to)} is not allowed to receive funds");
        SendCoins(ctx, Accounts.EnsureModuleAccount(ctx, fromModule), to, amount);
    }

    public void SendCoinsFromModuleToModule(Context ctx, string fromModule, string toModule, Coins amount)
        => SendCoins(ctx, Accounts.EnsureModuleAccount(ctx, fromModule), Accounts.EnsureModuleAccount(ctx, toModule), amount);

    public void MintCoins(Context ctx, string moduleName, Coins amount)
    {
        if (!Accounts.HasPermission(moduleName, ModuleAccounts.Minter))
            throw SdkErrors.Unauthorized($"module account {moduleName} does not have permissions to mint tokens");
        var address = Accounts.EnsureModuleAccount(ctx, moduleName);
        AddCoins(ctx, address, amount);
        foreach (var c in amount.Span) SetSupply(ctx, c.Denom, GetSupply(ctx, c.Denom) + c.Amount);
        ctx.Events.Emit(SdkEvent.Of("coinbase", ("minter", Bech32Address.ToBech32(address)), ("amount", amount.ToString())));
    }

    public void BurnCoins(Context ctx, string moduleName, Coins amount)
    {
        if (!Accounts.HasPermission(moduleName, ModuleAccounts.Burner))
            throw SdkErrors.Unauthorized($"module account {moduleName} does not have permissions to burn tokens");
        var address = Accounts.EnsureModuleAccount(ctx, moduleName);
        SubtractCoins(ctx, address, amount);
        foreach (var c in amount.Span) SetSupply(ctx, c.Denom, GetSupply(ctx, c.Denom) - c.Amount);
        ctx.Events.Emit(SdkEvent.Of("burn", ("burner", Bech32Address.ToBech32(address)), ("amount", amount.ToString())));
    }

    private void SubtractCoins(Context ctx, byte[] address, Coins amount)
    {
        foreach (var c in amount.Span)
        {
            var balance = GetBalance(ctx, address, c.Denom);
            if (balance < c.Amount)
                throw SdkErrors.InsufficientFunds($"spendable balance {balance}{c.Denom} is smaller than {c}");
            SetBalance(ctx, address, c.Denom, balance - c.Amount);
        }
        ctx.Events.Emit(SdkEvent.Of("coin_spent", ("spender", Bech32Address.ToBech32(address)), ("amount", amount.ToString())));
    }

    private void AddCoins(Context ctx, byte[] address, Coins amount)
    {
        foreach (var c in amount.Span)
        {
            var balance = GetBalance(ctx, address, c.Denom) + c.Amount;
            if (balance > Coins.MaxAmount) throw SdkErrors.InvalidCoins($"balance of {c.Denom} would exceed 256 bits");
            SetBalance(ctx, address, c.Denom, balance);
        }
        ctx.Events.Emit(SdkEvent.Of("coin_received", ("receiver", Bech32Address.ToBech32(address)), ("amount", amount.ToString())));
    }

    internal void SetBalance(Context ctx, ReadOnlySpan<byte> address, string denom, BigInteger amount)
    {
        var store = ctx.KVStore(BankKeys.ModuleName);
        var key = BankKeys.BalanceKey(address, denom);
        // Zero balances are deleted, so iteration shows only what an account holds.
        if (amount.IsZero) store.Delete(key);
        else store.Set(key, WriteAmount(amount));
    }

    internal void SetSupply(Context ctx, string denom, BigInteger amount)
    {
        var store = ctx.KVStore(BankKeys.ModuleName);
        if (amount.Sign < 0) throw new InvalidOperationException($"supply of {denom} would become negative");
        if (amount.IsZero) store.Delete(BankKeys.SupplyKey(denom));
        else store.Set(BankKeys.SupplyKey(denom), WriteAmount(amount));
    }

    /// <summary>Every (address, balances) pair, in store order (address length, then address bytes).</summary>
    public IEnumerable<(byte[] Address, Coins Coins)> IterateAllBalances(Context ctx)
    {
        byte[] prefix = [BankKeys.BalancesPrefix];
        byte[]? current = null;
        var coins = new List<Coin>();
        foreach (var (key, value) in ctx.KVStore(BankKeys.ModuleName).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
        {
            int length = key[1];
            var address = key[2..(2 + length)];
            if (current is not null && !current.AsSpan().SequenceEqual(address))
            {
                yield return (current, Coins.Of([.. coins]));
                coins.Clear();
            }
            current = address;
            coins.Add(new Coin(Encoding.UTF8.GetString(key, 2 + length, key.Length - 2 - length), ReadAmount(value)));
        }
        if (current is not null) yield return (current, Coins.Of([.. coins]));
    }

    // Amounts are stored as decimal ASCII. Most fit in 18 digits, which a loop over ulong handles far faster than
    // BigInteger's parser and formatter; both paths give the same value and the same bytes.
    private const int FastDigits = 18;

    private static BigInteger ReadAmount(byte[]? bytes)
    {
        if (bytes is null) return BigInteger.Zero;
        if (bytes.Length is > 0 and <= FastDigits)
        {
            ulong value = 0;
            foreach (byte b in bytes)
            {
                uint digit = (uint)(b - '0');
                if (digit > 9) goto slow;
                value = value * 10 + digit;
            }
            return value;
        }
    slow:
        return BigInteger.Parse(Encoding.ASCII.GetString(bytes), CultureInfo.InvariantCulture);
    }

    private static byte[] WriteAmount(BigInteger amount)
    {
        if (amount.Sign >= 0 && amount <= ulong.MaxValue)
        {
            Span<byte> digits = stackalloc byte[20];
            ((ulong)amount).TryFormat(digits, out int written, default, CultureInfo.InvariantCulture);
            return digits[..written].ToArray();
        }
        return Encoding.ASCII.GetBytes(amount.ToString(CultureInfo.InvariantCulture));
    }
}
