namespace Visibility.Wire.Tests.Ike.Support;

/// <summary>An IKE message found in a capture frame: the UDP payload from the IKE header on (after the non-ESP
/// marker on port 4500).</summary>
internal sealed record IkeDatagram(long FrameNumber, ushort SourcePort, ushort DestinationPort, bool NonEspMarker, byte[] Message);
