using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>One IKEv2 payload as the peer builds and reads it: type plus body (the octets after the generic header).</summary>
/// <remarks>
/// RFC 7296 §3.2 generic payload header:
/// <code>
///  0                   1                   2                   3
/// | Next Payload  |C|  RESERVED   |         Payload Length        |
/// </code>
/// The chain fields (Next Payload, length) are written by <see cref="IkeCodec"/>; received payloads are read through
/// the views of <c>Visibility.Wire.Ike</c>.
/// </remarks>
internal abstract class Payload
{
    public abstract IkePayloadType PayloadType { get; }

    /// <summary>Writes the body (without the 4-octet generic header).</summary>
    public abstract void WriteBody(List<byte> output);

    public byte[] GetBody()
    {
        var body = new List<byte>();
        WriteBody(body);
        return [.. body];
    }
}
