namespace Visibility.Wire.Tests.Decoding;

/// <summary>One frame: captured bytes and the length it had on the wire.</summary>
internal sealed record CapturedFrame(byte[] Data, int OriginalLength, long FrameNumber);
