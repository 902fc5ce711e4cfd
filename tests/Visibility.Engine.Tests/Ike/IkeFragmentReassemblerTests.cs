using Visibility.Engine.Ike;
using Visibility.Wire.Ike;

namespace Visibility.Engine.Tests.Ike;

public sealed class IkeFragmentReassemblerTests
{
    private readonly byte[] _output = new byte[IkeFragmentReassembler.MaxMessageLength];

    private IkeFragmentResult Add(IkeFragmentReassembler r, ushort number, ushort total, byte[] chunk, uint messageId = 1, long serial = 1,
        long now = 0) =>
        r.Add(serial, messageId, true, number, total, number == 1 ? IkePayloadType.IdentificationInitiator : IkePayloadType.None, chunk, now,
            _output, out _, out _);

    [Fact]
    [Trait("rfc", "7383-2.6")]
    public void Add_OutOfOrder_JoinedInFragmentOrder()
    {
        var r = new IkeFragmentReassembler(4);
        Assert.Equal(IkeFragmentResult.Pending, Add(r, 3, 3, [7, 8]));
        Assert.Equal(IkeFragmentResult.Pending, Add(r, 1, 3, [1, 2, 3]));
        IkeFragmentResult last = r.Add(1, 1, true, 2, 3, IkePayloadType.None, [4, 5, 6], 0, _output, out int length, out IkePayloadType first);

        Assert.Equal(IkeFragmentResult.Complete, last);
        Assert.Equal(IkePayloadType.IdentificationInitiator, first);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, _output[..length]);
    }

    [Fact]
    public void Add_SameNumberTwice_Duplicate()
    {
        var r = new IkeFragmentReassembler(4);
        Add(r, 1, 2, [1]);
        Assert.Equal(IkeFragmentResult.Duplicate, Add(r, 1, 2, [1]));
    }

    [Theory]
    [Trait("rfc", "7383-2.5")]
    [InlineData(0, 2)]
    [InlineData(3, 2)]
    [InlineData(1, 0)]
    [InlineData(1, 65)]
    public void Add_NumbersOutOfBounds_Dropped(int number, int total)
    {
        var r = new IkeFragmentReassembler(4);
        Assert.Equal(IkeFragmentResult.Dropped, Add(r, (ushort)number, (ushort)total, [1]));
    }

    [Fact]
    public void Add_MoreThan64KiB_Dropped()
    {
        var r = new IkeFragmentReassembler(4);
        Assert.Equal(IkeFragmentResult.Pending, Add(r, 1, 3, new byte[40_000]));
        Assert.Equal(IkeFragmentResult.Dropped, Add(r, 2, 3, new byte[40_000]));
    }

    [Fact]
    public void Add_AllSlotsBusy_LeastRecentDropped()
    {
        var r = new IkeFragmentReassembler(2);
        Add(r, 1, 2, [1], messageId: 1, now: 1);
        Add(r, 1, 2, [1], messageId: 2, now: 2);
        Add(r, 1, 2, [1], messageId: 3, now: 3);

        Assert.Equal(1, r.Evicted);
        // Message 1 lost its first fragment: its second starts over and waits.
        Assert.Equal(IkeFragmentResult.Pending, Add(r, 2, 2, [2], messageId: 1, now: 4));
        Assert.Equal(IkeFragmentResult.Complete, Add(r, 2, 2, [2], messageId: 3, now: 5));
    }

    [Fact]
    public void Add_OtherSa_SameMessageId_KeptApart()
    {
        var r = new IkeFragmentReassembler(4);
        Add(r, 1, 2, [1], serial: 1);
        Assert.Equal(IkeFragmentResult.Pending, Add(r, 2, 2, [2], serial: 2));
        Assert.Equal(IkeFragmentResult.Complete, Add(r, 2, 2, [2], serial: 1));
    }
}
