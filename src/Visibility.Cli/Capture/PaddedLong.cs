using System.Runtime.InteropServices;

namespace Visibility.Cli.Capture;

/// <summary>A <see cref="long"/> alone on its cache line (64 bytes before and after), so a producer's and a
/// consumer's positions do not false-share.</summary>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct PaddedLong
{
    [FieldOffset(64)]
    public long Value;
}
