using System.Buffers.Binary;
using Visibility.IkePeer.Eap;

namespace Visibility.IkePeer.Tests.Eap;

public sealed class EapTlsFragmentsTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(2500)]
    [Trait("rfc", "5216-2.1.5")]
    public void NextFragmentThenReceive_AnyLength_ReassemblesWithLOnFirstAndMOnAllButLast(int length)
    {
        var sender = new EapTlsFragments();
        var receiver = new EapTlsFragments();
        var records = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        sender.Queue(records);
        var fragments = new List<byte[]>();
        while (sender.HasMoreToSend)
        {
            fragments.Add(sender.NextFragment());
        }

        Assert.Equal((length + EapTlsFragments.FragmentSize - 1) / EapTlsFragments.FragmentSize, fragments.Count);
        if (fragments.Count > 1)
        {
            Assert.Equal(EapTlsFragments.FlagLength | EapTlsFragments.FlagMore, fragments[0][0]);            // 0: Flags L M
            Assert.Equal((uint)length, BinaryPrimitives.ReadUInt32BigEndian(fragments[0].AsSpan(1)));         // 1: TLS Message Length
        }

        Assert.All(fragments.Skip(1).SkipLast(1), f => Assert.Equal(EapTlsFragments.FlagMore, f[0]));
        Assert.Equal(0, fragments[^1][0] & EapTlsFragments.FlagMore);
        byte[] reassembled = [];
        for (var i = 0; i < fragments.Count; i++)
        {
            Assert.Equal(i == fragments.Count - 1, receiver.Receive(fragments[i], out _, out reassembled));
        }

        Assert.Equal(records, reassembled);
    }

    [Fact]
    public void Receive_NoFlagsOctet_Throws() => Assert.Throws<EapException>(() => new EapTlsFragments().Receive([], out _, out _));

    [Fact]
    public void Receive_LengthFlagWithoutLength_Throws() => Assert.Throws<EapException>(() => new EapTlsFragments().Receive([0x80, 0, 0], out _, out _));
}
