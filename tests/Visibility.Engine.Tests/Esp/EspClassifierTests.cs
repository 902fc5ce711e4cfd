using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Visibility.Engine.Esp;
using Visibility.Wire;
using static Visibility.Engine.Tests.Esp.EspTestPackets;

namespace Visibility.Engine.Tests.Esp;

public sealed partial class EspClassifierTests
{
    private readonly EspClassifier _classifier = new();

    /// <summary>Classifies packets of one SA in order (frames 1, 2, ...), returning every verdict.</summary>
    private List<EspPacketVerdict> Feed(ref EspSaState sa, IEnumerable<byte[]> packets, NetworkAddress source, NetworkAddress destination,
        long firstFrame = 1)
    {
        var verdicts = new List<EspPacketVerdict>();
        long frame = firstFrame;
        foreach (byte[] packet in packets)
        {
            verdicts.Add(_classifier.Classify(ref sa, packet, whole: true, source, destination, frame++));
        }
        return verdicts;
    }

    private static IEnumerable<byte[]> NullPackets(EspSample sample, EspLayout layout, int count, int firstSequence = 1) =>
        Enumerable.Range(firstSequence, count).Select(i =>
            EspNull(0x1000, (uint)i, sample.NextHeader, sample.Payload, EspLayouts.IcvLength(layout), EspLayouts.IvLength(layout), seed: i));

    private static IEnumerable<byte[]> RandomPackets(int count, int seed, int firstSequence = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(firstSequence, count).Select(i => RandomEsp(random.Next(40, 1400), random.Next(), sequence: (uint)i)).ToArray();
    }

    public static TheoryData<string, EspLayout> SamplesTimesLayouts() => EspProbeTests.SamplesTimesLayouts();

    [Theory]
    [MemberData(nameof(SamplesTimesLayouts))]
    [Trait("rfc", "5879-4")]
    public void Classify_NullSa_DecidedOnSecondPacketAndSliced(string sampleName, EspLayout layout)
    {
        EspSample sample = Sample(sampleName);
        byte[][] packets = [.. NullPackets(sample, layout, 3)];
        EspSaState sa = default;

        List<EspPacketVerdict> verdicts = Feed(ref sa, packets, sample.Source, sample.Destination);

        Assert.Equal(EspPacketKind.ProbeCleartext, verdicts[0].Kind);
        Assert.Equal(EspSaVerdict.Probing, verdicts[0].SaVerdict);
        Assert.False(verdicts[0].VerdictChanged);
        Assert.Equal(EspPacketKind.Cleartext, verdicts[1].Kind);
        Assert.True(verdicts[1].VerdictChanged);
        Assert.Equal(EspVerdictReason.NullConfirmed, verdicts[1].Reason);
        Assert.Equal(EspPacketKind.Cleartext, verdicts[2].Kind);
        Assert.False(verdicts[2].VerdictChanged);
        Assert.Equal(EspVerdictReason.None, verdicts[2].Reason);
        for (int i = 0; i < packets.Length; i++)
        {
            EspPacketVerdict verdict = verdicts[i];
            Assert.True(verdict.IsCleartext);
            Assert.Equal(sample.Payload, packets[i].AsSpan(verdict.CleartextOffset, verdict.CleartextLength).ToArray());
            Assert.Equal(sample.NextHeader, verdict.NextHeader);
            Assert.Equal(sample.Mode, verdict.Mode);
            Assert.Equal(EspLayouts.IcvLength(layout), verdict.IcvLength);
            Assert.Equal(EspLayouts.IvLength(layout), verdict.IvLength);
            Assert.Equal(DecodeAnomaly.None, verdict.Anomaly);
        }
        Assert.Equal(EspSaVerdict.Null, sa.Verdict);
        Assert.Equal(layout, sa.Layout);
        Assert.Equal(EspLayouts.IcvLength(layout), sa.IcvLength);
        Assert.Equal(EspLayouts.IvLength(layout), sa.IvLength);
        Assert.Equal(sample.Mode, sa.Mode);
        Assert.Equal(3, sa.NullPackets);
        Assert.Equal(3, sa.Packets);
        Assert.Equal(2, sa.DecidedAtFrame);
        Assert.True(sa.NextHeaders.Contains(sample.NextHeader));
        Assert.Equal(1, sa.NextHeaders.Count);
    }

