using System.Buffers.Binary;
using Visibility.IkePeer.Config;
using Visibility.IkePeer.Crypto;
using Visibility.IkePeer.Esp;
using Visibility.Wire;
using Visibility.Wire.Esp;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Esp;

public sealed class WespWrapperTests
{
    private static EspSa Sa(string proposal)
    {
        var spec = ProposalParser.Parse(proposal, ProtocolId.Esp).Single();
        var suite = spec.Match(spec.ToProposal(1, [0, 0, 1, 0], withDh: false), withDh: false)!;
        var keys = new EspKeys(new byte[suite.Encryption.KeyMaterialLength], new byte[suite.Encryption.IsAead ? 0 : suite.Integrity.KeyLength]);
        return new EspSa(0x5e5e0001, suite, keys);
    }

    private static byte[] Wrapped(EspSa sa)
    {
        var esp = sa.Encapsulate(new byte[28], 4);
        return WespWrapper.Wrap(sa, 4, esp);
    }

    [Theory]
    [InlineData("null-sha256", 16)]
    [InlineData("null-sha1", 12)]
    [InlineData("null-sha512", 32)]
    [Trait("rfc", "5840-2")]
    public void Wrap_IntegrityOnly_NextHeaderHdrLenTrailerLenAndEZero(string proposal, int icv)
    {
        var sa = Sa(proposal);
        var wesp = Wrapped(sa);

        Assert.Equal(4, wesp[0]);                        // 0: Next Header = ESP trailer's (IPv4 in tunnel mode)
        Assert.Equal(12, wesp[1]);                       // 1: HdrLen = WESP 4 + SPI/Seq 8 + IV 0
        Assert.Equal(icv, wesp[2]);                      // 2: TrailerLen = ICV length
        Assert.Equal(0, wesp[3]);                        // 3: Flags: version 0, E = 0, P = 0
        Assert.Equal(0x5e5e0001u, BinaryPrimitives.ReadUInt32BigEndian(wesp.AsSpan(4)));   // 4: the ESP SPI
        Assert.True(WespHeader.TryRead(wesp, ipv6: false, udpEncapsulated: true, out var header, out var anomaly), anomaly.ToString());
        Assert.Equal(4, header.TrailerNextHeader);
        Assert.True(WespWrapper.Matches(header, sa, out _));
    }

    [Theory]
    [InlineData("aes128gcm16")]
    [InlineData("aes256-sha256")]
    [Trait("rfc", "5840-2")]
    public void Wrap_Encrypted_EOneAndZeroFields(string proposal)
    {
        var sa = Sa(proposal);
        var wesp = Wrapped(sa);

        Assert.Equal([0, 0, 0, 0x20], wesp.AsSpan(0, 4).ToArray());
        Assert.True(WespHeader.TryRead(wesp, ipv6: false, udpEncapsulated: true, out var header, out _));
        Assert.True(WespWrapper.Matches(header, sa, out _));
    }

    [Theory]
    [InlineData(1, 16)]      // HdrLen says 16: 4 octets of payload would be hidden as IV
    [InlineData(2, 12)]      // TrailerLen 12 for a 16-octet ICV
    [InlineData(3, 0x20)]    // E = 1 on an integrity-only SA
    [InlineData(3, 0x40)]    // version 1
    [Trait("rfc", "5840-2")]
    public void Matches_FieldDisagreesWithSa_False(int offset, byte value)
    {
        var sa = Sa("null-sha256");
        var wesp = Wrapped(sa);
        wesp[offset] = value;
        if (offset == 3 && value == 0x20)
        {
            wesp[0] = wesp[1] = wesp[2] = 0;   // a well-formed E = 1 header
        }

        var read = WespHeader.TryRead(wesp, ipv6: false, udpEncapsulated: true, out var header, out _);

        Assert.False(read && WespWrapper.Matches(header, sa, out _));
    }

    [Fact]
    public void Matches_EncryptedHeaderOnEncryptedSa_TrueAndIntegrityOnlyHeader_False()
    {
        var gcm = Sa("aes128gcm16");
        var wesp = Wrapped(Sa("null-sha256"));
        Assert.True(WespHeader.TryRead(wesp, false, true, out var header, out _));
        Assert.False(WespWrapper.Matches(header, gcm, out var reason));
        Assert.Contains("E=0", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("null-sha256", 16, 0)]
    [InlineData("aes128gmac", 24, 8)]
    [Trait("rfc", "5840-2")]
    public void Wrap_PaddedForNativeIpv6_PaddingWordPFlagHdrLenSpansItAndReadsBack(string proposal, int hdrLen, int ivLength)
    {
        var sa = Sa(proposal);
        var esp = sa.Encapsulate(new byte[28], 4);
        var wesp = WespWrapper.Wrap(sa, 4, esp, padded: true);

        Assert.Equal(esp.Length + 8, wesp.Length);
        Assert.Equal(hdrLen, wesp[1]);                   // 1: HdrLen = WESP 4 + padding 4 + SPI/Seq 8 + IV
        Assert.Equal(WespHeader.PaddingFlag, wesp[3]);   // 3: Flags: P = 1, E = 0
        Assert.Equal([0, 0, 0, 0], wesp[4..8]);          // 4: the padding word
        Assert.Equal(esp, wesp[8..]);                    // 8: ESP unchanged
        Assert.Equal(hdrLen, 16 + ivLength);
        Assert.True(WespHeader.TryRead(wesp, ipv6: true, udpEncapsulated: false, out var header, out var anomaly), anomaly.ToString());
        Assert.True(WespWrapper.Matches(header, sa, out var reason), reason);
        Assert.Equal(sa.Spi, header.Spi);
    }

    [Fact]
    [Trait("rfc", "5840-2")]
    public void Wrap_Unpadded_RejectedAsNativeIpv6AcceptedAsNativeIpv4()
    {
        var sa = Sa("null-sha256");
        var wesp = Wrapped(sa);

        Assert.False(WespHeader.TryRead(wesp, ipv6: true, udpEncapsulated: false, out _, out var anomaly));
        Assert.Equal(DecodeAnomaly.WespBadPadding, anomaly);
        Assert.True(WespHeader.TryRead(wesp, ipv6: false, udpEncapsulated: false, out _, out _));
    }
}
