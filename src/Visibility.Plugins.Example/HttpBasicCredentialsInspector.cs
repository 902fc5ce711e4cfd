using Visibility.Inspection.Abstractions;

namespace Visibility.Plugins.Example;

/// <summary>Raises an alert for an HTTP request carried in the clear inside ESP-NULL (or unencrypted WESP) that holds
/// Basic credentials which really decode to a user-id and a password.</summary>
/// <remarks>The shipped rule 2201001 flags the <c>Authorization: Basic</c> header; a rule cannot decode the base64
/// token, so it also fires for an empty or malformed one. This inspector reports only usable credentials:
/// sid 2290001 for <c>Authorization</c>, 2290002 for <c>Proxy-Authorization</c>.</remarks>
public sealed class HttpBasicCredentialsInspector : IPacketInspector
{
    /// <summary>Basic credentials in <c>Authorization</c>.</summary>
    public static readonly SignatureDeclaration Authorization = new(2290001,
        "VISIBILITY plugin ESP-NULL cleartext HTTP Basic user and password", classtype: "credential-theft");

    /// <summary>Basic credentials in <c>Proxy-Authorization</c>.</summary>
    public static readonly SignatureDeclaration ProxyAuthorization = new(2290002,
        "VISIBILITY plugin ESP-NULL cleartext HTTP proxy Basic user and password", classtype: "credential-theft");

    private static readonly SignatureDeclaration[] s_signatures = [Authorization, ProxyAuthorization];

    public string Name => "http-basic-credentials";

    public InspectorProtocol Protocol => InspectorProtocol.Tcp;

    public IReadOnlyList<SignatureDeclaration> Signatures => s_signatures;

    public void Inspect(in InspectedPacket packet, ref InspectionResults results)
    {
        if (!packet.IsEspNullCleartext || packet.Direction == FlowDirection.ToClient || packet.Payload.IsEmpty)
        {
            return;
        }
        if (HttpBasicCredentials.Has(packet.Payload, "Authorization"u8))
        {
            results.Raise(Authorization);
        }
        if (HttpBasicCredentials.Has(packet.Payload, "Proxy-Authorization"u8))
        {
            results.Raise(ProxyAuthorization);
        }
    }
}
