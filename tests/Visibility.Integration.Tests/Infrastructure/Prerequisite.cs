namespace Visibility.Integration.Tests.Infrastructure;

/// <summary>Something an integration test needs from the machine.</summary>
[Flags]
public enum Prerequisite
{
    None = 0,

    /// <summary>Running as root (network namespaces, raw capture).</summary>
    Root = 1,

    /// <summary><c>ip netns</c> and veth pairs can be created.</summary>
    NetworkNamespaces = 2,

    /// <summary>Debian's <c>/usr/bin/python3</c> with scapy.</summary>
    Scapy = 4,

    /// <summary>The <c>prometheus</c> server binary.</summary>
    Prometheus = 8,

    /// <summary>libpcap's shared library.</summary>
    Libpcap = 16,

    /// <summary>Root can run the built CLI as the unprivileged user <c>nobody</c> (runuser, readable files).</summary>
    UnprivilegedRun = 32,

    /// <summary>tcpdump (to record what a namespace receives).</summary>
    Tcpdump = 64,
}
