namespace Visibility.IkePeer.Tests.Interop;

/// <summary>EAP-only authentication (RFC 5998) with EAP-TLS (RFC 5216) against charon as the gateway.</summary>
public sealed partial class StrongSwanInteropTests
{
    [RequiresStrongSwanFact]
    [Trait("rfc", "5998-3")]
    public async Task Initiate_EapOnlyWithEapTls_CharonAcceptsOurMskAuthAndTrafficFlows()
    {
        using var lab = new StrongSwanLab();
        var pki = Path.Combine(lab.Directory, "pki");
        Visibility.IkePeer.Cli.ScenarioPki.Write(pki, "gw.test", "client.test");
        foreach (var (file, folder) in new[] { ("ca.pem", "x509ca"), ("gw.test.pem", "x509"), ("gw.test.key", "private") })
        {
            Directory.CreateDirectory(Path.Combine(lab.SwanctlDirectory, folder));
            File.Copy(Path.Combine(pki, file), Path.Combine(lab.SwanctlDirectory, folder, file));
        }

        await lab.StartAsync($$"""
              eap {
                version = 2
                local_addrs = {{StrongSwanLab.GatewayAddress}}
                proposals = aes128-sha256-modp2048
                local {
                  auth = eap-tls
                  id = gw.test
                  certs = gw.test.pem
                }
                remote {
                  auth = eap-tls
                  eap_id = %any
                }
                children {
                  net {
                    local_ts = {{StrongSwanLab.GatewayNet}}
                    remote_ts = {{StrongSwanLab.PeerNet}}
                    esp_proposals = null-sha256
                  }
                }
              }
            """, "eap-identity eap-tls pkcs8");

        using var peer = lab.StartPeer("initiate", "--remote", StrongSwanLab.GatewayAddress, "--id", "client.test", "--remote-id", "gw.test",
            "--eap-tls", "--eap-only", "--cert", Path.Combine(pki, "client.test.pem"), "--key", Path.Combine(pki, "client.test.key"), "--ca", Path.Combine(pki, "ca.pem"),
            "--esp", "null-sha256", "--ike", "aes128-sha256-modp2048", "--local-ts", StrongSwanLab.PeerNet, "--remote-ts", StrongSwanLab.GatewayNet,
            "--send-ping", "3", "--verbose");
        var result = await peer.WaitAsync(s_peerTimeout);

        var log = lab.CharonLog;
        Assert.True(result.ExitCode == 0, $"{result}\n--- charon\n{log}");
        Assert.Contains("EAP-only authentication (RFC 5998)", result.Output, StringComparison.Ordinal);
        Assert.Contains("3 transmitted, 3 received", result.Output, StringComparison.Ordinal);
        Assert.Contains("EAP method EAP_TLS succeeded, MSK established", log, StringComparison.Ordinal);
        Assert.Contains("authentication of 'client.test' with EAP successful", log, StringComparison.Ordinal);
        Assert.Contains("N(EAP_ONLY)", log, StringComparison.Ordinal);
    }
}
