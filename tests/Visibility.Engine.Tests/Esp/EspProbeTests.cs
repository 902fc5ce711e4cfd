using Visibility.Engine.Esp;
using Visibility.Wire;
using static Visibility.Engine.Tests.Esp.EspTestPackets;

namespace Visibility.Engine.Tests.Esp;

public sealed class EspProbeTests
{
    public static TheoryData<string, EspLayout> SamplesTimesLayouts()
    {
        var data = new TheoryData<string, EspLayout>();
        foreach (string name in SampleNames)
        {
            foreach (EspLayout layout in EspLayouts.ProbeOrder.ToArray())
            {
                data.Add(name, layout);
            }
        }
        return data;
    }

    public static TheoryData<int> PadLengths() => [.. Enumerable.Range(0, 256)];

    private static EspProbeResult Probe(byte[] esp, EspSample sample) =>
        EspProbe.Probe(esp, PseudoHeader.FromAddresses(sample.Source, sample.Destination));

    [Theory]
    [MemberData(nameof(SamplesTimesLayouts))]
    [Trait("rfc", "5879-8")]
    public void Probe_NullPacketAtEachLayout_FindsThatLayoutStrong(string sampleName, EspLayout layout)
    {
        EspSample sample = Sample(sampleName);
        byte[] esp = EspNull(0x1000, 1, sample.NextHeader, sample.Payload, EspLayouts.IcvLength(layout), EspLayouts.IvLength(layout));

        EspProbeResult probe = Probe(esp, sample);

        Assert.Equal(layout, probe.BestLayout);
        EspLayoutCheck best = probe.Best;
        Assert.Equal(EspFit.Strong, best.Fit);
        Assert.Equal(8 + EspLayouts.IvLength(layout), best.CleartextOffset);
        Assert.Equal(sample.Payload.Length, best.CleartextLength);
        Assert.Equal(sample.NextHeader, best.NextHeader);
        Assert.Equal(sample.Mode, best.Mode);
    }

    [Theory]
    [MemberData(nameof(PadLengths))]
    [Trait("rfc", "4303-2.4")]
    public void Probe_DefaultPaddingOfAnyLength_FitsWithThatPadLength(int padLength)
    {
        EspSample sample = Sample("v4-tcp-tls");
        byte[] esp = EspNull(0x1000, 1, sample.NextHeader, sample.Payload, icvLength: 12, padLength: padLength);

        EspLayoutCheck best = Probe(esp, sample).Best;

        Assert.Equal(EspLayout.Icv12, best.Layout);
        Assert.Equal(EspFit.Strong, best.Fit);
        Assert.Equal(padLength, best.PadLength);
        Assert.True(best.DefaultPadding);
        Assert.Equal(sample.Payload.Length, best.CleartextLength);
    }

    [Theory]
    [InlineData("v4-in-v4-udp", 255)]
    [InlineData("v4-in-v4-tcp", 255)]
    [InlineData("v6-in-v6-icmpv6", 255)]
    [InlineData("v4-tcp-tls", 255)]
    [InlineData("v4-udp-dns", 255)]
    [InlineData("v6-udp-echo", 200)]
    [Trait("rfc", "4303-2.4")]
    public void Probe_RandomPaddingContent_InnerChecksStillDecide(string sampleName, int padLength)
    {
        EspSample sample = Sample(sampleName);
        byte[] esp = EspNull(0x1000, 1, sample.NextHeader, sample.Payload, icvLength: 16, padLength: padLength, randomPadding: true, seed: 9);

        EspLayoutCheck best = Probe(esp, sample).Best;

        Assert.Equal(EspLayout.Icv16, best.Layout);
        Assert.False(best.DefaultPadding);
        Assert.Equal(EspFit.Strong, best.Fit);
        Assert.Equal(sample.Payload.Length, best.CleartextLength);
    }

