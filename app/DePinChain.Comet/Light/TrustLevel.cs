namespace DePinChain.Comet.Light;

/// <summary>
/// The fraction of the trusted set's power that must sign a non-adjacent header (cometbft libs/math Fraction;
/// ibc-go's <c>Fraction</c>). Valid: 1/3 ≤ numerator/denominator ≤ 1, denominator ≠ 0 (light.ValidateTrustLevel).
/// </summary>
public readonly record struct TrustLevel(ulong Numerator, ulong Denominator)
{
    /// <summary>light.DefaultTrustLevel, and ibc-go's default: 1/3.</summary>
    public static TrustLevel OneThird => new(1, 3);

    /// <summary>Throws when the level is outside [1/3, 1] (the products are done in UInt128: no overflow).</summary>
    public void Validate()
    {
        if (Denominator == 0 || (UInt128)Numerator * 3 < Denominator || Numerator > Denominator)
            throw new LightVerificationException(LightFailure.InvalidTrustLevel,
                $"trustLevel must be within [1/3, 1], given {Numerator}/{Denominator}");
    }

    public override string ToString() => $"{Numerator}/{Denominator}";
}
