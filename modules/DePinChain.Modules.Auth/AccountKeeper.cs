using DePinChain.Store.Backend;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Modules.Auth;

/// <summary>
/// Owns the auth store: accounts (stored Any-packed, BaseAccount or ModuleAccount), the global account number
/// and the params; the only code that reads or writes the auth store. Module accounts are declared up front by the
/// app, with their permissions. Other modules reach it through the app's AccountsBridge; the ante handler reads and
/// writes accounts (sequence, public key) with it directly.
/// </summary>
public sealed class AccountKeeper
{
    private readonly Dictionary<string, ModuleAccountPermission> _moduleAccounts = new(StringComparer.Ordinal);
    private readonly List<ModuleAccountPermission> _moduleAccountOrder = [];
    // Declared module accounts' addresses: by name (a hash each, asked for on every fee payment) and as a set.
    private readonly Dictionary<string, byte[]> _moduleAddressByName = new(StringComparer.Ordinal);
    private readonly HashSet<byte[]> _moduleAddresses = new(ByteArrayComparer.Instance);
    private readonly HashSet<byte[]>.AlternateLookup<ReadOnlySpan<byte>> _moduleAddressesBySpan;

    public AccountKeeper(IEnumerable<ModuleAccountPermission> moduleAccounts)
    {
        _moduleAddressesBySpan = _moduleAddresses.GetAlternateLookup<ReadOnlySpan<byte>>();
        foreach (var m in moduleAccounts)
        {
            if (!_moduleAccounts.TryAdd(m.Name, m)) throw new ArgumentException($"module account {m.Name} is declared twice");
            _moduleAccountOrder.Add(m);
            var address = AuthKeys.ModuleAddress(m.Name);
            _moduleAddressByName.Add(m.Name, address);
            _moduleAddresses.Add(address);
        }
    }

    /// <summary>Declared module accounts, in declaration order.</summary>
    public IReadOnlyList<ModuleAccountPermission> ModuleAccounts => _moduleAccountOrder;

    public static Params DefaultParams() => new()
    {
        MaxMemoCharacters = 256,
        TxSigLimit = 7,
        TxSizeCostPerByte = 10,
        SigVerifyCostEd25519 = 590,
        SigVerifyCostSecp256K1 = 1000,
    };

    private static readonly ParamsStore<Params> ParamsStore = new(AuthKeys.ModuleName, AuthKeys.ParamsKey, Params.Parser, DefaultParams);

    public Params GetParams(Context ctx) => ParamsStore.Get(ctx);

    public void SetParams(Context ctx, Params p) => ParamsStore.Set(ctx, p);

    public BaseAccount? GetAccount(Context ctx, ReadOnlySpan<byte> address)
    {
        var bytes = ctx.KVStore(AuthKeys.ModuleName).Get(AuthKeys.AccountKey(address));
        if (bytes is null) return null;
        return TryReadBaseAccountAny(bytes) ?? UnpackBase(Any.Parser.ParseFrom(new ReadOnlySpan<byte>(bytes)));
    }

