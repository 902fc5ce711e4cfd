namespace Visibility.Wire.Tests.Ike.Support;

/// <summary>One frame of a capture file, copied out of the reader's buffer.</summary>
internal sealed record CapturedFrame(long FrameNumber, LinkType LinkType, byte[] Data);
