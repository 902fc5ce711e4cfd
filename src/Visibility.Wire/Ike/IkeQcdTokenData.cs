namespace Visibility.Wire.Ike;

/// <summary>View over the notification data of QUICK_CRASH_DETECTION (16419): the QCD token.</summary>
/// <remarks>RFC 6290 §4.1, §5: TOKEN_SECRET_DATA of 16 to 128 octets; the Notify uses Protocol ID 1 and SPI
/// size 0. Up to 4 tokens may appear in one message (key rollover).</remarks>
public readonly ref struct IkeQcdTokenData
{
    public const int MinLength = 16;
    public const int MaxLength = 128;

    private IkeQcdTokenData(ReadOnlySpan<byte> token) => Token = token;

    public ReadOnlySpan<byte> Token { get; }

    /// <summary>False when the token is outside 16..128 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out IkeQcdTokenData token)
    {
        if (data.Length is < MinLength or > MaxLength)
        {
            token = default;
            return false;
        }
        token = new IkeQcdTokenData(data);
        return true;
    }
}
