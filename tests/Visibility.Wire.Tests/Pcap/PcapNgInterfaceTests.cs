using Visibility.Wire.Pcap;

namespace Visibility.Wire.Tests.Pcap;

public sealed class PcapNgInterfaceTests
{
    [Theory]
    [Trait("spec", "pcapng-4.2")]
    [InlineData(6, 1_500_000UL, 1_500_000_000L)]                           // default: microseconds
    [InlineData(9, 1_500_000_001UL, 1_500_000_001L)]                       // nanoseconds
    [InlineData(0, 3UL, 3_000_000_000L)]                                   // seconds
    [InlineData(3, 1_234UL, 1_234_000_000L)]                               // milliseconds
    [InlineData(12, 1_234_567_891_234UL, 1_234_567_891L)]                  // picoseconds, truncated
    [InlineData(19, 10_000_000_000_000_000_000UL, 1_000_000_000L)]         // 10^-19 s: one second is 10^19 units
    [InlineData(0x80 | 20, (1UL << 20) + (1UL << 19), 1_500_000_000L)]     // 2^-20 s
    [InlineData(0x80 | 0, 2UL, 2_000_000_000L)]                            // 2^0 s
    [InlineData(0x80 | 63, 1UL << 63, 1_000_000_000L)]                     // 2^-63 s
    [InlineData(0x80 | 127, ulong.MaxValue, 0L)]                           // 2^-127 s: everything is below 1 ns
    [InlineData(100, ulong.MaxValue, 0L)]                                  // 10^-100 s
    public void ToNanoseconds_Resolution_ScalesAndTruncates(byte resolution, ulong timestamp, long expected)
    {
        var description = new PcapNgInterface(LinkType.Ethernet, 0, resolution, 0);
        Assert.Equal(expected, description.ToNanoseconds(timestamp));
    }

    [Fact]
    [Trait("spec", "pcapng-4.2")]
    public void ToNanoseconds_Offset_AddsSeconds()
    {
        var description = new PcapNgInterface(LinkType.Ethernet, 0, 6, -100);
        Assert.Equal(1_000_000_000L - 100_000_000_000L + 1_000, description.ToNanoseconds(1_000_001));
    }

    [Fact]
    public void ToNanoseconds_Overflow_WrapsWithoutThrowing()
    {
        var description = new PcapNgInterface(LinkType.Ethernet, 0, 0, long.MaxValue);
        _ = description.ToNanoseconds(ulong.MaxValue);
    }
}
