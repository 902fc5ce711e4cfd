using Visibility.Wire;

namespace Visibility.Engine.Ike;

/// <summary>One traffic selector (RFC 7296 §3.13.1): an address range, an IP protocol (0 = any) and a port range.</summary>
public readonly record struct IkeTrafficRange(NetworkAddress Start, NetworkAddress End, IPProtocol Protocol, ushort StartPort, ushort EndPort);
