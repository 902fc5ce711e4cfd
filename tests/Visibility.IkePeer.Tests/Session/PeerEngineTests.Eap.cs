using Visibility.IkePeer.Eap;
using Visibility.IkePeer.Session;
using Visibility.IkePeer.Tests.Interop;

namespace Visibility.IkePeer.Tests.Session;

/// <summary>EAP-only authentication (RFC 5998) with EAP-TLS between our initiator and our responder.</summary>
public sealed partial class PeerEngineTests
{
    private static (EapTlsCredentials Client, EapTlsCredentials Gateway, string Directory) Pki(bool foreignClient = false)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("peer-pki-").FullName;
        Visibility.IkePeer.Cli.ScenarioPki.Write(directory, "responder.test", "initiator.test");
        var clientDirectory = directory;
        if (foreignClient)
        {
            clientDirectory = Path.Combine(directory, "other");
            Visibility.IkePeer.Cli.ScenarioPki.Write(clientDirectory, "initiator.test");
            File.Copy(Path.Combine(directory, "ca.pem"), Path.Combine(clientDirectory, "gateway-ca.pem"));
        }

        var client = EapTlsCredentials.Load(Path.Combine(clientDirectory, "initiator.test.pem"), Path.Combine(clientDirectory, "initiator.test.key"),
            Path.Combine(clientDirectory, foreignClient ? "gateway-ca.pem" : "ca.pem"));
        var gateway = EapTlsCredentials.Load(Path.Combine(directory, "responder.test.pem"), Path.Combine(directory, "responder.test.key"), Path.Combine(directory, "ca.pem"));
        return (client, gateway, directory);
    }

    [Fact]
    [Trait("rfc", "5998-3")]
    public async Task EapOnly_BothSidesEapTls_SameMskAndTrafficFlows()
    {
        var (client, gateway, directory) = Pki();
        try
        {
            using var pair = new LoopbackPair(initiatorOptions: o => o with { EapTls = client, EapOnly = true }, responderOptions: o => o with { EapTls = gateway });

            var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);

            var responderSession = Assert.Single(pair.Responder.Sessions);
            Assert.True(session.EapOnly);
            Assert.True(responderSession.EapOnly);
            Assert.Equal(64, session.Msk!.Length);
            Assert.Equal(session.Msk, responderSession.Msk);
            Assert.Equal("initiator.test", responderSession.RemoteIdentity!.ToString());
            Assert.Equal(2, await pair.Initiator.PingAsync(session, 2, LoopbackPair.Timeout));
            Assert.True(session.NextRequestId > 4);   // IKE_AUTH took several rounds
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    [Trait("rfc", "5998-3")]
    public async Task EapOnly_InitiatorDoesNotOffer_ResponderRefuses()
    {
        var (client, gateway, directory) = Pki();
        try
        {
            using var pair = new LoopbackPair(initiatorOptions: o => o with { EapTls = client }, responderOptions: o => o with { EapTls = gateway });

            var error = await Assert.ThrowsAsync<PeerException>(() => pair.Initiator.InitiateAsync(LoopbackPair.Timeout));

            Assert.Contains("AUTHENTICATION_FAILED", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    [Trait("rfc", "5216-5.3")]
    public async Task EapOnly_ClientCertificateFromAnotherCa_EapFailure()
    {
        var (client, gateway, directory) = Pki(foreignClient: true);
        try
        {
            using var pair = new LoopbackPair(initiatorOptions: o => o with { EapTls = client, EapOnly = true }, responderOptions: o => o with { EapTls = gateway });
            var failed = pair.Responder.WhenFailed;

            var error = await Assert.ThrowsAsync<PeerException>(() => pair.Initiator.InitiateAsync(LoopbackPair.Timeout));

            Assert.Contains("EAP", error.Message, StringComparison.Ordinal);
            Assert.Contains("not issued by", await failed.WaitAsync(TimeSpan.FromSeconds(5)), StringComparison.Ordinal);
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }
}
