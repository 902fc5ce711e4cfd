using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>AUTH payload (39): Auth Method, 3 reserved octets, authentication data [RFC 7296 §3.8].</summary>
internal sealed class AuthenticationPayload : Payload
{
    public AuthenticationPayload(AuthMethod method, byte[] data)
    {
        Method = method;
        Data = data;
    }

    public override IkePayloadType PayloadType => IkePayloadType.Authentication;

    public AuthMethod Method { get; }

    public byte[] Data { get; }

    public static AuthenticationPayload? From(ReadOnlySpan<byte> body) =>
        IkeAuthenticationPayload.TryRead(body, out var view) ? new AuthenticationPayload(view.AuthMethod, view.Data.ToArray()) : null;

    public override void WriteBody(List<byte> output)
    {
        output.Add((byte)Method);
        output.Add(0);
        output.Add(0);
        output.Add(0);
        output.AddRange(Data);
    }
}
