using Visibility.Engine.Flows;
using Visibility.Wire;

namespace Visibility.Engine.Tests.Flows;

public sealed class InnerFlowTableTests
{
    private static readonly NetworkAddress Server = NetworkAddress.FromIPv4(0xC0000201u);

    private static NetworkAddress Client(int i) => NetworkAddress.FromIPv4(0x0A000000u + (uint)i);

    private static FlowKey Key(int i) => FlowKey.ForPorts(Client(i), 1000, Server, 80, IPProtocol.Tcp);

    // Client(i) sorts before Server, so the client is the key's first endpoint.
    private const bool FromClient = true;
    private const bool FromServer = false;

    [Fact]
    public void FirstSenderIsClient_EstablishedOnceBothSidesSent()
    {
        var table = new InnerFlowTable(8);
        Assert.True(table.Observe(Key(1), FromClient, out bool established));
        Assert.False(established);
        Assert.True(table.Observe(Key(1), FromClient, out established));
        Assert.False(established);
        Assert.False(table.Observe(Key(1), FromServer, out established));
        Assert.True(established);
        Assert.True(table.Observe(Key(1), FromClient, out established));
        Assert.True(established);
    }

    [Fact]
    public void ServerSpeaksFirst_ItIsTheClient()
    {
        // As Suricata: the flow's first packet names the client, whichever endpoint sorts first in the key.
        var table = new InnerFlowTable(8);
        Assert.True(table.Observe(Key(1), FromServer, out _));
        Assert.False(table.Observe(Key(1), FromClient, out bool established));
        Assert.True(established);
    }

    [Fact]
    public void Full_ForgetsLeastRecentlySeen()
    {
        var table = new InnerFlowTable(2);
        table.Observe(Key(1), FromClient, out _);
        table.Observe(Key(2), FromClient, out _);
        table.Observe(Key(1), FromServer, out _);
        table.Observe(Key(3), FromClient, out _);
        Assert.Equal(2, table.Count);
        // Flow 2 was forgotten: its server's packet now starts it again, as the client, and flow 1 (now the least
        // recently seen) makes room for it.
        Assert.True(table.Observe(Key(2), FromServer, out bool established));
        Assert.False(established);
        // Flow 3 kept its state; flow 1 lost its: established no more.
        Assert.False(table.Observe(Key(3), FromServer, out established));
        Assert.True(established);
        Assert.True(table.Observe(Key(1), FromClient, out established));
        Assert.False(established);
    }

    [Fact]
    public void Clear_ForgetsEveryFlow()
    {
        var table = new InnerFlowTable(8);
        table.Observe(Key(1), FromClient, out _);
        table.Clear();
        Assert.Equal(0, table.Count);
        Assert.True(table.Observe(Key(1), FromServer, out bool established));
        Assert.False(established);
    }

    [Theory]
    [InlineData(4, 1)]
    [InlineData(64, 2)]
    [InlineData(3000, 3)]
    public void RandomPackets_MatchDictionaryAndListModel(int capacity, int seed)
    {
        // Small tables put many keys in the same probe runs, so evictions exercise the index's backward shift.
        var random = new Random(seed);
        var table = new InnerFlowTable(capacity);
        var model = new Dictionary<FlowKey, (bool ClientIsFirst, bool ToServer, bool ToClient)>();
        var order = new LinkedList<FlowKey>();
        for (int step = 0; step < 30_000; step++)
        {
            FlowKey key = Key(random.Next(capacity * 2));
            bool fromFirst = random.Next(2) == 0;
            if (!model.TryGetValue(key, out var state))
            {
                if (model.Count == capacity)
                {
                    model.Remove(order.First!.Value);
                    order.RemoveFirst();
                }
                state = (fromFirst, false, false);
            }
            bool toServer = fromFirst == state.ClientIsFirst;
            state = toServer ? state with { ToServer = true } : state with { ToClient = true };
            model[key] = state;
            order.Remove(key);
            order.AddLast(key);

            Assert.Equal(toServer, table.Observe(key, fromFirst, out bool established));
            Assert.Equal(state.ToServer && state.ToClient, established);
            Assert.Equal(model.Count, table.Count);
        }
    }
}
