using Visibility.Wire;

namespace Visibility.Engine.Ike;

/// <summary>Two endpoint addresses without direction (lower first): the peers of an IKE SA or of an ESP flow.</summary>
internal readonly record struct IkeAddressPair(NetworkAddress Low, NetworkAddress High)
{
    public static IkeAddressPair Of(NetworkAddress a, NetworkAddress b) => a.CompareTo(b) <= 0 ? new(a, b) : new(b, a);
}
