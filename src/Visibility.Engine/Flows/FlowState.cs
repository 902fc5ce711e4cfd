using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Visibility.Engine.Esp;
using Visibility.Engine.Ike;
using Visibility.Wire;

namespace Visibility.Engine.Flows;

/// <summary>Per-flow state: identity, counters and the protocol state that rides on the flow.</summary>
/// <remarks>
/// <para>Instances are pooled by <see cref="FlowTable"/> and reused after the flow ends: never keep a reference
/// past <see cref="Events.IEventSink.OnFlowEnd"/>.</para>
/// <para>The fields are laid out by hand (the runtime's automatic layout puts all 8-byte fields first and the structs
/// last, which spreads what one packet touches over six or seven cache lines). Offsets from the first field; the
/// object itself starts 8 bytes earlier (method table) and lies at any 8-byte boundary:</para>
/// <code>
///   0 Key (64)                       \
///  64 LastNanoseconds, LastSequence   | every packet: the key compare, then the counters
///  80 To-server and to-client counts |  (to-client and Client for port flows only)
/// 112 Seen*, Encapsulation, Kind,    |
///     ports, Protocol, Hash          |
/// 128 Client (24)                    /
/// 152 IkeSa (48)                     \ ESP and WESP packets: IKE link, then the classifier
/// 200 Esp (128)                      /  (its first 96 bytes on most packets)
/// 328 Server, SourceName, Id, StartNanoseconds, FirstFrame, Slot: written when the flow starts, read when it ends
/// </code>
/// <para>So a packet of a port flow touches bytes 0-152 and an ESP packet 0-296 (three and five lines), where the
/// automatic layout spread them over 24-392; <see cref="FlowTable"/> starts loading those lines together as soon as
/// the flow is found.</para>
/// </remarks>
[StructLayout(LayoutKind.Explicit)]
public sealed class FlowState
{
    internal const int HotPortBytes = 152;
    internal const int HotEspBytes = 296;

    /// <summary>Sequence number within one pipeline run (deterministic EVE <c>flow_id</c>).</summary>
    [field: FieldOffset(360)]
    public long Id { get; internal set; }

    public FlowKey Key { get => KeyField; internal set => KeyField = value; }

    /// <summary><see cref="Key"/>'s storage, compared in place by the flow table.</summary>
    [FieldOffset(0)]
    internal FlowKey KeyField;

    /// <summary>The source of the first packet seen: "client" in EVE terms (<c>src_ip</c>).</summary>
    [field: FieldOffset(128)]
    public NetworkAddress Client { get; internal set; }

    [field: FieldOffset(328)]
    public NetworkAddress Server { get; internal set; }

    [field: FieldOffset(116)]
    public ushort ClientPort { get; internal set; }

    [field: FieldOffset(118)]
    public ushort ServerPort { get; internal set; }

    [field: FieldOffset(120)]
    public IPProtocol Protocol { get; internal set; }

    [field: FieldOffset(115)]
    public PayloadKind Kind { get; internal set; }

    [field: FieldOffset(114)]
    public EspEncapsulation Encapsulation { get; internal set; }

    public uint Spi => Key.Spi;

    /// <summary>Packet time of the first and the last packet, in nanoseconds since the Unix epoch.</summary>
    [field: FieldOffset(368)]
    public long StartNanoseconds { get; internal set; }

    [field: FieldOffset(64)]
    public long LastNanoseconds { get; internal set; }

    /// <summary>Name of the capture source (file) the first packet came from (EVE <c>pcap_filename</c>).</summary>
    [field: FieldOffset(352)]
    public string? SourceName { get; internal set; }

    /// <summary>Frame number (within its file) of the first packet.</summary>
    [field: FieldOffset(376)]
    public long FirstFrame { get; internal set; }

    /// <summary>Run-wide sequence number of the last packet of this flow (see <c>PacketPipeline.Sequence</c>); 0 when
    /// the caller does not number packets.</summary>
    [field: FieldOffset(72)]
    public long LastSequence { get; internal set; }

    [field: FieldOffset(80)]
    public long PacketsToServer { get; internal set; }

    [field: FieldOffset(96)]
    public long PacketsToClient { get; internal set; }

    [field: FieldOffset(88)]
    public long BytesToServer { get; internal set; }

    [field: FieldOffset(104)]
    public long BytesToClient { get; internal set; }

    /// <summary>Packets were seen from the client, and from the server.</summary>
    [field: FieldOffset(112)]
    public bool SeenToServer { get; internal set; }

    [field: FieldOffset(113)]
    public bool SeenToClient { get; internal set; }

    /// <summary>Both directions have been seen (for TCP this follows the SYN-ACK; Suricata waits for the final ACK).</summary>
    public bool Established => SeenToServer && SeenToClient;

    /// <summary>The ESP-NULL classifier's state for this SA (ESP and WESP flows only). A field, so the classifier can
    /// update it in place.</summary>
    [FieldOffset(200)]
    public EspSaState Esp;

    /// <summary>The IKE SA of an ESP/WESP flow (EVE <c>ike_sa</c> on the flow record), filled by the IKE tracker.</summary>
    [FieldOffset(152)]
    public IkeSaLink IkeSa;

    /// <summary>This object's fixed place in its <see cref="FlowTable"/> (index and least-recently-used list).</summary>
    [field: FieldOffset(384)]
    internal int Slot { get; init; }

    /// <summary><see cref="Key"/>'s hash, kept so removal needs no rehash.</summary>
    [FieldOffset(124)]
    internal int Hash;

    /// <summary>Starts loading every cache line a packet of this flow will touch (see the remarks), so their misses
    /// overlap with the key compare's instead of coming one after another as the pipeline reaches each field.</summary>
    /// <remarks>Plain loads, one per 64 bytes of the hot range (there is no prefetch instruction without unsafe code).
    /// The caller keeps the returned combination of the bytes read, so the compiler cannot drop the loads.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int LoadHotLines(bool esp)
    {
        ref byte first = ref Unsafe.As<RawData>(this).Data;
        int bytes = Unsafe.Add(ref first, 64) + Unsafe.Add(ref first, 128) + Unsafe.Add(ref first, HotPortBytes - 1);
        if (esp)
        {
            bytes += Unsafe.Add(ref first, 192) + Unsafe.Add(ref first, 256) + Unsafe.Add(ref first, HotEspBytes - 1);
        }
        return bytes;
    }

    internal void Reset()
    {
        Id = 0;
        Key = default;
        Client = default;
        Server = default;
        ClientPort = ServerPort = 0;
        Protocol = 0;
        Kind = PayloadKind.None;
        Encapsulation = EspEncapsulation.None;
        StartNanoseconds = LastNanoseconds = 0;
        FirstFrame = 0;
        LastSequence = 0;
        SourceName = null;
        PacketsToServer = PacketsToClient = BytesToServer = BytesToClient = 0;
        Esp = default;
        SeenToServer = SeenToClient = false;
        IkeSa = default;
    }

    /// <summary>Any object seen as its first field's byte (how the runtime itself reaches an object's data).</summary>
    private sealed class RawData
    {
        public byte Data;
    }
}