    [Fact]
    public void Classify_RandomSa_EncryptedOnSecondPacketAndNeverInspected()
    {
        EspSaState sa = default;

        List<EspPacketVerdict> verdicts = Feed(ref sa, RandomPackets(200, seed: 7), V4Source, V4Destination);

        Assert.Equal(EspSaVerdict.Encrypted, sa.Verdict);
        Assert.Equal(2, sa.DecidedAtFrame);
        Assert.Equal(EspVerdictReason.EncryptedNoFit, sa.Reason);
        Assert.Single(verdicts, v => v.VerdictChanged);
        Assert.DoesNotContain(verdicts, v => v.IsCleartext);
        Assert.All(verdicts.Skip(1), v => Assert.Equal(EspPacketKind.Encrypted, v.Kind));
        Assert.Equal(0, sa.NullPackets);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(3, 0)]
    [InlineData(0, 1)]
    [InlineData(2, 5)]
    public void Classify_DecoysInEncryptedSa_NeverNull(int decoyPosition, int secondDecoyPosition)
    {
        // A decoy is random-looking data whose last octets form a valid trailer in front of a UDP header with the
        // right length and checksum: to the probe it is a perfect ESP-NULL packet. Two of them at different layouts,
        // or at one layout but with a misfit between, must not make the SA NULL.
        byte[][] packets = [.. RandomPackets(12, seed: 11)];
        packets[decoyPosition] = Decoy(EspLayout.Icv12, seed: 1);
        if (secondDecoyPosition != decoyPosition)
        {
            bool adjacent = Math.Abs(secondDecoyPosition - decoyPosition) == 1;
            packets[secondDecoyPosition] = Decoy(adjacent ? EspLayout.Icv16 : EspLayout.Icv12, seed: 2);
        }
        EspSaState sa = default;

        foreach (EspPacketVerdict verdict in Feed(ref sa, packets, V4Source, V4Destination))
        {
            Assert.NotEqual(EspSaVerdict.Null, verdict.SaVerdict);
        }
        Assert.Equal(EspSaVerdict.Encrypted, sa.Verdict);
        Assert.Equal(0, sa.NullPackets);
    }

    private static byte[] Decoy(EspLayout layout, int seed) =>
        EspNull(0x1000, 1, 17, Udp(V4Source, V4Destination, 443, 51000, RandomBytes(300, seed)), EspLayouts.IcvLength(layout),
            padLength: 0, seed: seed);

    [Fact]
    public void Classify_DecoyPacket_OfferedForInspectionButSaUndecided()
    {
        EspSaState sa = default;

        EspPacketVerdict verdict = _classifier.Classify(ref sa, Decoy(EspLayout.Icv12, 3), true, V4Source, V4Destination, 1);

        Assert.Equal(EspPacketKind.ProbeCleartext, verdict.Kind);
        Assert.Equal(EspSaVerdict.Probing, sa.Verdict);
        Assert.Equal("unknown", EspNames.Verdict(sa.Verdict));
    }

    [Theory]
    [InlineData(EspLayout.Icv12)]
    [InlineData(EspLayout.Icv32)]
    [InlineData(EspLayout.Icv0)]
    [InlineData(EspLayout.Gmac)]
    [Trait("rfc", "5879-8.2")]
    public void Classify_TinyFirstPacket_ThenNormal_NullAtRightLayout(EspLayout layout)
    {
        byte[] tiny = EspNull(0x1000, 1, 17, Sample("v4-udp-empty").Payload, EspLayouts.IcvLength(layout), EspLayouts.IvLength(layout));
        byte[] normal = EspNull(0x1000, 2, 6, Sample("v4-tcp-tls").Payload, EspLayouts.IcvLength(layout), EspLayouts.IvLength(layout));
        EspSaState sa = default;

        Feed(ref sa, [tiny, normal], V4Source, V4Destination);

        Assert.Equal(EspSaVerdict.Null, sa.Verdict);
        Assert.Equal(layout, sa.Layout);
        Assert.Equal(2, sa.DecidedAtFrame);
        Assert.True(sa.NextHeaders.Contains(6) && sa.NextHeaders.Contains(17));
    }

