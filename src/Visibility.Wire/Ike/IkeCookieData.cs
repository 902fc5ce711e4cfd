namespace Visibility.Wire.Ike;

/// <summary>View over the notification data of COOKIE (16390).</summary>
/// <remarks>RFC 7296 §2.6, §3.10.1: 1 to 64 octets chosen by the responder; the initiator's retry repeats the
/// IKE_SA_INIT request with N(COOKIE) as the first payload.</remarks>
public readonly ref struct IkeCookieData
{
    public const int MinLength = 1;
    public const int MaxLength = 64;

    private IkeCookieData(ReadOnlySpan<byte> cookie) => Cookie = cookie;

    public ReadOnlySpan<byte> Cookie { get; }

    /// <summary>False when the cookie is outside 1..64 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out IkeCookieData cookie)
    {
        if (data.Length is < MinLength or > MaxLength)
        {
            cookie = default;
            return false;
        }
        cookie = new IkeCookieData(data);
        return true;
    }
}
