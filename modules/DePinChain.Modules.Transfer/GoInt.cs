using System.Numerics;

namespace DePinChain.Modules.Transfer;

/// <summary>
/// The amount parser ibc-go applies to a packet's amount string: cosmossdk.io/math's NewIntFromString, which is Go's
/// <c>big.Int.SetString(s, 0)</c> limited to 256 bits. Base 0 means more than decimal: a sign, the prefixes
/// <c>0x</c>, <c>0o</c>, <c>0b</c> and a bare leading <c>0</c> for octal, and '_' between digits; a chain that read
/// "010" as ten where ibc-go reads eight would mint a different amount for the same packet.
/// </summary>
public static class GoInt
{
    private const int MaxBitLength = 256;

    /// <summary>The value, or null where NewIntFromString reports failure (syntax, or more than 256 bits).</summary>
    public static BigInteger? ParseSdkInt(string text)
    {
        var value = ParseBase0(text);
        if (value is not { } v) return null;
        return BigInteger.Abs(v).GetBitLength() > MaxBitLength ? null : v;
    }

    /// <summary>Go's <c>new(big.Int).SetString(text, 0)</c>; null where it returns ok == false.</summary>
    public static BigInteger? ParseBase0(string text)
    {
        int at = 0;
        bool negative = false;
        if (at < text.Length && text[at] is '+' or '-') negative = text[at++] == '-';

        int radix = 10;
        bool octalZeroPrefix = false;
        // After a prefix (or a digit) a separator may follow; at the very start it may not.
        bool previousIsDigitOrPrefix = false;
        int digits = 0;
        if (at < text.Length && text[at] == '0')
        {
            previousIsDigitOrPrefix = true;
            digits = 1;
            at++;
            if (at < text.Length)
            {
                switch (text[at])
                {
                    case 'b' or 'B': radix = 2; at++; digits = 0; break;
                    case 'o' or 'O': radix = 8; at++; digits = 0; break;
                    case 'x' or 'X': radix = 16; at++; digits = 0; break;
                    default: radix = 8; octalZeroPrefix = true; digits = 0; break;
                }
            }
        }

        BigInteger value = BigInteger.Zero;
        bool badSeparator = false;
        char previous = previousIsDigitOrPrefix ? '0' : '.';
        for (; at < text.Length; at++)
        {
            char c = text[at];
            if (c == '_')
            {
                if (previous != '0') badSeparator = true;
                previous = '_';
                continue;
            }
            int digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'z' => c - 'a' + 10,
                >= 'A' and <= 'Z' => c - 'A' + 10,
                _ => int.MaxValue,
            };
            // A character that is not a digit of the radix ends the number; SetString then fails because input is left.
            if (digit >= radix) return null;
            value = value * radix + digit;
            previous = '0';
            digits++;
        }

        if (digits == 0 && !octalZeroPrefix) return null;
        if (badSeparator || previous == '_') return null;
        return negative ? -value : value;
    }
}
