using System.Buffers.Binary;
using FsCheck.Xunit;
using Visibility.IkePeer.Crypto;
using Visibility.IkePeer.Messages;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Messages;

/// <summary>SKF fragments [RFC 7383 §2.5]: cutting a protected message, verifying each fragment, reassembling.</summary>
public sealed partial class IkeCodecTests
{
    /// <summary>An IKE_AUTH request big enough to need several fragments: a 1,500-octet CERT-sized unknown payload.</summary>
    private static IkeMessage LargeAuth()
    {
        var message = SampleAuth();
        message.Payloads.Insert(1, new UnknownPayload(IkePayloadType.Certificate, false, Enumerable.Range(0, 1500).Select(i => (byte)(i * 7)).ToArray()));
        return message;
    }

    private static List<(IkeMessage Header, IkeFragment Fragment)> DecodeFragments(IReadOnlyList<byte[]> datagrams, SkCipher cipher)
    {
        using var decryptor = cipher.CreateDecryptor();
        var fragments = new List<(IkeMessage, IkeFragment)>();
        foreach (var datagram in datagrams)
        {
            Assert.Equal(IkeDecodeStatus.Fragment, IkeCodec.TryDecode(datagram, decryptor, out _));
            Assert.Equal(IkeDecodeStatus.Ok, IkeCodec.TryDecodeFragment(datagram, decryptor, out var header, out var fragment));
            fragments.Add((header!, fragment));
        }

        return fragments;
    }

