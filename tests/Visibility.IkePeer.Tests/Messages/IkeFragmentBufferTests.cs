using Visibility.IkePeer.Messages;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Messages;

public sealed class IkeFragmentBufferTests
{
    private static IkeFragment Fragment(ushort number, ushort total, params byte[] chunk) =>
        new(number, total, number == 1 ? IkePayloadType.IdentificationInitiator : IkePayloadType.None, chunk);

    [Fact]
    [Trait("rfc", "7383-2.6")]
    public void Add_OutOfOrderWithDuplicates_JoinsInFragmentOrderOnce()
    {
        var buffer = new IkeFragmentBuffer();

        Assert.Null(buffer.Add(5, Fragment(3, 3, 7, 8), out _));
        Assert.Null(buffer.Add(5, Fragment(1, 3, 1, 2, 3), out _));
        Assert.Null(buffer.Add(5, Fragment(3, 3, 7, 8), out _));
        var chain = buffer.Add(5, Fragment(2, 3, 4, 5, 6), out var first);

        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, chain);
        Assert.Equal(IkePayloadType.IdentificationInitiator, first);
        Assert.Equal(1, buffer.Duplicates);
        Assert.False(buffer.IsPending);
    }

    [Fact]
    [Trait("rfc", "7383-2.6")]
    public void Add_MoreTotalFragments_StartsOver()
    {
        var buffer = new IkeFragmentBuffer();
        buffer.Add(1, Fragment(1, 2, 9, 9), out _);

        Assert.Null(buffer.Add(1, Fragment(2, 3, 2), out _));
        Assert.Null(buffer.Add(1, Fragment(1, 3, 1), out _));
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer.Add(1, Fragment(3, 3, 3), out _));
        Assert.Equal(1, buffer.Discarded);
    }

    [Fact]
    [Trait("rfc", "7383-2.6")]
    public void Add_FewerTotalFragments_Dropped()
    {
        var buffer = new IkeFragmentBuffer();
        buffer.Add(1, Fragment(1, 3, 1), out _);

        Assert.Null(buffer.Add(1, Fragment(2, 2, 2), out _));
        Assert.Equal(1, buffer.Discarded);
        Assert.True(buffer.IsPending);
    }

    [Fact]
    public void Add_OtherMessageId_StartsOver()
    {
        var buffer = new IkeFragmentBuffer();
        buffer.Add(1, Fragment(1, 2, 1), out _);

        Assert.Null(buffer.Add(2, Fragment(2, 2, 2), out _));
        Assert.Null(buffer.Add(1, Fragment(2, 2, 2), out _));
        Assert.True(buffer.Discarded >= 2);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(3, 2)]
    [InlineData(1, 65)]
    public void Add_InvalidNumbers_Dropped(int number, int total)
    {
        var buffer = new IkeFragmentBuffer();

        Assert.Null(buffer.Add(1, Fragment((ushort)number, (ushort)total, 1), out _));
        Assert.Equal(1, buffer.Discarded);
        Assert.False(buffer.IsPending);
    }

    [Fact]
    [Trait("rfc", "7383-2.5")]
    public void Add_FirstFragmentWithoutFirstPayload_Dropped()
    {
        var buffer = new IkeFragmentBuffer();

        Assert.Null(buffer.Add(1, new IkeFragment(1, 1, IkePayloadType.None, [1]), out _));
        Assert.Null(buffer.Add(1, new IkeFragment(2, 2, IkePayloadType.Nonce, [1]), out _));
        Assert.Equal(2, buffer.Discarded);
    }

    [Fact]
    public void Add_OverMessageBound_DropsAll()
    {
        var buffer = new IkeFragmentBuffer();
        var big = new byte[40000];

        Assert.Null(buffer.Add(1, Fragment(1, 3, big), out _));
        Assert.Null(buffer.Add(1, Fragment(2, 3, big), out _));
        Assert.False(buffer.IsPending);
        Assert.Null(buffer.Add(1, Fragment(3, 3, 1), out _));
    }
}
