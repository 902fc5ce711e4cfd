using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeConfigurationPayloadTests
{
    [Fact]
    [Trait("rfc", "7296-3.15.1")]
    public void GetAttributes_ReplyWithAddressAndDns()
    {
        byte[] body =
        [
            // 0: CFG_REPLY (2) | reserved
            0x02, 0x00, 0x00, 0x00,
            // 4: INTERNAL_IP4_ADDRESS (1), length 4, 10.8.0.2
            0x00, 0x01, 0x00, 0x04, 0x0A, 0x08, 0x00, 0x02,
            // 12: INTERNAL_IP4_DNS (3), length 0 (as in a request)
            0x00, 0x03, 0x00, 0x00,
        ];
        Assert.True(IkeConfigurationPayload.TryRead(body, out IkeConfigurationPayload cp));
        Assert.Equal(ConfigurationType.Reply, cp.ConfigurationType);
        IkeConfigurationAttributeReader reader = cp.GetAttributes();
        Assert.True(reader.TryReadNext(out IkeConfigurationAttribute address));
        Assert.Equal(1, address.Type);
        Assert.Equal([0x0A, 0x08, 0x00, 0x02], address.Value.ToArray());
        Assert.True(reader.TryReadNext(out IkeConfigurationAttribute dns));
        Assert.Equal(3, dns.Type);
        Assert.True(dns.Value.IsEmpty);
        Assert.False(reader.TryReadNext(out _));
        Assert.False(reader.IsMalformed);
    }

    [Fact]
    public void GetAttributes_ValueBeyondPayload_Malformed()
    {
        Assert.True(IkeConfigurationPayload.TryRead([0x01, 0, 0, 0, 0x00, 0x01, 0x00, 0x04, 0x0A], out IkeConfigurationPayload cp));
        IkeConfigurationAttributeReader reader = cp.GetAttributes();
        Assert.False(reader.TryReadNext(out _));
        Assert.True(reader.IsMalformed);
    }
}
