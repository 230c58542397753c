using DePinChain.Protos.Depin.Devices.V1;
using System.Globalization;
using System.Numerics;
using DePinChain.Cli.Commands;
using DePinChain.Fleet;
using DePinChain.Protos.Cosmos.Base.Query.V1Beta1;
using DePinChain.Protos.Cosmos.Base.V1Beta1;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DePinChain.Cli.AutoCli;

/// <summary>How a request field is typed on the command line, chosen from its proto type and name.</summary>
public enum FieldKind
{
    /// <summary>A bech32 account address; a hex address or a key name is accepted too.</summary>
    Address,
    /// <summary>A validator's operator address (depinvaloper1…); an account address or key name means its operator address.</summary>
    ValidatorAddress,
    /// <summary>A validator's consensus address (depinvalcons1…, or CometBFT's 20-byte hex).</summary>
    ConsensusAddress,
    /// <summary>A LegacyDec (cosmos.Dec), typed as a decimal (0.05): at most 18 decimals.</summary>
    Decimal,
    /// <summary>One cosmos.base.v1beta1.Coin, typed as 1000udpin.</summary>
    Coin,
    /// <summary>A device or maker public key: hex, or a key name in the device keyring.</summary>
    DeviceKey,
    /// <summary>Bytes in hex (or base64 with a b64: prefix).</summary>
    Bytes,
    /// <summary>A coordinate in micro-degrees, typed as decimal degrees (at most 6 decimals).</summary>
    MicroDegrees,
    /// <summary>A quantity in tenths (dBi, dBm, dB), typed with at most one decimal.</summary>
    Tenths,
    Integer,
    Bool,
    Text,
    /// <summary>An integer amount kept as a decimal string (cosmos Int); a coin of the chain's denom is accepted too.</summary>
    IntegerText,
    Enum,
    /// <summary>repeated cosmos.base.v1beta1.Coin, typed as 1000udpin,5other.</summary>
    Coins,
    /// <summary>cosmos.base.query.v1beta1.PageRequest, typed as --page-key/--limit/--offset/--count-total/--reverse.</summary>
    Pagination,
    /// <summary>Any other message: proto JSON, inline or in a file.</summary>
    Json,
}

/// <summary>Turns what a person types into the value of one proto field; every mistake is a <see cref="CliUsageException"/>.</summary>
public static class FieldInput
{
    private static readonly HashSet<string> AddressNames = new(StringComparer.Ordinal)
    {
        "address", "owner", "new_owner", "authority", "fee_payer", "router", "payer", "recipient", "sender", "submitter",
        "from_address", "to_address", "delegator_address", "delegator_addr", "withdraw_address", "depositor",
    };

    private static readonly HashSet<string> ValidatorNames = new(StringComparer.Ordinal)
    {
        "validator_address", "validator_addr", "validator_src_address", "validator_dst_address", "src_validator_addr",
        "dst_validator_addr", "operator_address",
    };

    private static readonly HashSet<string> DeviceKeyNames = new(StringComparer.Ordinal)
    {
        "key", "device_key", "paired_device_key", "beaconer_key", "witness_key",
    };

    public static FieldKind KindOf(FieldDescriptor field)
    {
        switch (field.FieldType)
        {
            case FieldType.String:
                if (AddressNames.Contains(field.Name)) return FieldKind.Address;
                if (ValidatorNames.Contains(field.Name)) return FieldKind.ValidatorAddress;
                if (field.Name == "cons_address") return FieldKind.ConsensusAddress;
                if (DePinChain.Sdk.CosmosJson.ScalarOf(field) == "cosmos.Dec") return FieldKind.Decimal;
                return field.Name == "amount" ? FieldKind.IntegerText : FieldKind.Text;
            case FieldType.Bytes:
                return DeviceKeyNames.Contains(field.Name) ? FieldKind.DeviceKey : FieldKind.Bytes;
            case FieldType.Bool:
                return FieldKind.Bool;
            case FieldType.Enum:
                return FieldKind.Enum;
            case FieldType.Message:
                if (field.MessageType == Coin.Descriptor) return field.IsRepeated ? FieldKind.Coins : FieldKind.Coin;
                if (field.MessageType == PageRequest.Descriptor) return FieldKind.Pagination;
                return FieldKind.Json;
            default:
                if (field.Name.EndsWith("_micro", StringComparison.Ordinal)) return FieldKind.MicroDegrees;
                if (field.Name.Contains("_tenths_", StringComparison.Ordinal)) return FieldKind.Tenths;
                return FieldKind.Integer;
        }
    }

