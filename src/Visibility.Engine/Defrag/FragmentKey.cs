using Visibility.Wire;

namespace Visibility.Engine.Defrag;

/// <summary>Identity of a datagram being reassembled: addresses, identification and (IPv4) protocol,
/// as RFC 791 §3.2 and RFC 8200 §4.5 define it.</summary>
internal readonly record struct FragmentKey(NetworkAddress Source, NetworkAddress Destination, uint Id, IPProtocol Protocol);
