using System.Buffers.Binary;
using Visibility.IkePeer.Config;
using Visibility.IkePeer.Crypto;
using Visibility.IkePeer.Esp;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Esp;

public sealed class EspSaTests
{
    private static (EspSa Sender, EspSa Receiver) Pair(string proposal)
    {
        var spec = ProposalParser.Parse(proposal, ProtocolId.Esp).Single();
        var suite = spec.Match(spec.ToProposal(1, [0, 0, 1, 0], withDh: false), withDh: false)!;
        var keys = new EspKeys(
            Enumerable.Range(1, suite.Encryption.KeyMaterialLength).Select(i => (byte)i).ToArray(),
            Enumerable.Range(50, suite.Encryption.IsAead ? 0 : suite.Integrity.KeyLength).Select(i => (byte)i).ToArray());
        return (new EspSa(0xc0ffee01, suite, keys), new EspSa(0xc0ffee01, suite, keys));
    }

    [Theory]
    [InlineData("null-sha256", 0, 16)]
    [InlineData("null-sha1", 0, 12)]
    [InlineData("null-sha512", 0, 32)]
    [InlineData("aes128-sha256", 16, 16)]
    [InlineData("aes256-sha384", 16, 24)]
    [InlineData("aes128gcm16", 8, 16)]
    [InlineData("aes256gcm8", 8, 8)]
    [Trait("rfc", "4303-2")]
    public void Encapsulate_ThenDecapsulate_GivesPayloadBack(string proposal, int ivLength, int icvLength)
    {
        var (sender, receiver) = Pair(proposal);
        var payload = Enumerable.Range(0, 61).Select(i => (byte)(i * 3)).ToArray();

        var packet = sender.Encapsulate(payload, 4);

        Assert.Equal(0xc0ffee01u, BinaryPrimitives.ReadUInt32BigEndian(packet));    // 0: SPI
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4)));   // 4: first sequence number is 1
        Assert.Equal(icvLength, sender.IcvLength);
        Assert.Equal(0, (packet.Length - 8 - ivLength - icvLength) % (ivLength == 16 ? 16 : 4));
        Assert.True(receiver.TryDecapsulate(packet, out var back, out var nextHeader));
        Assert.Equal(payload, back);
        Assert.Equal(4, nextHeader);
    }

    [Fact]
    [Trait("rfc", "4303-2.4")]
    public void Encapsulate_Null_ClearPayloadAndMonotonicPadding()
    {
        var (sender, _) = Pair("null-sha256");
        var packet = sender.Encapsulate([0xAA, 0xBB, 0xCC], 41);
        // 8: payload in clear (ENCR_NULL), 11: padding 1,2,3, 14: Pad Length 3, 15: Next Header 41, 16: ICV.
        Assert.Equal([0xAA, 0xBB, 0xCC, 1, 2, 3, 3, 41], packet.AsSpan(8, 8).ToArray());
        Assert.Equal(8 + 8 + 16, packet.Length);
    }

    [Theory]
    [InlineData("null-sha256")]
    [InlineData("aes128gcm16")]
    [InlineData("aes128-sha256")]
    public void TryDecapsulate_FlippedBit_Rejected(string proposal)
    {
        var (sender, receiver) = Pair(proposal);
        var packet = sender.Encapsulate(new byte[40], 4);
        packet[20] ^= 0x01;
        Assert.False(receiver.TryDecapsulate(packet, out _, out _));
    }

    [Fact]
    [Trait("rfc", "4303-3.4.3")]
    public void TryDecapsulate_Replay_Rejected()
    {
        var (sender, receiver) = Pair("null-sha256");
        var first = sender.Encapsulate([1], 4);
        var second = sender.Encapsulate([2], 4);
        Assert.True(receiver.TryDecapsulate(second, out _, out _));
        Assert.True(receiver.TryDecapsulate(first, out _, out _));
        Assert.False(receiver.TryDecapsulate(first, out _, out _));
        Assert.False(receiver.TryDecapsulate(second, out _, out _));
    }

    [Fact]
    public void TryDecapsulate_EveryPrefix_NeverThrows()
    {
        var (sender, receiver) = Pair("aes128-sha256");
        var packet = sender.Encapsulate(new byte[33], 4);
        for (var length = 0; length < packet.Length; length++)
        {
            Assert.False(receiver.TryDecapsulate(packet.AsSpan(0, length), out _, out _));
        }
    }
}
