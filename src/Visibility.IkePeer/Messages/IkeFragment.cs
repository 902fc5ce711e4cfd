using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>One verified and decrypted SKF fragment [RFC 7383 §2.5]: its numbers, the first inner payload type (fragment 1
/// only, else None) and its chunk of the message's payload chain, padding removed.</summary>
internal readonly record struct IkeFragment(ushort Number, ushort Total, IkePayloadType FirstPayload, byte[] Chunk);
