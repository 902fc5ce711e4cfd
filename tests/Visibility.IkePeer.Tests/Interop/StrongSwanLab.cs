using System.Globalization;

namespace Visibility.IkePeer.Tests.Interop;

/// <summary>Two network namespaces joined by a veth pair: "peer" (198.18.0.1, visibility-peer) and "gw" (198.18.0.2,
/// strongSwan's charon with kernel-libipsec). Inner networks: 198.19.1.0/24 behind the peer, 198.19.2.0/24 behind
/// charon, whose host 198.19.2.1 sits on the gw namespace's loopback. Everything is torn down on dispose.</summary>
/// <remarks>
/// charon writes its pid to the fixed /var/run/charon.pid, so it runs in a mount namespace of its own with a private
/// folder bound over /run. Its vici socket, configuration and log live in a temporary folder; logging at ike=4 and
/// chd=4 prints the derived keys.
/// </remarks>
internal sealed class StrongSwanLab : IDisposable
{
    public const string PeerAddress = "198.18.0.1";
    public const string GatewayAddress = "198.18.0.2";
    public const string PeerNet = "198.19.1.0/24";
    public const string GatewayNet = "198.19.2.0/24";
    public const string PeerHost = "198.19.1.1";
    public const string GatewayHost = "198.19.2.1";
    public const string Psk = "interop secret";

    private const string Charon = "/usr/lib/ipsec/charon";
    private const string Swanctl = "/usr/sbin/swanctl";

    private readonly NamespacePair _pair = new("vpp", "vpg", "vpeer0", "vgw0", "visibility-peer-interop-");
    private ChildProcess? _charon;

    public StrongSwanLab()
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "run"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "swanctl"));
    }

    public string PeerNamespace => _pair.First;

    public string GatewayNamespace => _pair.Second;

    public string Directory => _pair.Directory;

    /// <summary>swanctl's folder: certificates go to x509 and x509ca, private keys to private, before <see cref="StartAsync"/>.</summary>
    public string SwanctlDirectory => Path.Combine(Directory, "swanctl");

    public string CharonLog => File.Exists(Path.Combine(Directory, "charon.log")) ? File.ReadAllText(Path.Combine(Directory, "charon.log")) : string.Empty;

    private Dictionary<string, string> SwanctlEnvironment => new()
    {
        ["STRONGSWAN_CONF"] = Path.Combine(Directory, "strongswan.conf"),
        ["SWANCTL_DIR"] = Path.Combine(Directory, "swanctl"),
    };

    /// <summary>Why the interop tests cannot run here, or null when they can.</summary>
    public static string? MissingPrerequisite()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "strongSwan interop needs Linux network namespaces";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "strongSwan interop needs root (network namespaces, ports 500/4500)";
        }

        if (NamespacePair.MissingTool([Charon, Swanctl, "/usr/bin/ip", "/usr/bin/unshare", "/usr/bin/ping"]) is { } tool)
        {
            return $"strongSwan interop needs {tool} (packages strongswan strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins iproute2 iputils-ping)";
        }

        if (!File.Exists("/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so"))
        {
            return "strongSwan interop needs the kernel-libipsec plugin (package libcharon-extra-plugins)";
        }

        return File.Exists("/dev/net/tun") ? null : "strongSwan interop needs /dev/net/tun for kernel-libipsec";
    }

    /// <summary>Creates the namespaces and starts charon with the given swanctl connections block.</summary>
    /// <param name="connections">The swanctl connections block.</param>
    /// <param name="extraPlugins">Plugins to load besides the default set.</param>
    /// <param name="charonSettings">Extra lines for the charon section of strongswan.conf (e.g. <c>fragment_size = 300</c>).</param>
    public async Task StartAsync(string connections, string extraPlugins = "", string charonSettings = "")
    {
        await _pair.CreateAsync();
        await Ip("-n", PeerNamespace, "addr", "add", PeerAddress + "/24", "dev", "vpeer0");
        await Ip("-n", GatewayNamespace, "addr", "add", GatewayAddress + "/24", "dev", "vgw0");
        await Ip("-n", GatewayNamespace, "addr", "add", GatewayHost + "/32", "dev", "lo");

        var vici = "unix://" + Path.Combine(Directory, "charon.vici");
        await File.WriteAllTextAsync(Path.Combine(Directory, "strongswan.conf"), $$"""
            charon {
              load = random nonce kdf openssl aes sha1 sha2 hmac gcm gmp pem pkcs1 x509 pubkey kernel-libipsec kernel-netlink socket-default vici updown {{extraPlugins}}
              port = 500
              port_nat_t = 4500
              retransmit_timeout = 1
              retransmit_tries = 3
              {{charonSettings}}
              filelog {
                log {
                  path = {{Path.Combine(Directory, "charon.log")}}
                  default = 1
                  ike = 4
                  chd = 4
                  tls = 2
                  flush_line = yes
                }
              }
              plugins {
                vici {
                  socket = {{vici}}
                }
              }
            }
            swanctl {
              socket = {{vici}}
              load = pem pkcs1 x509 pubkey
            }
            """);
        await File.WriteAllTextAsync(Path.Combine(Directory, "swanctl", "swanctl.conf"), $$"""
            connections {
            {{connections}}
            }
            secrets {
              ike-interop {
                secret = "{{Psk}}"
              }
            }
            """);
        var runDir = Path.Combine(Directory, "run");
        _charon = _pair.Start("/usr/bin/ip", ["netns", "exec", GatewayNamespace, "unshare", "--mount", "--propagation", "private", "sh", "-c", $"mount --bind '{runDir}' /run && exec {Charon}"], SwanctlEnvironment);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!File.Exists(Path.Combine(Directory, "charon.vici")))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"charon did not open its vici socket:\n{_charon.Error}\n{CharonLog}");
            }

            await Task.Delay(100);
        }

        var load = await SwanctlAsync("--load-all", "--file", Path.Combine(Directory, "swanctl", "swanctl.conf"));
        if (load.ExitCode != 0)
        {
            throw new InvalidOperationException($"swanctl --load-all failed: {load}");
        }
    }

    /// <summary>Adds another address to charon's side of the link (a second gateway address to redirect to).</summary>
    public Task AddGatewayAddressAsync(string address) => Ip("-n", GatewayNamespace, "addr", "add", address + "/24", "dev", "vgw0");

    /// <summary>Adds another address to the peer's side of the link (a second visibility-peer gateway).</summary>
    public Task AddPeerAddressAsync(string address) => Ip("-n", PeerNamespace, "addr", "add", address + "/24", "dev", "vpeer0");

    public Task<ProcessResult> SwanctlAsync(params string[] args) =>
        ChildProcess.RunAsync(Swanctl, args, TimeSpan.FromSeconds(30), SwanctlEnvironment);

    /// <summary>Pings through the tunnel from charon's inner host to the peer's.</summary>
    public Task<ProcessResult> PingFromGatewayAsync(int count) =>
        ChildProcess.RunAsync("/usr/bin/ip", ["netns", "exec", GatewayNamespace, "ping", "-n", "-c", count.ToString(CultureInfo.InvariantCulture), "-i", "0.3", "-W", "3", "-I", GatewayHost, PeerHost], TimeSpan.FromSeconds(30));

    /// <summary>Starts visibility-peer in the peer namespace.</summary>
    public ChildProcess StartPeer(params string[] args) => _pair.StartPeer(PeerNamespace, args);

    public void Dispose() => _pair.Dispose();

    private static Task Ip(params string[] args) => NamespacePair.Ip(args);
}
