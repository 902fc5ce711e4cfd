using System.Globalization;
using System.Text;

namespace Visibility.IkePeer.Cli;

/// <summary>What <c>initiate --send-pcap FILE</c> did with the frames of FILE: how many inner packets went through the
/// Child SA and why the others were skipped.</summary>
internal sealed record CaptureSendSummary(string Path, int Sent, int NotIp, int MalformedIp, int Truncated, int OutsideSelectors)
{
    public int Skipped => NotIp + MalformedIp + Truncated + OutsideSelectors;

    /// <summary>The one summary line, e.g. <c>sent 14 packets from a.pcap (2 skipped: 2 not IP)</c>.</summary>
    public string Line()
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"sent {Sent} packets from {Path} ({Skipped} skipped");
        var separator = ": ";
        foreach (var (count, reason) in new[] { (NotIp, "not IP"), (MalformedIp, "malformed IP"), (Truncated, "truncated by the snap length"), (OutsideSelectors, "outside the traffic selectors") })
        {
            if (count > 0)
            {
                line.Append(CultureInfo.InvariantCulture, $"{separator}{count} {reason}");
                separator = ", ";
            }
        }

        return line.Append(')').ToString();
    }
}