    /// <summary>The flag or argument name a person types: kebab case, without the unit suffix of scaled fields.</summary>
    public static string CliName(FieldDescriptor field)
    {
        string name = KindOf(field) switch
        {
            FieldKind.MicroDegrees => field.Name[..^"_micro".Length],
            FieldKind.Tenths => field.Name[..field.Name.IndexOf("_tenths_", StringComparison.Ordinal)],
            _ => field.Name,
        };
        return name.Replace('_', '-');
    }

    /// <summary>What to type, added after the proto comment in --help.</summary>
    public static string Hint(FieldDescriptor field) => KindOf(field) switch
    {
        FieldKind.Address => "a depin1… address, a hex address or a key name",
        FieldKind.ValidatorAddress => "a depinvaloper1… address, or the operator's depin1… address or key name",
        FieldKind.ConsensusAddress => "a depinvalcons1… address or CometBFT's hex validator address",
        FieldKind.Decimal => "a decimal, like 0.05",
        FieldKind.Coin => "one coin, like 1000000udpin",
        FieldKind.DeviceKey => "a public key in hex, or a device key name",
        FieldKind.Bytes => "hex",
        FieldKind.MicroDegrees => "decimal degrees, at most 6 decimals",
        FieldKind.Tenths => $"{UnitOf(field)}, at most one decimal",
        FieldKind.Integer => "an integer",
        FieldKind.IntegerText => "an integer amount, like 1000000 or 1000000udpin",
        FieldKind.Enum => "one of " + string.Join(", ", EnumChoices(field.EnumType)),
        FieldKind.Coins => "coins, like 1000udpin",
        FieldKind.Json => $"{field.MessageType.Name} as proto JSON, inline or in a file",
        _ => "",
    };

    private static string UnitOf(FieldDescriptor field) => field.Name[(field.Name.IndexOf("_tenths_", StringComparison.Ordinal) + "_tenths_".Length)..] switch
    {
        "dbi" => "dBi",
        "dbm" => "dBm",
        "db" => "dB",
        var other => other,
    };

    /// <summary>An enum's values as typed: the value name without the enum's prefix, lower case, dashes (full, data-only).</summary>
    public static IEnumerable<string> EnumChoices(EnumDescriptor type) =>
        type.Values.Where(v => v.Number != 0).Select(v => ShortName(type, v));

    private static string ShortName(EnumDescriptor type, EnumValueDescriptor value)
    {
        string prefix = EnumPrefix(type);
        string name = value.Name.StartsWith(prefix, StringComparison.Ordinal) ? value.Name[prefix.Length..] : value.Name;
        return name.ToLowerInvariant().Replace('_', '-');
    }

    private static string EnumPrefix(EnumDescriptor type)
    {
        // KeyType → KEY_TYPE_, DeviceMode → DEVICE_MODE_ (the proto style guide's value prefix).
        var upper = new System.Text.StringBuilder();
        foreach (char c in type.Name)
        {
            if (char.IsUpper(c) && upper.Length > 0) upper.Append('_');
            upper.Append(char.ToUpperInvariant(c));
        }
        return upper.Append('_').ToString();
    }

    public static int ParseEnum(FieldDescriptor field, string text, string what)
    {
        var type = field.EnumType;
        foreach (var value in type.Values)
        {
            if (string.Equals(value.Name, text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(ShortName(type, value), text.Replace('_', '-'), StringComparison.OrdinalIgnoreCase))
                return value.Number;
        }
        throw new CliUsageException($"{what}: '{text}' is not one of {string.Join(", ", EnumChoices(type))}");
    }

    /// <summary>Latitude or longitude in micro-degrees from decimal degrees: exact, at most 6 decimals, range-checked.</summary>
    public static int ParseMicroDegrees(FieldDescriptor field, string text, string what) =>
        Usage(() => field.Name.StartsWith("lat", StringComparison.Ordinal) ? FixedDecimal.LatitudeMicro(text, what) : FixedDecimal.LongitudeMicro(text, what));

    public static object ParseInteger(FieldDescriptor field, string text, string what)
    {
        string t = text.Trim();
        string digits = t.StartsWith('-') || t.StartsWith('+') ? t[1..] : t;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
            throw new CliUsageException($"{what}: '{text}' is not an integer");
        var n = BigInteger.Parse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        try
        {
            return field.FieldType switch
            {
                FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => (object)(int)n,
                FieldType.UInt32 or FieldType.Fixed32 => (uint)n,
                FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => (long)n,
                FieldType.UInt64 or FieldType.Fixed64 => (ulong)n,
                _ => throw new CliUsageException($"{what}: unsupported field type {field.FieldType}"),
            };
        }
        catch (OverflowException)
        {
            throw new CliUsageException($"{what}: {text} is out of range");
        }
    }

    /// <summary>A value in tenths (5.8 dBi → 58) for an integer field: exact, at most one decimal.</summary>
    public static object ParseTenths(FieldDescriptor field, string text, string what) =>
        ParseInteger(field, Usage(() => FixedDecimal.Parse(text, 1, what)).ToString(CultureInfo.InvariantCulture), what);

    /// <summary>The fleet's exact decimal parsing, its errors as command-line errors.</summary>
    private static T Usage<T>(Func<T> parse)
    {
        try { return parse(); }
        catch (FleetException e) { throw new CliUsageException(e.Message); }
    }

    /// <summary>Bytes as hex (an optional 0x), or base64 after "b64:".</summary>
    public static byte[] ParseBytes(string text, string what)
    {
        string t = text.Trim();
        if (t.StartsWith("b64:", StringComparison.Ordinal))
        {
            try { return Convert.FromBase64String(t[4..]); }
            catch (FormatException) { throw new CliUsageException($"{what}: '{text}' is not valid base64"); }
        }
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) t = t[2..];
        if (t.Length % 2 != 0 || !t.All(char.IsAsciiHexDigit))
            throw new CliUsageException($"{what}: '{text}' is not hex");
        return Convert.FromHexString(t);
    }

