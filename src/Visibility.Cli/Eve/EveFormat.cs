using Visibility.Wire;

namespace Visibility.Cli.Eve;

/// <summary>Formatting helpers for EVE values that write into caller buffers, so records cost no garbage.</summary>
internal static class EveFormat
{
    private const long NanosecondsPerTick = 100;
    private static readonly string[] s_protocolNames = BuildProtocolNames();

    /// <summary>Suricata's timestamp form: <c>2024-06-10T08:00:00.123456+0000</c> (UTC, microseconds).</summary>
    public static int FormatTimestamp(long nanoseconds, Span<char> destination)
    {
        var time = new DateTime(DateTime.UnixEpoch.Ticks + nanoseconds / NanosecondsPerTick, DateTimeKind.Utc);
        time.TryFormat(destination, out int written, "yyyy-MM-dd'T'HH:mm:ss.ffffff");
        "+0000".CopyTo(destination[written..]);
        return written + 5;
    }

    /// <summary>IANA keyword of an IP protocol as Suricata prints it in <c>proto</c>; the number otherwise.</summary>
    public static string ProtocolName(IPProtocol protocol) => s_protocolNames[(byte)protocol];

    public static string EncapsulationName(EspEncapsulation encapsulation) => encapsulation switch
    {
        EspEncapsulation.Udp => "udp",
        EspEncapsulation.Wesp => "wesp",
        EspEncapsulation.WespUdp => "wesp-udp",
        _ => "esp",
    };

    private static string[] BuildProtocolNames()
    {
        var names = new string[256];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        names[1] = "ICMP";
        names[2] = "IGMP";
        names[4] = "IPv4";
        names[6] = "TCP";
        names[17] = "UDP";
        names[41] = "IPv6";
        names[47] = "GRE";
        names[50] = "ESP";
        names[51] = "AH";
        names[58] = "IPv6-ICMP";
        names[89] = "OSPF";
        names[103] = "PIM";
        names[112] = "VRRP";
        names[132] = "SCTP";
        names[141] = "WESP";
        return names;
    }
}
