using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>A transform of a proposal: type, ID and the optional Key Length attribute in bits [RFC 7296 §3.3.2, §3.3.5].</summary>
internal sealed record Transform(TransformType Type, ushort Id, ushort KeyLength = 0);
