namespace DePinChain.Sdk;

/// <summary>Addresses inside store keys: length-prefixed, so keys of different-length addresses never share a prefix.</summary>
public static class AddressKeys
{
    /// <summary><c>len(address) ‖ address</c>, for addresses of 1 to 255 bytes.</summary>
    /// <exception cref="SdkError">The address is empty or longer than 255 bytes (code 7).</exception>
    public static byte[] LengthPrefixed(ReadOnlySpan<byte> address)
    {
        if (address.Length is 0 or > 255) throw SdkErrors.InvalidAddress($"address of {address.Length} bytes");
        return [(byte)address.Length, .. address];
    }
}
