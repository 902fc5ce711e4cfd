namespace Visibility.Captures.Tests;

/// <summary>Turns tshark's per-frame protocol lists into the sensor's outer-layer counters.</summary>
/// <remarks>tshark names every layer it dissects, including ones quoted inside ICMP errors and tunnelled packets;
/// the sensor counts the outermost network and transport layer of each frame. So only the first IP layer and
/// the layer right after it count. Non-first fragments carry no transport header ("ip:data"), and tshark shows
/// the reassembled transport on the last fragment, as the sensor counts it once on reassembly.</remarks>
internal static class TsharkCounts
{
    private static readonly HashSet<string> s_ipv6Extensions = ["ipv6.hopopts", "ipv6.routing", "ipv6.dstopts", "ipv6.fraghdr", "ah"];

    public static Dictionary<string, long> FromProtocols(string[] lines)
    {
        var counts = new Dictionary<string, long>
        {
            ["packets"] = 0, ["ipv4"] = 0, ["ipv6"] = 0, ["tcp"] = 0, ["udp"] = 0, ["icmpv4"] = 0, ["icmpv6"] = 0,
            ["esp"] = 0, ["esp_udp"] = 0, ["ike"] = 0, ["nat_keepalive"] = 0, ["fragments"] = 0,
        };
        foreach (string line in lines)
        {
            counts["packets"]++;
            string[] columns = line.Split('\t');
            string[] layers = columns[0].Split(':');
            bool fragment = (columns.Length > 1 && columns[1] == "1") || (columns.Length > 2 && columns[2] is not ("" or "0"))
                || (columns.Length > 3 && columns[3] is not ("" or "0")) || (columns.Length > 4 && columns[4] == "1");
            int ip = Array.FindIndex(layers, l => l is "ip" or "ipv6");
            if (ip < 0)
            {
                continue;
            }
            counts[layers[ip] == "ip" ? "ipv4" : "ipv6"]++;
            if (fragment)
            {
                counts["fragments"]++;
            }
            int t = ip + 1;
            while (t < layers.Length && s_ipv6Extensions.Contains(layers[t]))
            {
                t++;
            }
            string transport = t < layers.Length ? layers[t] : "";
            string next = t + 1 < layers.Length ? layers[t + 1] : "";
            string after = t + 2 < layers.Length ? layers[t + 2] : "";
            switch (transport)
            {
                case "tcp":
                    counts["tcp"]++;
                    break;
                case "udp":
                    counts["udp"]++;
                    if (next == "isakmp" || (next == "udpencap" && after == "isakmp"))
                    {
                        counts["ike"]++;
                    }
                    else if (next == "udpencap" && after == "esp")
                    {
                        counts["esp_udp"]++;
                    }
                    else if (next == "udpencap" && after == "")
                    {
                        counts["nat_keepalive"]++;
                    }
                    break;
                case "icmp":
                    counts["icmpv4"]++;
                    break;
                case "icmpv6":
                    counts["icmpv6"]++;
                    break;
                case "esp":
                    counts["esp"]++;
                    break;
            }
        }
        return counts;
    }
}
