namespace Visibility.Wire.Tests.Decoding;

/// <summary>One capture file's frames.</summary>
internal sealed record CaptureFile(string Name, LinkType LinkType, IReadOnlyList<CapturedFrame> Frames);