    [Theory]
    [InlineData((ushort)12, 128, 300)]
    [InlineData((ushort)12, 256, 517)]
    [InlineData((ushort)20, 128, 300)]
    [InlineData((ushort)20, 256, 1000)]
    [InlineData((ushort)18, 256, 256)]
    [Trait("rfc", "7383-2.5")]
    public void EncodeProtected_LargerThanLimit_FragmentsWithinLimitReassembleToSamePayloads(ushort encr, int bits, int limit)
    {
        var cipher = Cipher(encr, bits, IntegrityTransform.HmacSha256_128);
        var message = LargeAuth();

        var datagrams = IkeCodec.EncodeProtected(message, cipher, limit);

        Assert.True(datagrams.Count > 1);
        var fragments = DecodeFragments(datagrams, cipher);
        for (var i = 0; i < datagrams.Count; i++)
        {
            var datagram = datagrams[i];
            Assert.True(datagram.Length <= limit);
            Assert.Equal(53, datagram[16]);                                                                       // 16: Next Payload = SKF
            Assert.Equal((uint)datagram.Length, BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(24)));       // 24: Length
            Assert.Equal(i == 0 ? 35 : 0, datagram[28]);                                                         // 28: SKF Next Payload = IDi, then 0
            Assert.Equal(i + 1, BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(32)));                      // 32: Fragment Number
            Assert.Equal(datagrams.Count, BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(34)));            // 34: Total Fragments
            Assert.Equal(1u, fragments[i].Header.MessageId);
            Assert.Equal(IkeExchangeType.IkeAuth, fragments[i].Header.ExchangeType);
        }

        // Each fragment has an IV of its own (RFC 7383 §2.5): no two IVs alike.
        var ivLength = EncryptionTransform.Create((EncryptionAlgorithm)encr, bits)!.IvLength;
        Assert.Equal(datagrams.Count, datagrams.Select(d => Convert.ToHexString(d, 36, ivLength)).Distinct().Count());

        var buffer = new IkeFragmentBuffer();
        byte[]? chain = null;
        var first = IkePayloadType.None;
        foreach (var (header, fragment) in fragments)
        {
            chain = buffer.Add(header.MessageId, fragment, out first);
        }

        var reassembled = fragments[0].Header;
        Assert.Equal(IkeDecodeStatus.Ok, IkeCodec.ReadReassembled(reassembled, first, chain));
        Assert.Equal(IkeCodec.EncodeChain(message.Payloads, out _), IkeCodec.EncodeChain(reassembled.Payloads, out _));
        Assert.True(reassembled.WasEncrypted);
    }

    [Fact]
    [Trait("rfc", "7383-2.5")]
    public void EncodeProtected_FitsLimit_OneSkDatagram()
    {
        var cipher = Cipher(12, 128, IntegrityTransform.HmacSha256_128);

        var datagrams = IkeCodec.EncodeProtected(SampleAuth(), cipher, 1232);

        var single = Assert.Single(datagrams);
        Assert.Equal(46, single[16]);   // SK, not SKF
        Assert.Equal(IkeDecodeStatus.Ok, Decode(single, cipher, out _));
    }

    [Theory]
    [InlineData((ushort)12, 300)]
    [InlineData((ushort)20, 300)]
    [Trait("rfc", "7383-2.5")]
    public void FragmentCapacity_FullFragment_ExactlyFillsLimit(ushort encr, int limit)
    {
        var cipher = Cipher(encr, 128, IntegrityTransform.HmacSha256_128);

        var datagrams = IkeCodec.EncodeProtected(LargeAuth(), cipher, limit);

        // All but the last carry a full chunk; a block cipher may leave up to a block unused.
        var slack = encr == 12 ? 15 : 0;
        Assert.All(datagrams.Take(datagrams.Count - 1), d => Assert.InRange(d.Length, limit - slack, limit));
    }

    [Theory]
    [InlineData((ushort)12, 0)]
    [InlineData((ushort)12, 20)]
    [InlineData((ushort)20, 0)]
    [InlineData((ushort)20, 100)]
    [InlineData((ushort)20, -5)]
    [Trait("rfc", "7383-2.6")]
    public void TryDecodeFragment_FlippedBit_IntegrityFailed(ushort encr, int fromEnd)
    {
        var cipher = Cipher(encr, 128, IntegrityTransform.HmacSha256_128);
        var datagram = IkeCodec.EncodeProtected(LargeAuth(), cipher, 300)[1];
        // fromEnd < 0 counts from the start of the SKF payload: -5 is Fragment Number, which AEAD authenticates too.
        var index = fromEnd >= 0 ? datagram.Length - 1 - fromEnd : 28 + 5 + fromEnd + 5;
        datagram[index] ^= 0x01;
        using var decryptor = cipher.CreateDecryptor();

        Assert.Equal(IkeDecodeStatus.IntegrityFailed, IkeCodec.TryDecodeFragment(datagram, decryptor, out _, out _));
    }

    [Fact]
    [Trait("rfc", "7383-2.5")]
    public void IsFragment_ReadsNumbersFromClearHeader()
    {
        var cipher = Cipher(12, 128, IntegrityTransform.HmacSha256_128);
        var datagrams = IkeCodec.EncodeProtected(LargeAuth(), cipher, 400);

        Assert.True(IkeCodec.IsFragment(datagrams[^1], out var number, out var total));
        Assert.Equal(datagrams.Count, number);
        Assert.Equal(datagrams.Count, total);
        Assert.False(IkeCodec.IsFragment(IkeCodec.EncodeProtected(SampleAuth(), cipher), out _, out _));
    }

    [Fact]
    public void EncodeProtected_LimitBelowOneFragment_Throws()
    {
        var cipher = Cipher(12, 128, IntegrityTransform.HmacSha256_128);
        Assert.Throws<ArgumentOutOfRangeException>(() => IkeCodec.EncodeProtected(LargeAuth(), cipher, 90));
    }

    [Fact]
    public void TryDecodeFragment_EveryPrefix_NeverThrowsAndNeverOk()
    {
        var cipher = Cipher(20, 128, IntegrityTransform.None);
        using var decryptor = cipher.CreateDecryptor();
        foreach (var sample in IkeCodec.EncodeProtected(LargeAuth(), cipher, 300))
        {
            for (var length = 0; length < sample.Length; length++)
            {
                Assert.NotEqual(IkeDecodeStatus.Ok, IkeCodec.TryDecodeFragment(sample.AsSpan(0, length), decryptor, out _, out _));
                IkeCodec.IsFragment(sample.AsSpan(0, length), out _, out _);
            }
        }
    }

    [Property]
    public void TryDecodeFragment_RandomBytes_NeverThrows(byte[] data)
    {
        var cipher = Cipher(12, 128, IntegrityTransform.HmacSha256_128);
        using var decryptor = cipher.CreateDecryptor();
        IkeCodec.TryDecodeFragment(data, decryptor, out _, out _);
        if (data.Length >= 36)
        {
            // A valid header naming SKF, so the fragment header and decryption run on random bytes.
            data[16] = 53;
            data[17] = 0x20;
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(24), (uint)data.Length);
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(30), (ushort)(data.Length - 28));
            IkeCodec.TryDecodeFragment(data, decryptor, out _, out _);
            IkeCodec.IsFragment(data, out _, out _);
        }
    }
}
