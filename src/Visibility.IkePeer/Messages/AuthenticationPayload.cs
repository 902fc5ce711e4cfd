using Visibility.IkePeer.Protocol;

namespace Visibility.IkePeer.Messages;

/// <summary>AUTH payload (39): Auth Method, 3 reserved octets, authentication data [RFC 7296 §3.8].</summary>
internal sealed class AuthenticationPayload : IkePayload
{
    public AuthenticationPayload(byte method, byte[] data)
    {
        Method = method;
        Data = data;
    }

    public override byte PayloadType => PeerIana.PayloadAuthentication;

    public byte Method { get; }

    public byte[] Data { get; }

    public static AuthenticationPayload? Parse(ReadOnlySpan<byte> body) =>
        body.Length < 4 ? null : new AuthenticationPayload(body[0], body[4..].ToArray());

    public override void WriteBody(List<byte> output)
    {
        output.Add(Method);
        output.Add(0);
        output.Add(0);
        output.Add(0);
        output.AddRange(Data);
    }
}
