using System.Globalization;
using Visibility.Wire;

namespace Visibility.Cli.Eve;

/// <summary>Formatting helpers for EVE values that write into caller buffers, so records cost no garbage.</summary>
internal static class EveFormat
{
    public const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>Length of a formatted timestamp: <c>2024-06-10T08:00:00.123456+0000</c>.</summary>
    public const int TimestampLength = 31;

    private const long NanosecondsPerTick = 100;
    private const int FractionOffset = 20;
    private static readonly string[] s_protocolNames = BuildProtocolNames();

    /// <summary>Suricata's timestamp form: <c>2024-06-10T08:00:00.123456+0000</c> (UTC, microseconds), as UTF-8 into
    /// <paramref name="destination"/> (at least <see cref="TimestampLength"/> bytes).</summary>
    public static void FormatTimestamp(long nanoseconds, Span<byte> destination)
    {
        var time = new DateTime(DateTime.UnixEpoch.Ticks + nanoseconds / NanosecondsPerTick, DateTimeKind.Utc);
        time.TryFormat(destination, out int written, "yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        "+0000"u8.CopyTo(destination[written..]);
    }

    /// <summary>Rewrites only the six fraction digits of a timestamp that <see cref="FormatTimestamp"/> wrote for the
    /// same second (non-negative time).</summary>
    public static void FormatMicroseconds(long nanoseconds, Span<byte> destination)
    {
        long micros = nanoseconds % NanosecondsPerSecond / 1000;
        for (int i = FractionOffset + 5; i >= FractionOffset; i--)
        {
            destination[i] = (byte)('0' + (int)(micros % 10));
            micros /= 10;
        }
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
            names[i] = i.ToString(CultureInfo.InvariantCulture);
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