    [Fact]
    [Trait("rfc", "5879-8.3.3")]
    public void Probe_IcmpWithRandomPadding_OnlyPlausible()
    {
        // ICMP offers a known type and an address-free checksum: 22 bits, not enough for one packet to count as strong.
        EspSample sample = Sample("v4-icmp-echo");
        byte[] esp = EspNull(0x1000, 1, 1, sample.Payload, icvLength: 16, padLength: 17, randomPadding: true, seed: 9);

        EspLayoutCheck best = Probe(esp, sample).Best;

        Assert.Equal(EspLayout.Icv16, best.Layout);
        Assert.Equal(EspFit.Plausible, best.Fit);
        Assert.Equal(1, best.VerifiedChecks);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(0)]
    [InlineData(32)]
    [Trait("rfc", "4303-2.6")]
    public void Probe_DummyPacket_IsDummyAtItsLayoutAndNeverStrong(int icvLength)
    {
        byte[] esp = EspNull(0x1000, 1, 59, RandomBytes(61, 5), icvLength);

        EspProbeResult probe = EspProbe.Probe(esp, PseudoHeader.FromAddresses(V4Source, V4Destination));

        EspLayout layout = EspLayouts.ProbeOrder.ToArray().First(l => EspLayouts.IcvLength(l) == icvLength && EspLayouts.IvLength(l) == 0);
        Assert.Equal(EspFit.Dummy, probe[layout].Fit);
        Assert.Equal(59, probe[layout].NextHeader);
        Assert.Equal(EspMode.None, probe[layout].Mode);
        Assert.NotEqual(EspFit.Strong, probe.Best.Fit);
        Assert.NotEqual(EspFit.Plausible, probe.Best.Fit);
    }

    [Fact]
    [Trait("rfc", "5879-8.2")]
    public void Probe_UncheckableNextHeaderWithDefaultPadding_IsWeak()
    {
        // GRE (47) is not checked: with padding 1,2,3 only the trailer speaks, which is RFC 5879's "unsure".
        byte[] esp = EspNull(0x1000, 1, 47, RandomBytes(45, 2), icvLength: 12, padLength: 3);

        EspProbeResult probe = EspProbe.Probe(esp, PseudoHeader.FromAddresses(V4Source, V4Destination));

        Assert.Equal(EspFit.Weak, probe[EspLayout.Icv12].Fit);
    }

    [Fact]
    public void Probe_UncheckableNextHeaderWithRandomPadding_FailsThatLayout()
    {
        byte[] esp = EspNull(0x1000, 1, 47, RandomBytes(45, 2), icvLength: 12, padLength: 3, randomPadding: true);

        EspProbeResult probe = EspProbe.Probe(esp, PseudoHeader.FromAddresses(V4Source, V4Destination));

        Assert.Equal(EspFit.Fail, probe[EspLayout.Icv12].Fit);
    }

    [Fact]
    [Trait("rfc", "5879-8.3.1")]
    public void Probe_TransportTcpBehindNat_PlausibleButNotStrong()
    {
        // The inner checksum was computed with the pre-NAT addresses; the outer ones no longer match.
        EspSample sample = Sample("v4-tcp-syn");
        byte[] esp = EspNull(0x1000, 1, 6, sample.Payload, icvLength: 12);

        EspLayoutCheck check = EspProbe.Probe(esp, PseudoHeader.FromAddresses(NetworkAddress.Parse("203.0.113.1"), V4Destination)).Best;

        Assert.Equal(EspLayout.Icv12, check.Layout);
        Assert.Equal(EspFit.Plausible, check.Fit);
        Assert.Equal(0, check.VerifiedChecks);
    }

    [Fact]
    public void Probe_OuterAddressesUnknown_ChecksumsSkippedStructureStillCounts()
    {
        EspSample sample = Sample("v6-icmpv6-echo");
        byte[] esp = EspNull(0x1000, 1, 58, sample.Payload, icvLength: 12);

        EspLayoutCheck check = EspProbe.Probe(esp, PseudoHeader.FromAddresses(default, default)).Best;

        Assert.Equal(EspLayout.Icv12, check.Layout);
        Assert.Equal(0, check.VerifiedChecks);
        Assert.NotEqual(EspFit.Strong, check.Fit);
    }

    [Theory]
    [InlineData("v4-in-v4-udp", 13)]
    [InlineData("v6-in-v4-udp", 7)]
    [InlineData("v4-in-v6-tcp", 32)]
    [Trait("rfc", "4303-2.7")]
    public void Probe_TfcPaddingInTunnel_CleartextLengthIsInnerLength(string sampleName, int tfcLength)
    {
        EspSample sample = Sample(sampleName);
        byte[] esp = EspNull(0x1000, 1, sample.NextHeader, sample.Payload, icvLength: 12, tfcLength: tfcLength);

        EspLayoutCheck best = Probe(esp, sample).Best;

        Assert.Equal(EspLayout.Icv12, best.Layout);
        Assert.Equal(EspFit.Strong, best.Fit);
        Assert.Equal(sample.Payload.Length, best.CleartextLength);
    }

