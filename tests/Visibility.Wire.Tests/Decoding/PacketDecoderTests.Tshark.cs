using System.Globalization;

namespace Visibility.Wire.Tests.Decoding;

public sealed partial class PacketDecoderTests
{
    private static readonly string[] s_oracleColumns = ["frame", "frag", "vlan", "src", "dst", "proto", "sport", "dport", "spi", "seq"];

    [Theory]
    [MemberData(nameof(CaptureNames))]
    public void Decode_EveryCaptureFrame_AgreesWithTshark(string capture)
    {
        CaptureFile file = CaptureCorpus.Get(capture);
        string oraclePath = Path.Combine(CaptureCorpus.RepositoryRoot, "tests", "Visibility.Wire.Tests", "Decoding", "Oracle", capture + ".tsv");
        string[][] oracle = File.ReadAllLines(oraclePath)
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .ToArray();
        Assert.Equal(file.Frames.Count, oracle.Length);

        var differences = new List<string>();
        var meta = default(PacketMeta);
        for (int i = 0; i < oracle.Length; i++)
        {
            CapturedFrame frame = file.Frames[i];
            PacketDecoder.Decode(frame.Data, file.LinkType, frame.OriginalLength, ref meta);
            string[] ours = OracleColumns(frame.FrameNumber, meta);
            for (int c = 0; c < s_oracleColumns.Length; c++)
            {
                if (ours[c] != oracle[i][c] && KnownDifference(file.LinkType, meta, s_oracleColumns[c]) is null)
                {
                    differences.Add($"{capture} frame {frame.FrameNumber} {s_oracleColumns[c]}: ours '{ours[c]}' tshark '{oracle[i][c]}' (anomaly {meta.Anomaly})");
                }
            }
        }
        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences));
    }

    public static TheoryData<string> CaptureNames() => CaptureCorpus.Names();

    /// <summary>The differences from tshark that are kept on purpose, each with its reason; null for any other.</summary>
    /// <remarks>Fragments are not among them: the oracle script already drops the upper-layer columns of fragments,
    /// which tshark dissects (first fragments) and we leave to reassembly.</remarks>
    private static string? KnownDifference(LinkType linkType, in PacketMeta meta, string column)
    {
        if ((int)linkType == 239 && meta.Anomaly == DecodeAnomaly.UnsupportedLinkType)
        {
            // LINKTYPE_NFLOG (zeek nflog-http.pcap): tshark walks the netfilter TLVs to the IP packet; this decoder
            // supports the link types a sensor captures on and reports NFLOG as link.unsupported_type.
            return "NFLOG is not a supported link type";
        }
        if (meta.Anomaly == DecodeAnomaly.UdpLengthInvalid && column is "sport" or "dport")
        {
            // tcpdump isakmp-*oobr* fuzz frames: UDP length 12336 with 12316 octets of IP payload. tshark prints the
            // ports of the bogus header (and flags "Bad length value"); we raise udp.len_invalid and, as for every
            // layer that fails, report no ports.
            return "malformed UDP header";
        }
        return null;
    }

    /// <summary>Our decoding in the oracle's columns (see Oracle/regenerate.py).</summary>
    private static string[] OracleColumns(long frameNumber, in PacketMeta meta)
    {
        bool ip = meta.IPVersion != 0;
        string vlan = meta.VlanCount switch
        {
            0 => "",
            1 => Invariant(meta.OuterVlan),
            _ => Invariant(meta.OuterVlan) + "," + Invariant(meta.InnerVlan),
        };
        bool ports = meta.HasPorts;
        bool esp = meta.Kind == PayloadKind.Esp;
        return
        [
            Invariant(frameNumber),
            meta.IsFragment ? "1" : "0",
            vlan,
            ip ? meta.Source.ToString() : "",
            ip ? meta.Destination.ToString() : "",
            ip ? Invariant((int)meta.Protocol) : "",
            ports ? Invariant(meta.SourcePort) : "",
            ports ? Invariant(meta.DestinationPort) : "",
            esp ? Invariant(meta.Spi) : "",
            esp ? Invariant(meta.SequenceNumber) : "",
        ];
    }

    private static string Invariant<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
}
