using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeTicketOpaqueDataTests
{
    [Fact]
    [Trait("rfc", "5723-7.2")]
    public void TryRead_Ticket_WholeData()
    {
        Assert.True(IkeTicketOpaqueData.TryRead([0x01, 0x02, 0x03], out IkeTicketOpaqueData ticket));
        Assert.Equal([0x01, 0x02, 0x03], ticket.Ticket.ToArray());
        Assert.False(IkeTicketOpaqueData.TryRead([], out _));
    }
}