    [Fact]
    [Trait("rfc", "5879-8.2")]
    public void Probe_TinyPacket_LongIcvLayoutsStayInsideAndFail()
    {
        // UDP with no data and a 12-octet ICV: 8 + 8 + 2 (pad) + 2 + 12 = 32 octets; ICV 24 or 32 would reach the SPI.
        EspSample sample = Sample("v4-udp-empty");
        byte[] esp = EspNull(0x1000, 1, 17, sample.Payload, icvLength: 12);
        Assert.Equal(32, esp.Length);

        EspProbeResult probe = Probe(esp, sample);

        Assert.Equal(EspLayout.Icv12, probe.BestLayout);
        Assert.Equal(EspFit.Strong, probe.Best.Fit);
        Assert.Equal(EspFit.Fail, probe[EspLayout.Icv24].Fit);
        Assert.Equal(EspFit.Fail, probe[EspLayout.Icv32].Fit);
    }

    [Fact]
    public void Probe_RandomBytes_NeverStrongAtAnyLayout()
    {
        PseudoHeader outer = PseudoHeader.FromAddresses(V4Source, V4Destination);
        var random = new Random(1234);
        for (int seed = 0; seed < 3000; seed++)
        {
            byte[] esp = RandomEsp(random.Next(8, 1500), seed);
            EspProbeResult probe = EspProbe.Probe(esp, outer);
            foreach (EspLayout layout in EspLayouts.ProbeOrder)
            {
                Assert.NotEqual(EspFit.Strong, probe[layout].Fit);
            }
        }
    }

    [Fact]
    public void Probe_EveryPrefixOfEverySample_DoesNotThrow()
    {
        foreach (string name in SampleNames)
        {
            EspSample sample = Sample(name);
            foreach (EspLayout layout in EspLayouts.ProbeOrder.ToArray())
            {
                byte[] esp = EspNull(0x1000, 1, sample.NextHeader, sample.Payload, EspLayouts.IcvLength(layout), EspLayouts.IvLength(layout));
                for (int length = 0; length <= esp.Length; length++)
                {
                    EspProbeResult probe = Probe(esp[..length], sample);
                    Assert.True(probe.Best.CleartextOffset + probe.Best.CleartextLength <= length);
                }
            }
        }
    }

    [Fact]
    public void CheckLayout_FastPathWithBrokenChecksum_StillFitsKnownLayout()
    {
        EspSample sample = Sample("v4-tcp-tls");
        byte[] payload = (byte[])sample.Payload.Clone();
        payload[16] ^= 0xFF; // TCP checksum
        byte[] esp = EspNull(0x1000, 1, 6, payload, icvLength: 12, padLength: 6, randomPadding: true);
        PseudoHeader outer = PseudoHeader.FromAddresses(sample.Source, sample.Destination);

        EspLayoutCheck fast = EspProbe.CheckLayout(esp, EspLayout.Icv12, 12, 0, outer, verifyChecksums: false);
        EspLayoutCheck full = EspProbe.CheckLayout(esp, EspLayout.Icv12, 12, 0, outer, verifyChecksums: true);

        Assert.True(fast.FitsKnownLayout);
        Assert.Equal(0, full.VerifiedChecks);
    }

    [Fact]
    public void CheckLayout_WrongLayoutOfNullPacket_Fails()
    {
        // The trailer of a 16-octet-ICV packet read with ICV 12 lands in the ICV: its Pad Length and Next Header are
        // HMAC output. The chosen ICV ends in a Pad Length that does not fit, so the read must fail.
        EspSample sample = Sample("v4-udp-dns");
        byte[] esp = EspNull(0x1000, 1, 17, sample.Payload, icvLength: 16);
        esp[^13] = 0xFF;

        EspLayoutCheck check = EspProbe.CheckLayout(esp, EspLayout.Icv12, 12, 0, PseudoHeader.FromAddresses(sample.Source, sample.Destination), true);

        Assert.Equal(EspFit.Fail, check.Fit);
    }
}
