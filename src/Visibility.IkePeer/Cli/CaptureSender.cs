using System.Net;
using Visibility.IkePeer.Session;
using Visibility.Wire;
using Visibility.Wire.Pcap;

namespace Visibility.IkePeer.Cli;

/// <summary><c>initiate --send-pcap FILE</c>: sends the IP packet of every frame of a capture file, as it is, through the
/// active Child SA (ESP tunnel mode).</summary>
/// <remarks>
/// The file is read with <see cref="CaptureFileReader"/> (pcap or pcapng) and each frame decoded with
/// <see cref="PacketDecoder"/>, so every link type the sensor decodes works; the inner packet is the IP datagram
/// from its header to the end its length field gives (link trailers and padding dropped). Frames without an IP
/// header, whose IP header does not decode, that the snap length cut, or whose addresses or protocol fall outside
/// the Child SA's traffic selectors are skipped and counted by reason.
/// </remarks>
internal static class CaptureSender
{
    /// <exception cref="CaptureFileException">The file is not a capture file, or is damaged (the packets before the
    /// damage have been sent).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static CaptureSendSummary Send(PeerEngine engine, IkeSession session, string path)
    {
        int sent = 0, notIp = 0, malformed = 0, truncated = 0, outside = 0;
        using var reader = CaptureFileReader.Open(File.OpenRead(path));
        var meta = default(PacketMeta);
        while (reader.TryReadNext(out var record))
        {
            PacketDecoder.Decode(record.Data, record.LinkType, record.OriginalLength, ref meta);
            if (meta.IPVersion is not (4 or 6))
            {
                notIp++;
                continue;
            }

            var addressLength = meta.IPVersion == 4 ? 4 : 16;
            var addressOffset = meta.NetworkOffset + (meta.IPVersion == 4 ? 12 : 8);
            if (meta.NetworkEnd < addressOffset + 2 * addressLength)
            {
                malformed++;
                continue;
            }

            if (!meta.NetworkComplete)
            {
                truncated++;
                continue;
            }

            var packet = record.Data[meta.NetworkOffset..meta.NetworkEnd];
            var source = new IPAddress(packet.Slice(addressOffset - meta.NetworkOffset, addressLength));
            var destination = new IPAddress(packet.Slice(addressOffset - meta.NetworkOffset + addressLength, addressLength));
            if (engine.SendInnerPacket(session, packet.ToArray(), source, destination, (byte)meta.Protocol))
            {
                sent++;
            }
            else
            {
                outside++;
            }
        }

        return new CaptureSendSummary(path, sent, notIp, malformed, truncated, outside);
    }
}
