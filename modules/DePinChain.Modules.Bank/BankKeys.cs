using System.Text;
using DePinChain.Sdk;

namespace DePinChain.Modules.Bank;

/// <summary>The bank module's name and store layout (one-byte prefixes as in x/bank/types/keys.go).</summary>
public static class BankKeys
{
    public const string ModuleName = "bank";

    internal const byte SupplyPrefix = 0x00;
    internal const byte DenomMetadataPrefix = 0x01;
    internal const byte BalancesPrefix = 0x02;
    internal const byte ParamsKey = 0x05;

    /// <summary>0x00 | denom → total supply as a decimal string.</summary>
    internal static byte[] SupplyKey(string denom) => [SupplyPrefix, .. Encoding.UTF8.GetBytes(denom)];

    internal static byte[] DenomMetadataKey(string denom) => [DenomMetadataPrefix, .. Encoding.UTF8.GetBytes(denom)];

    /// <summary>0x02 | len(address) | address: every balance of one account.</summary>
    internal static byte[] BalancesPrefixOf(ReadOnlySpan<byte> address)
    {
        if (address.Length > 255) throw SdkErrors.InvalidAddress($"address of {address.Length} bytes is too long");
        return [BalancesPrefix, (byte)address.Length, .. address];
    }

    /// <summary>0x02 | len(address) | address | denom → balance as a decimal string.</summary>
    internal static byte[] BalanceKey(ReadOnlySpan<byte> address, string denom)
    {
        if (address.Length > 255) throw SdkErrors.InvalidAddress($"address of {address.Length} bytes is too long");
        // One array: a bank send builds about ten of these.
        var key = new byte[2 + address.Length + Encoding.UTF8.GetByteCount(denom)];
        key[0] = BalancesPrefix;
        key[1] = (byte)address.Length;
        address.CopyTo(key.AsSpan(2));
        Encoding.UTF8.GetBytes(denom, key.AsSpan(2 + address.Length));
        return key;
    }
}
