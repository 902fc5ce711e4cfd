using System.Text;
using Visibility.Inspection.Abstractions;
using Visibility.Plugins.Example;
using Visibility.Wire;

namespace Visibility.Plugins.Tests;

public sealed class HttpBasicCredentialsInspectorTests
{
    private static readonly byte[] s_request = Encoding.ASCII.GetBytes(
        "GET /admin HTTP/1.1\r\nHost: intranet.example\r\nAuthorization: Basic YWxpY2U6V2ludGVyMjAyNCE=\r\n\r\n");

    private static readonly byte[] s_proxyRequest = Encoding.ASCII.GetBytes(
        "GET http://example.org/ HTTP/1.1\r\nProxy-Authorization: Basic YWxpY2U6V2ludGVyMjAyNCE=\r\n\r\n");

    private static uint[] Inspect(byte[] payload, EspSaVerdict verdict = EspSaVerdict.Null,
        EspEncapsulation encapsulation = EspEncapsulation.Esp, FlowDirection direction = FlowDirection.ToServer,
        InspectedProtocol protocol = InspectedProtocol.Tcp)
    {
        var inspector = new HttpBasicCredentialsInspector();
        SignatureDeclaration[] declared = [.. inspector.Signatures];
        Span<bool> raised = stackalloc bool[declared.Length];
        var results = new InspectionResults(declared, raised);
        var packet = new InspectedPacket
        {
            Protocol = protocol,
            Source = NetworkAddress.Parse("10.1.0.10"),
            Destination = NetworkAddress.Parse("10.2.0.20"),
            SourcePort = 40000,
            DestinationPort = 80,
            Payload = payload,
            Direction = direction,
            EspSpi = 0x1001,
            EspVerdict = verdict,
            EspEncapsulation = encapsulation,
        };
        inspector.Inspect(packet, ref results);
        var sids = new List<uint>();
        foreach (SignatureDeclaration d in declared)
        {
            if (results.IsRaised(d))
            {
                sids.Add(d.Sid);
            }
        }
        return [.. sids];
    }

    [Fact]
    public void Inspect_CredentialsInsideEspNull_RaisesAuthorization() =>
        Assert.Equal([2290001u], Inspect(s_request));

    [Fact]
    public void Inspect_ProxyCredentialsInsideWespUdp_RaisesProxyAuthorization() =>
        Assert.Equal([2290002u], Inspect(s_proxyRequest, encapsulation: EspEncapsulation.WespUdp));

    [Fact]
    public void Inspect_PlainTraffic_RaisesNothing() =>
        Assert.Empty(Inspect(s_request, EspSaVerdict.Unknown, EspEncapsulation.None));

    [Fact]
    public void Inspect_SaVerdictEncrypted_RaisesNothing() =>
        Assert.Empty(Inspect(s_request, EspSaVerdict.Encrypted));

    [Fact]
    public void Inspect_TheEspPacketItself_RaisesNothing() =>
        Assert.Empty(Inspect(s_request, protocol: InspectedProtocol.Esp));

    [Fact]
    public void Inspect_ToClient_RaisesNothing() =>
        Assert.Empty(Inspect(s_request, direction: FlowDirection.ToClient));

    [Fact]
    public void Signatures_AreTwoCredentialTheftAlertsInTheExampleRange()
    {
        var inspector = new HttpBasicCredentialsInspector();
        Assert.Equal(InspectorProtocol.Tcp, inspector.Protocol);
        Assert.All(inspector.Signatures, s =>
        {
            Assert.InRange(s.Sid, 2290000u, 2290999u);
            Assert.Equal("credential-theft", s.Classtype);
            Assert.Equal(SignatureAction.Alert, s.Action);
        });
        Assert.Equal(2, inspector.Signatures.Select(s => s.Sid).Distinct().Count());
    }
}
