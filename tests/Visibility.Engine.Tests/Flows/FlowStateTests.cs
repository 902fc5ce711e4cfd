using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Visibility.Engine.Esp;
using Visibility.Engine.Flows;
using Visibility.Engine.Ike;
using Visibility.Wire;

namespace Visibility.Engine.Tests.Flows;

public sealed class FlowStateTests
{
    private static readonly MethodInfo s_sizeOf = typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!;

    private static IEnumerable<(string Name, int Offset, int Size)> Fields() =>
        typeof(FlowState).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Select(f => (f.Name, f.GetCustomAttribute<FieldOffsetAttribute>()!.Value,
                (int)s_sizeOf.MakeGenericMethod(f.FieldType).Invoke(null, null)!));

    [Fact]
    public void Layout_NoFieldsOverlap()
    {
        // The layout is explicit: a struct that grows (EspSaState, IkeSaLink, FlowKey) must not run into the next field.
        (string Name, int Offset, int Size)[] fields = Fields().OrderBy(f => f.Offset).ToArray();
        Assert.Equal(24, fields.Length);
        for (int i = 1; i < fields.Length; i++)
        {
            Assert.True(fields[i - 1].Offset + fields[i - 1].Size <= fields[i].Offset,
                $"{fields[i - 1].Name} (at {fields[i - 1].Offset}, {fields[i - 1].Size} bytes) overlaps {fields[i].Name} (at {fields[i].Offset})");
        }
    }

    [Fact]
    public void Layout_PerPacketFieldsInHotRange()
    {
        var flow = new FlowState();
        ref byte first = ref Unsafe.As<RawData>(flow).Data;
        Assert.Equal(0, (int)Unsafe.ByteOffset(ref first, ref Unsafe.As<FlowKey, byte>(ref flow.KeyField)));
        Assert.Equal(152, (int)Unsafe.ByteOffset(ref first, ref Unsafe.As<IkeSaLink, byte>(ref flow.IkeSa)));
        Assert.Equal(200, (int)Unsafe.ByteOffset(ref first, ref Unsafe.As<EspSaState, byte>(ref flow.Esp)));
        Assert.True(200 + Unsafe.SizeOf<EspSaState>() <= 328);

        // Everything a port flow's packet reads or writes lies below HotPortBytes; an ESP packet adds IkeSa and the
        // classifier's counters, below HotEspBytes (Esp's tail, the tentative Next Header set, is read rarely).
        string[] port = ["KeyField", "<LastNanoseconds>k__BackingField", "<LastSequence>k__BackingField", "<PacketsToServer>k__BackingField",
            "<PacketsToClient>k__BackingField", "<BytesToServer>k__BackingField", "<BytesToClient>k__BackingField", "<SeenToServer>k__BackingField",
            "<SeenToClient>k__BackingField", "<Encapsulation>k__BackingField", "<Client>k__BackingField", "<ClientPort>k__BackingField"];
        foreach ((string name, int offset, int size) in Fields())
        {
            if (port.Contains(name))
            {
                Assert.True(offset + size <= FlowState.HotPortBytes, name);
            }
        }
        Assert.True(152 + Unsafe.SizeOf<IkeSaLink>() <= FlowState.HotEspBytes);
        Assert.True(FlowState.HotEspBytes - 200 >= 90, "Esp's per-packet fields (up to IsNegotiated at 89) are in the hot range");
    }

    [Fact]
    public void Reset_ClearsEveryField()
    {
        var flow = new FlowState
        {
            Id = 3, Key = FlowKey.ForEsp(NetworkAddress.Parse("192.0.2.1"), NetworkAddress.Parse("192.0.2.2"), 9, 0, 0, IPProtocol.Esp),
            Client = NetworkAddress.Parse("192.0.2.1"), Server = NetworkAddress.Parse("192.0.2.2"), ClientPort = 1, ServerPort = 2,
            Protocol = IPProtocol.Esp, Kind = PayloadKind.Esp, Encapsulation = EspEncapsulation.Esp, StartNanoseconds = 4,
            LastNanoseconds = 5, SourceName = "x", FirstFrame = 6, LastSequence = 7, PacketsToServer = 8, PacketsToClient = 9,
            BytesToServer = 10, BytesToClient = 11, SeenToServer = true, SeenToClient = true,
        };
        flow.Reset();
        Assert.Equal(0, flow.Id);
        Assert.Equal(default, flow.Key);
        Assert.True(flow.Client.IsNone && flow.Server.IsNone);
        Assert.Equal(0, flow.ClientPort + flow.ServerPort + flow.StartNanoseconds + flow.LastNanoseconds + flow.FirstFrame + flow.LastSequence);
        Assert.Equal(0, flow.PacketsToServer + flow.PacketsToClient + flow.BytesToServer + flow.BytesToClient);
        Assert.Equal(PayloadKind.None, flow.Kind);
        Assert.Equal(EspEncapsulation.None, flow.Encapsulation);
        Assert.Null(flow.SourceName);
        Assert.False(flow.Established);
    }

    [Fact]
    public void Properties_ReadBackWhatWasWritten_NoFieldAliasing()
    {
        var flow = new FlowState();
        flow.LastNanoseconds = long.MaxValue;
        flow.PacketsToServer = 1;
        flow.BytesToServer = 2;
        flow.PacketsToClient = 3;
        flow.BytesToClient = 4;
        flow.ClientPort = 5;
        flow.ServerPort = 6;
        flow.Protocol = IPProtocol.Udp;
        flow.Hash = -1;
        flow.Server = NetworkAddress.Parse("2001:db8::1");
        flow.Id = 7;
        Assert.Equal(long.MaxValue, flow.LastNanoseconds);
        Assert.Equal((1, 2, 3, 4), (flow.PacketsToServer, flow.BytesToServer, flow.PacketsToClient, flow.BytesToClient));
        Assert.Equal((5, 6), (flow.ClientPort, flow.ServerPort));
        Assert.Equal(IPProtocol.Udp, flow.Protocol);
        Assert.Equal(NetworkAddress.Parse("2001:db8::1"), flow.Server);
        Assert.Equal(7, flow.Id);
        Assert.Equal(0, flow.LastSequence);
        Assert.True(flow.Client.IsNone);
    }

    [Fact]
    public void LoadHotLines_ReadsWithinTheObject()
    {
        var flow = new FlowState { PacketsToServer = 1 };
        // The values are only kept so the reads happen; what matters is that they stay inside the object.
        Assert.True(flow.LoadHotLines(esp: true) >= 0);
        Assert.True(FlowState.HotEspBytes <= Fields().Max(f => f.Offset + f.Size));
    }

    private sealed class RawData
    {
        public byte Data;
    }
}
