using Visibility.Engine.Flows;
using Visibility.Wire;

namespace Visibility.Engine.Tests.Flows;

public sealed class FlowTableTests
{
    private static FlowKey Key(int i) =>
        FlowKey.ForPorts(NetworkAddress.FromIPv4(0x0A000000u + (uint)i), 1000, NetworkAddress.FromIPv4(0xC0000201u), 80, IPProtocol.Tcp);

    [Fact]
    public void GetOrAdd_NewKeys_SequentialIds()
    {
        var table = new FlowTable(8);
        FlowState a = table.GetOrAdd(Key(1), out bool createdA);
        FlowState b = table.GetOrAdd(Key(2), out bool createdB);
        FlowState again = table.GetOrAdd(Key(1), out bool createdAgain);
        Assert.True(createdA);
        Assert.True(createdB);
        Assert.False(createdAgain);
        Assert.Same(a, again);
        Assert.Equal(1, a.Id);
        Assert.Equal(2, b.Id);
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void Oldest_IsLeastRecentlyUsed()
    {
        var table = new FlowTable(8);
        table.GetOrAdd(Key(1), out _);
        table.GetOrAdd(Key(2), out _);
        table.GetOrAdd(Key(3), out _);
        table.GetOrAdd(Key(1), out _);
        Assert.Equal(Key(2), table.Oldest!.Key);
        table.Remove(table.Oldest);
        Assert.Equal(Key(3), table.Oldest!.Key);
        table.Remove(table.Oldest);
        Assert.Equal(Key(1), table.Oldest!.Key);
        table.Remove(table.Oldest);
        Assert.Null(table.Oldest);
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void IsFull_AtCapacity()
    {
        var table = new FlowTable(2);
        table.GetOrAdd(Key(1), out _);
        Assert.False(table.IsFull);
        table.GetOrAdd(Key(2), out _);
        Assert.True(table.IsFull);
    }

    [Fact]
    public void Release_ReusesObjects_NoAllocationOnSecondRound()
    {
        var table = new FlowTable(1024);
        for (int round = 0; round < 2; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 500; i++)
            {
                table.GetOrAdd(Key(i), out _);
            }
            while (table.Oldest is { } f)
            {
                table.Remove(f);
                table.Release(f);
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == 1)
            {
                Assert.Equal(0, allocated);
            }
        }
    }

    [Fact]
    public void Clear_RestartsIds()
    {
        var table = new FlowTable(4);
        table.GetOrAdd(Key(1), out _);
        table.GetOrAdd(Key(2), out _);
        table.Clear();
        Assert.Equal(0, table.Count);
        Assert.Equal(1, table.GetOrAdd(Key(5), out _).Id);
    }
}