    public static bool TryParseHex(string text, out byte[] bytes)
    {
        string t = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (t.Length > 0 && t.Length % 2 == 0 && t.All(char.IsAsciiHexDigit))
        {
            bytes = Convert.FromHexString(t);
            return true;
        }
        bytes = [];
        return false;
    }

    /// <summary>An integer amount as the decimal string cosmos Int fields hold; "5udpin" is accepted when udpin is <paramref name="denom"/>.</summary>
    public static string ParseIntegerText(string text, string denom, string what)
    {
        string t = text.Trim();
        if (t.EndsWith(denom, StringComparison.Ordinal)) t = t[..^denom.Length];
        if (t.Length == 0 || !t.All(char.IsAsciiDigit))
            throw new CliUsageException($"{what}: '{text}' is not an integer amount (like 1000000 or 1000000{denom})");
        return BigInteger.Parse(t, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A LegacyDec in its wire form (the scaled integer's digits) from a decimal as typed.</summary>
    public static string ParseDecimal(string text, string what)
        => DePinChain.Sdk.LegacyDec.TryParse(text.Trim(), out var value)
            ? value.ToWire()
            : throw new CliUsageException($"{what}: '{text}' is not a decimal with at most {DePinChain.Sdk.LegacyDec.Precision} decimals (like 0.05)");

    /// <summary>One coin, like 1000000udpin.</summary>
    public static Coin ParseCoin(string text, string what)
    {
        var coins = CommandHelpers.ParseCoins(text, what).ToProto().ToList();
        return coins.Count == 1 ? coins[0] : throw new CliUsageException($"{what}: give one coin, like 1000000udpin, not '{text}'");
    }

    /// <summary>A consensus address: depinvalcons1… or 20 bytes of hex, as depinvalcons1….</summary>
    public static string ParseConsensusAddress(string text, string what)
    {
        if (TryParseHex(text, out var raw) && raw.Length == 20) return DePinChain.Sdk.ValidatorAddress.ToConsensusBech32(raw);
        try
        {
            DePinChain.Sdk.ValidatorAddress.ParseConsensus(text);
            return text;
        }
        catch (DePinChain.Sdk.SdkError)
        {
            throw new CliUsageException($"{what}: '{text}' is neither a {DePinChain.Sdk.ValidatorAddress.ConsensusPrefix}1… address nor a 20-byte hex address");
        }
    }

    private static readonly Lazy<DePinChain.Sdk.CosmosJson> Json = new(() => new(Rpc.TxJson.Types));

    public static IMessage ParseJson(MessageDescriptor type, string text, string what)
    {
        // Inline JSON starts with '{'; anything else names a file ('@file' would be taken by the parser as a response file).
        string json = text.TrimStart().StartsWith('{')
            ? text
            : File.Exists(text) ? File.ReadAllText(text) : throw new CliUsageException($"{what}: '{text}' is neither JSON nor a file");
        try
        {
            // Decimals in the SDK's JSON form ("0.100000000000000000"), through CosmosJson.
            return Json.Value.Parse(json, type);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException or InvalidOperationException)
        {
            throw new CliUsageException($"{what}: not a {type.Name} in JSON ({e.Message.ReplaceLineEndings(" ")})");
        }
    }
}