    [Theory]
    [InlineData("v4-in-v4-udp")]
    [InlineData("v4-tcp-tls")]
    [InlineData("v6-udp-echo")]
    [InlineData("v4-icmp-echo")]
    [Trait("rfc", "4303-2.4")]
    public void Classify_RandomPadding255_NullThroughInnerChecks(string sampleName)
    {
        EspSample sample = Sample(sampleName);
        byte[][] packets = [.. Enumerable.Range(1, 4).Select(i =>
            EspNull(0x1000, (uint)i, sample.NextHeader, sample.Payload, 12, padLength: 255, randomPadding: true, seed: i))];
        EspSaState sa = default;

        List<EspPacketVerdict> verdicts = Feed(ref sa, packets, sample.Source, sample.Destination);

        Assert.Equal(EspSaVerdict.Null, sa.Verdict);
        Assert.Equal(EspLayout.Icv12, sa.Layout);
        // ICMP is weaker (plausible only with random padding): it needs four packets; the others two.
        Assert.Equal(sample.NextHeader == 1 ? 4 : 2, sa.DecidedAtFrame);
        Assert.Equal(sample.Payload.Length, verdicts[^1].CleartextLength);
    }

    [Fact]
    public void Classify_TlsInsideNull_CleartextHoldsTheTlsRecord()
    {
        EspSample sample = Sample("v4-tcp-tls");
        byte[][] packets = [.. NullPackets(sample, EspLayout.Icv16, 2)];
        EspSaState sa = default;

        EspPacketVerdict last = Feed(ref sa, packets, sample.Source, sample.Destination)[^1];

        ReadOnlySpan<byte> cleartext = packets[^1].AsSpan(last.CleartextOffset, last.CleartextLength);
        Assert.Equal(TlsClientHello, cleartext[20..].ToArray());
        Assert.Equal(EspSaVerdict.Null, sa.Verdict);
    }

    [Fact]
    [Trait("rfc", "4303-2.6")]
    public void Classify_DummyPackets_DecideNothingAndAreDroppedOnNullSa()
    {
        EspSample sample = Sample("v6-tcp-syn");
        byte[][] dummies = [.. Enumerable.Range(1, 6).Select(i => EspNull(0x1000, (uint)i, 59, RandomBytes(40 + i, i), 12))];
        EspSaState sa = default;

        List<EspPacketVerdict> first = Feed(ref sa, dummies, sample.Source, sample.Destination);
        Assert.Equal(EspSaVerdict.Probing, sa.Verdict);
        Assert.DoesNotContain(first, v => v.IsCleartext || v.VerdictChanged);

        Feed(ref sa, NullPackets(sample, EspLayout.Icv12, 2, firstSequence: 7), sample.Source, sample.Destination, firstFrame: 7);
        Assert.Equal(EspSaVerdict.Null, sa.Verdict);

        EspPacketVerdict dummy = _classifier.Classify(ref sa, EspNull(0x1000, 9, 59, RandomBytes(33, 9), 12), true, sample.Source, sample.Destination, 9);
        Assert.Equal(EspPacketKind.Dummy, dummy.Kind);
        Assert.False(dummy.IsCleartext);
        Assert.Equal(59, dummy.NextHeader);
        Assert.Equal(2, sa.NullPackets);
        Assert.True(sa.NextHeaders.Contains(59));
        Assert.Equal(EspMode.Transport, sa.Mode);
    }

