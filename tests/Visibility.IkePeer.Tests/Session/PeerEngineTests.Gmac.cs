using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace Visibility.IkePeer.Tests.Session;

/// <summary>ENCR_NULL_AUTH_AES_GMAC (RFC 4543) Child SAs between two engines.</summary>
public sealed partial class PeerEngineTests
{
    [Theory]
    [InlineData("aes128gmac", 128)]
    [InlineData("aes192gmac", 192)]
    [InlineData("aes256gmac", 256)]
    [Trait("rfc", "4543-3")]
    public async Task Gmac_BothSides_NegotiatedAndTrafficInClearWithIcv(string esp, int bits)
    {
        using var pair = new LoopbackPair(initiatorEsp: $"aes128gcm16,{esp}", responderEsp: esp);
        var session = await pair.Initiator.InitiateAsync(LoopbackPair.Timeout);
        var child = session.Children.Single();
        Assert.Equal($"ENCR_NULL_AUTH_AES_GMAC_{bits}", child.Suite.Encryption.Name);
        Assert.Equal(bits / 8 + 4, child.Outbound.Keys.EncryptionKey.Length);     // key | 4-octet salt
        Assert.Empty(child.Outbound.Keys.IntegrityKey);
        var sent = new ConcurrentQueue<byte[]>();
        pair.Initiator.Tap = (source, _, payload) =>
        {
            if (source.Port == pair.Initiator.NatTraversalPort && payload.Length > 8 && BinaryPrimitives.ReadUInt32BigEndian(payload) == child.Outbound.Spi)
            {
                sent.Enqueue(payload);
            }
        };

        Assert.Equal(3, await pair.Initiator.PingAsync(session, 3, LoopbackPair.Timeout));

        Assert.Equal(3, sent.Count);
        // 8: IV = the sequence number as a 64-bit counter; 16: the inner IPv4 header in clear; ICV 16 octets at the end.
        Assert.All(sent, p => Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(4)), BinaryPrimitives.ReadUInt64BigEndian(p.AsSpan(8))));
        Assert.All(sent, p => Assert.Equal(0x45, p[16]));
        Assert.All(sent, p => Assert.Equal(0, (p.Length - 16 - 16) % 4));
    }
}
