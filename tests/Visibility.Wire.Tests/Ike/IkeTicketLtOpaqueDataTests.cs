using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeTicketLtOpaqueDataTests
{
    [Fact]
    [Trait("rfc", "5723-7.1")]
    public void TryRead_LifetimeThenTicket()
    {
        // 0: Lifetime 86400 s | 4: ticket (version 1, reserved, key id...)
        byte[] data = [0x00, 0x01, 0x51, 0x80, 0x01, 0x00, 0x00, 0x00, 0xAA, 0xBB];
        Assert.True(IkeTicketLtOpaqueData.TryRead(data, out IkeTicketLtOpaqueData ticket));
        Assert.Equal(86400u, ticket.Lifetime);
        Assert.Equal([0x01, 0x00, 0x00, 0x00, 0xAA, 0xBB], ticket.Ticket.ToArray());
    }

    [Fact]
    public void TryRead_NoTicketAfterLifetime_False() => Assert.False(IkeTicketLtOpaqueData.TryRead([0, 0, 0, 1], out _));
}