    [Fact]
    [Trait("rfc", "5879-6")]
    public void Classify_NullSaThenRandom_ReprobesThenEncrypted()
    {
        EspSample sample = Sample("v4-udp-dns");
        EspSaState sa = default;
        Feed(ref sa, NullPackets(sample, EspLayout.Icv12, 3), sample.Source, sample.Destination);
        // Random packets that surely misfit ICV 12 (Pad Length 0xFF cannot fit 60 octets).
        byte[][] random = [.. Enumerable.Range(0, 6).Select(i => { byte[] p = RandomEsp(60, 100 + i); p[^14] = 0xFF; return p; })];

        List<EspPacketVerdict> verdicts = Feed(ref sa, random, sample.Source, sample.Destination, firstFrame: 4);

        Assert.Equal(EspPacketKind.Malformed, verdicts[0].Kind);
        Assert.Equal(DecodeAnomaly.EspBadTrailer, verdicts[0].Anomaly);
        Assert.Equal(EspSaVerdict.Null, verdicts[0].SaVerdict);
        Assert.False(verdicts[0].VerdictChanged);
        Assert.True(verdicts[1].VerdictChanged);
        Assert.Equal(EspVerdictReason.NullStoppedFitting, verdicts[1].Reason);
        Assert.Equal(EspSaVerdict.Probing, verdicts[1].SaVerdict);
        Assert.Equal(DecodeAnomaly.EspBadTrailer, verdicts[1].Anomaly);
        EspPacketVerdict decided = Assert.Single(verdicts.Skip(2), v => v.VerdictChanged);
        Assert.Equal(EspVerdictReason.EncryptedNoFit, decided.Reason);
        Assert.Equal(EspSaVerdict.Encrypted, sa.Verdict);
        Assert.Equal(3, sa.NullPackets);
    }

    [Fact]
    [Trait("rfc", "5879-6")]
    public void Classify_EncryptedSa_SkippedThenRecheckedEvery64thPacket()
    {
        EspSample sample = Sample("v4-tcp-tls");
        EspSaState sa = default;
        Feed(ref sa, RandomPackets(2, seed: 3), sample.Source, sample.Destination);
        Assert.Equal(EspSaVerdict.Encrypted, sa.Verdict);

        // The SPI now carries ESP-NULL (e.g. reused by a new SA): packets 3..63 are skipped unread.
        List<EspPacketVerdict> verdicts = Feed(ref sa, NullPackets(sample, EspLayout.Icv12, 63, firstSequence: 3), sample.Source,
            sample.Destination, firstFrame: 3);

        Assert.All(verdicts.Take(61), v => Assert.Equal(EspPacketKind.Encrypted, v.Kind));
        Assert.Equal(EspPacketKind.ProbeCleartext, verdicts[61].Kind); // packet 64: the re-check
        Assert.True(verdicts[62].VerdictChanged); // packet 65: followed up at once
        Assert.Equal(EspVerdictReason.NullAfterRecheck, verdicts[62].Reason);
        Assert.Equal(EspSaVerdict.Null, sa.Verdict);
        Assert.Equal(65, sa.DecidedAtFrame);
        Assert.Equal(2, sa.NullPackets);
    }

    [Fact]
    public void Classify_SinglePacket_StaysUnknown()
    {
        EspSaState nullSa = default;
        EspSaState randomSa = default;

        _classifier.Classify(ref nullSa, NullPackets(Sample("v4-tcp-syn"), EspLayout.Icv12, 1).First(), true, V4Source, V4Destination, 1);
        _classifier.Classify(ref randomSa, RandomEsp(120, 1), true, V4Source, V4Destination, 1);

        Assert.Equal("unknown", EspNames.Verdict(nullSa.Verdict));
        Assert.Equal("unknown", EspNames.Verdict(randomSa.Verdict));
        Assert.Equal(0, nullSa.DecidedAtFrame);
    }

    [Fact]
    public void Classify_NotWhole_CountedButNotProbed()
    {
        EspSaState sa = default;
        byte[] packet = NullPackets(Sample("v4-tcp-syn"), EspLayout.Icv12, 1).First();

        EspPacketVerdict verdict = _classifier.Classify(ref sa, packet.AsSpan(0, 30), whole: false, V4Source, V4Destination, 1);

        Assert.Equal(EspPacketKind.NotWhole, verdict.Kind);
        Assert.Equal(EspSaVerdict.Unknown, sa.Verdict);
        Assert.Equal(1, sa.Packets);
        Assert.Equal(0, sa.ProbedPackets);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(7)]
    public void Classify_ShorterThanEspHeader_TooSmallAnomaly(int length)
    {
        EspSaState sa = default;

        EspPacketVerdict verdict = _classifier.Classify(ref sa, new byte[length], true, V4Source, V4Destination, 1);

        Assert.Equal(EspPacketKind.TooSmall, verdict.Kind);
        Assert.Equal(DecodeAnomaly.EspPacketTooSmall, verdict.Anomaly);
    }