    /// <summary>
    /// The BaseAccount inside stored bytes of exactly the shape <see cref="PackBase"/> writes (type_url then value, nothing
    /// else), parsed in place: no Any, type URL string or copy of the value. Null for any other shape, which then takes
    /// the general path; for this shape both give the same account (or the same parse error).
    /// </summary>
    private static BaseAccount? TryReadBaseAccountAny(byte[] bytes)
    {
        var head = BaseAccountAnyHead;
        if (bytes.Length <= head.Length || !bytes.AsSpan(0, head.Length).SequenceEqual(head)) return null;
        int at = head.Length;
        ulong length = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (at >= bytes.Length || shift > 28) return null;
            byte b = bytes[at++];
            length |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) break;
        }
        if (length != (ulong)(bytes.Length - at)) return null;
        return BaseAccount.Parser.ParseFrom(bytes.AsSpan(at));
    }

    /// <summary>The stored account as its Any (BaseAccount or ModuleAccount), or null.</summary>
    public Any? GetAccountAny(Context ctx, ReadOnlySpan<byte> address)
    {
        var bytes = ctx.KVStore(AuthKeys.ModuleName).Get(AuthKeys.AccountKey(address));
        return bytes is null ? null : Any.Parser.ParseFrom(new ReadOnlySpan<byte>(bytes));
    }

    public bool HasAccount(Context ctx, ReadOnlySpan<byte> address)
        => ctx.KVStore(AuthKeys.ModuleName).Has(AuthKeys.AccountKey(address));

    public BaseAccount CreateAccount(Context ctx, ReadOnlySpan<byte> address)
    {
        var account = new BaseAccount
        {
            Address = Bech32Address.ToBech32(address),
            AccountNumber = NextAccountNumber(ctx),
        };
        SetAccount(ctx, account);
        return account;
    }

    public void SetAccount(Context ctx, BaseAccount account)
    {
        var address = Bech32Address.Parse(account.Address);
        ctx.KVStore(AuthKeys.ModuleName).Set(AuthKeys.AccountKey(address), PackBase(account));
    }

    private static readonly byte[] BaseAccountAnyHead = BuildBaseAccountAnyHead();

    private static byte[] BuildBaseAccountAnyHead()
    {
        var any = new Any { TypeUrl = AuthKeys.BaseAccountTypeUrl };
        var bytes = new byte[CodedOutputStream.ComputeStringSize(any.TypeUrl) + 2];
        var output = new CodedOutputStream(bytes);
        output.WriteTag(Any.TypeUrlFieldNumber, WireFormat.WireType.LengthDelimited);
        output.WriteString(any.TypeUrl);
        output.WriteTag(Any.ValueFieldNumber, WireFormat.WireType.LengthDelimited);
        output.CheckNoSpaceLeft();
        return bytes;
    }

    /// <summary>The bytes of Any.Pack(account, ""), serializing the account once instead of twice.</summary>
    private static byte[] PackBase(BaseAccount account)
    {
        int size = account.CalculateSize();
        if (size == 0) return Any.Pack(account, "").ToByteArray(); // an empty value is left out of the Any
        // Any{type_url, value}: the constant head (type_url field and value's tag), value's length, then the account.
        var head = BaseAccountAnyHead;
        int lengthSize = CodedOutputStream.ComputeLengthSize(size);
        var bytes = new byte[head.Length + lengthSize + size];
        head.CopyTo(bytes, 0);
        int at = head.Length;
        for (uint rest = (uint)size; ; rest >>= 7)
        {
            if (rest < 0x80) { bytes[at++] = (byte)rest; break; }
            bytes[at++] = (byte)(rest | 0x80);
        }
        account.WriteTo(bytes.AsSpan(at));
        return bytes;
    }

    /// <summary>Stores an account exactly as genesis gives it (BaseAccount or ModuleAccount, Any-packed).</summary>
    internal void ImportAccount(Context ctx, ReadOnlySpan<byte> address, Any account)
        => ctx.KVStore(AuthKeys.ModuleName).Set(AuthKeys.AccountKey(address), account.ToByteArray());

    public void SetModuleAccount(Context ctx, ModuleAccount account)
    {
        var address = Bech32Address.Parse(account.BaseAccount.Address);
        ctx.KVStore(AuthKeys.ModuleName).Set(AuthKeys.AccountKey(address), Any.Pack(account, "").ToByteArray());
    }

    /// <summary>Returns the next account number and advances the counter.</summary>
    public ulong NextAccountNumber(Context ctx)
    {
        var store = ctx.KVStore(AuthKeys.ModuleName);
        ulong next = KeyCodec.ReadUInt64Value(store.Get([AuthKeys.GlobalAccountNumberKey]));
        store.Set([AuthKeys.GlobalAccountNumberKey], KeyCodec.UInt64Value(next + 1));
        return next;
    }

    public void SetNextAccountNumber(Context ctx, ulong next)
        => ctx.KVStore(AuthKeys.ModuleName).Set([AuthKeys.GlobalAccountNumberKey], KeyCodec.UInt64Value(next));

    public byte[] GetModuleAddress(string moduleName) => AuthKeys.ModuleAddress(moduleName);

    public bool IsModuleAddress(ReadOnlySpan<byte> address) => _moduleAddressesBySpan.Contains(address);

    public bool HasPermission(string moduleName, string permission)
        => _moduleAccounts.TryGetValue(moduleName, out var m) && m.Permissions.Contains(permission, StringComparer.Ordinal);

    public byte[] EnsureModuleAccount(Context ctx, string moduleName)
    {
        if (!_moduleAccounts.TryGetValue(moduleName, out var declared))
            throw new InvalidOperationException($"module account {moduleName} is not declared");
        // A copy: callers own the address they get.
        var address = (byte[])_moduleAddressByName[moduleName].Clone();
        if (!HasAccount(ctx, address))
        {
            SetModuleAccount(ctx, new ModuleAccount
            {
                BaseAccount = new BaseAccount { Address = Bech32Address.ToBech32(address), AccountNumber = NextAccountNumber(ctx) },
                Name = moduleName,
                Permissions = { declared.Permissions },
            });
        }
        return address;
    }

    /// <summary>Every stored account as its Any, in address order.</summary>
    public IEnumerable<Any> IterateAccounts(Context ctx)
    {
        foreach (var (_, value) in ctx.KVStore(AuthKeys.ModuleName).Iterate([AuthKeys.AccountPrefix], [AuthKeys.AccountPrefix + 1]))
            yield return Any.Parser.ParseFrom(value);
    }

    public static BaseAccount UnpackBase(Any any) => any.TypeUrl switch
    {
        AuthKeys.BaseAccountTypeUrl => BaseAccount.Parser.ParseFrom(any.Value.Span),
        AuthKeys.ModuleAccountTypeUrl => ModuleAccount.Parser.ParseFrom(any.Value.Span).BaseAccount,
        _ => throw new InvalidDataException($"unknown account type {any.TypeUrl}"),
    };
}
