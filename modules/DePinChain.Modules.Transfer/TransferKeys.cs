using System.Text;
using DePinChain.Crypto;

namespace DePinChain.Modules.Transfer;

/// <summary>
/// The transfer module's names and store layout, as ibc-go v8 keeps them (modules/apps/transfer/types/keys.go), so a
/// proof of one of our keys reads like one of an ibc-go chain's.
/// </summary>
public static class TransferKeys
{
    public const string ModuleName = "transfer";

    public const string StoreKey = ModuleName;

    /// <summary>The port the module binds at genesis.</summary>
    public const string PortId = "transfer";

    /// <summary>The only channel version the module speaks (ICS-20 v1, JSON packet data).</summary>
    public const string Version = "ics20-1";

    /// <summary>The prefix of voucher denominations: <c>ibc/{UPPERHEX(sha256(full path))}</c>.</summary>
    public const string DenomPrefix = "ibc";

    /// <summary>0x01 → the bound port id.</summary>
    public static ReadOnlySpan<byte> PortKey => [0x01];

    /// <summary>0x02 ‖ sha256(full denom path) → DenomTrace.</summary>
    public const byte DenomTracePrefix = 0x02;

    /// <summary>The params are stored under the key "params" (ibc-go v8 moved them out of x/params).</summary>
    public static ReadOnlySpan<byte> ParamsKey => "params"u8;

    public const string TotalEscrowPrefix = "totalEscrowForDenom";

    public static byte[] DenomTraceKey(ReadOnlySpan<byte> hash32)
    {
        var key = new byte[1 + hash32.Length];
        key[0] = DenomTracePrefix;
        hash32.CopyTo(key.AsSpan(1));
        return key;
    }

    /// <summary><c>totalEscrowForDenom/{denom}</c>: the amount of a native denom escrowed across every channel.</summary>
    public static byte[] TotalEscrowForDenomKey(string denom) => Encoding.UTF8.GetBytes(TotalEscrowPrefix + "/" + denom);

    /// <summary>
    /// The account that holds what is escrowed on one channel: ADR-028's address hash
    /// <c>sha256("ics20-1" ‖ 0x00 ‖ "{port}/{channel}")[:20]</c> (the version stays ics20-1 even for later versions,
    /// so the address never moves).
    /// </summary>
    public static byte[] EscrowAddress(string portId, string channelId)
    {
        int contentLength = Encoding.UTF8.GetByteCount(portId) + 1 + Encoding.UTF8.GetByteCount(channelId);
        var preimage = new byte[Version.Length + 1 + contentLength];
        int at = Encoding.ASCII.GetBytes(Version, preimage);
        preimage[at++] = 0;
        at += Encoding.UTF8.GetBytes(portId, preimage.AsSpan(at));
        preimage[at++] = (byte)'/';
        Encoding.UTF8.GetBytes(channelId, preimage.AsSpan(at));
        return Hashes.Sha256(preimage)[..20];
    }
}