    [Fact]
    [Trait("rfc", "5879-8.2")]
    public void Classify_UncheckableNextHeader_UnsureThenSampled()
    {
        // ESP-NULL carrying GRE (47): default padding but nothing to check. RFC 5879 §8.2: unsure, never encrypted.
        byte[][] packets = [.. Enumerable.Range(1, 64).Select(i => EspNull(0x1000, (uint)i, 47, RandomBytes(60, i), 12, padLength: 2))];
        EspSaState sa = default;

        List<EspPacketVerdict> verdicts = Feed(ref sa, packets, V4Source, V4Destination);

        Assert.Equal(EspSaVerdict.Unsure, sa.Verdict);
        Assert.Equal(EspVerdictReason.ProbeLimit, sa.Reason);
        Assert.DoesNotContain(verdicts, v => v.VerdictChanged);
        // 32 probes to the limit, then one per 8 packets (40, 48, 56, 64).
        Assert.Equal(4, sa.ProbedPackets - EspClassifierOptions.Default.ProbeLimit);
    }

    [Fact]
    public void Classify_OptionsBelowOne_Rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EspClassifier(new EspClassifierOptions { ConfirmPoints = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EspClassifier(new EspClassifierOptions { RecheckInterval = 0 }));
    }

    [Fact]
    public void Classify_SteadyState_AllocatesNothing()
    {
        EspSample sample = Sample("v4-tcp-tls");
        byte[][] nullPackets = [.. NullPackets(sample, EspLayout.Icv16, 8)];
        byte[][] randomPackets = [.. RandomPackets(8, seed: 5)];
        NetworkAddress source = sample.Source, destination = sample.Destination;
        EspSaState nullSa = default, encryptedSa = default;
        for (int i = 0; i < 200; i++)
        {
            RunAll(i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++)
        {
            RunAll(i);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(EspSaVerdict.Null, nullSa.Verdict);
        Assert.Equal(EspSaVerdict.Encrypted, encryptedSa.Verdict);

        void RunAll(int i)
        {
            _classifier.Classify(ref nullSa, nullPackets[i % 8], true, source, destination, i);
            _classifier.Classify(ref encryptedSa, randomPackets[i % 8], true, source, destination, i);
            EspSaState probing = default;
            _classifier.Classify(ref probing, nullPackets[i % 8], true, source, destination, i);
            _classifier.Classify(ref probing, randomPackets[i % 8], true, source, destination, i);
        }
    }

    [Property(MaxTest = 300)]
    public Property Classify_RandomPacketsAsOneSa_NeverNull() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.Choose(3, 12).ToArbitrary(), (seed, count) =>
        {
            var random = new Random(seed);
            EspSaState sa = default;
            for (int i = 0; i < count; i++)
            {
                byte[] packet = RandomEsp(random.Next(8, 700), random.Next(), sequence: (uint)i + 1);
                _classifier.Classify(ref sa, packet, true, V4Source, V4Destination, i + 1);
                if (sa.Verdict == EspSaVerdict.Null)
                {
                    return false;
                }
            }
            return true;
        });

    [Property(MaxTest = 500)]
    public void Classify_ArbitraryBytes_NeverThrows(byte[][] packets, bool whole, bool ipv6)
    {
        EspSaState sa = default, wespSa = default;
        NetworkAddress source = ipv6 ? V6Source : V4Source, destination = ipv6 ? V6Destination : V4Destination;
        long frame = 0;
        foreach (byte[] packet in packets ?? [])
        {
            byte[] bytes = packet ?? [];
            EspPacketVerdict verdict = _classifier.Classify(ref sa, bytes, whole, source, destination, ++frame);
            Assert.InRange(verdict.CleartextOffset + verdict.CleartextLength, 0, bytes.Length);
            verdict = _classifier.ClassifyWesp(ref wespSa, bytes, ipv6, udpEncapsulated: frame % 2 == 0, whole, source, destination, frame);
            Assert.InRange(verdict.CleartextOffset + verdict.CleartextLength, 0, bytes.Length);
        }
    }
}
