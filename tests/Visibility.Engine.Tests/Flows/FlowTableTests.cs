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

    [Fact]
    public void GetOrAdd_ManyFlows_GrowsAndFindsEach()
    {
        var table = new FlowTable(5000);
        var flows = new FlowState[3000];
        for (int i = 0; i < flows.Length; i++)
        {
            flows[i] = table.GetOrAdd(Key(i), out bool created);
            Assert.True(created);
        }
        for (int i = 0; i < flows.Length; i++)
        {
            Assert.Same(flows[i], table.GetOrAdd(Key(i), out bool created));
            Assert.False(created);
        }
        Assert.Equal(3000, table.Count);
        Assert.Equal(Key(0), table.Oldest!.Key);
    }

    [Theory]
    [InlineData(8, 1)]
    [InlineData(64, 2)]
    [InlineData(2000, 3)]
    public void RandomOperations_MatchDictionaryAndListModel(int capacity, int seed)
    {
        // Small tables put many keys in the same probe runs, so removals exercise the backward shift.
        var random = new Random(seed);
        var table = new FlowTable(capacity);
        var model = new Dictionary<FlowKey, FlowState>();
        var order = new LinkedList<FlowKey>();
        for (int step = 0; step < 20_000; step++)
        {
            int op = random.Next(10);
            if (op < 7)
            {
                FlowKey key = Key(random.Next(capacity * 2));
                if (!model.ContainsKey(key) && table.IsFull)
                {
                    FlowState victim = table.Oldest!;
                    Assert.Equal(order.First!.Value, victim.Key);
                    Forget(victim);
                }
                FlowState flow = table.GetOrAdd(key, out bool created);
                Assert.Equal(!model.ContainsKey(key), created);
                if (!created)
                {
                    Assert.Same(model[key], flow);
                }
                model[key] = flow;
                order.Remove(key);
                order.AddLast(key);
            }
            else if (model.Count > 0)
            {
                // Remove a random flow, not only the oldest.
                FlowKey key = model.Keys.ElementAt(random.Next(model.Count));
                Forget(model[key]);
            }
            Assert.Equal(model.Count, table.Count);
            Assert.Equal(order.First?.Value, table.Oldest?.Key);
        }
        foreach ((FlowKey key, FlowState flow) in model)
        {
            Assert.Same(flow, table.GetOrAdd(key, out bool created));
            Assert.False(created);
        }

        void Forget(FlowState flow)
        {
            FlowKey key = flow.Key;
            table.Remove(flow);
            table.Release(flow);
            model.Remove(key);
            order.Remove(key);
        }
    }

    [Fact]
    public void Remove_ThenSameKey_CreatesNewFlow()
    {
        var table = new FlowTable(4);
        FlowState a = table.GetOrAdd(Key(1), out _);
        table.Remove(a);
        table.Release(a);
        FlowState b = table.GetOrAdd(Key(1), out bool created);
        Assert.True(created);
        Assert.Equal(2, b.Id);
        Assert.Equal(1, table.Count);
    }
}
