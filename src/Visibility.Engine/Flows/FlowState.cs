using Visibility.Engine.Esp;
using Visibility.Engine.Ike;
using Visibility.Wire;

namespace Visibility.Engine.Flows;

/// <summary>Per-flow state: identity, counters and the protocol state that rides on the flow.</summary>
/// <remarks>Instances are pooled by <see cref="FlowTable"/> and reused after the flow ends: never keep a reference
/// past <see cref="Events.IEventSink.OnFlowEnd"/>.</remarks>
public sealed class FlowState
{
    /// <summary>Sequence number within one pipeline run (deterministic EVE <c>flow_id</c>).</summary>
    public long Id { get; internal set; }

    public FlowKey Key { get => KeyField; internal set => KeyField = value; }

    /// <summary><see cref="Key"/>'s storage, compared in place by the flow table.</summary>
    internal FlowKey KeyField;

    /// <summary>The source of the first packet seen: "client" in EVE terms (<c>src_ip</c>).</summary>
    public NetworkAddress Client { get; internal set; }

    public NetworkAddress Server { get; internal set; }

    public ushort ClientPort { get; internal set; }

    public ushort ServerPort { get; internal set; }

    public IPProtocol Protocol { get; internal set; }

    public PayloadKind Kind { get; internal set; }

    public EspEncapsulation Encapsulation { get; internal set; }

    public uint Spi => Key.Spi;

    /// <summary>Packet time of the first and the last packet, in nanoseconds since the Unix epoch.</summary>
    public long StartNanoseconds { get; internal set; }

    public long LastNanoseconds { get; internal set; }

    /// <summary>Name of the capture source (file) the first packet came from (EVE <c>pcap_filename</c>).</summary>
    public string? SourceName { get; internal set; }

    /// <summary>Frame number (within its file) of the first packet.</summary>
    public long FirstFrame { get; internal set; }

    /// <summary>Run-wide sequence number of the last packet of this flow (see <c>PacketPipeline.Sequence</c>); 0 when
    /// the caller does not number packets.</summary>
    public long LastSequence { get; internal set; }

    public long PacketsToServer { get; internal set; }

    public long PacketsToClient { get; internal set; }

    public long BytesToServer { get; internal set; }

    public long BytesToClient { get; internal set; }

    /// <summary>Packets were seen from the client, and from the server.</summary>
    public bool SeenToServer { get; internal set; }

    public bool SeenToClient { get; internal set; }

    /// <summary>Both directions have been seen (for TCP this follows the SYN-ACK; Suricata waits for the final ACK).</summary>
    public bool Established => SeenToServer && SeenToClient;

    /// <summary>The ESP-NULL classifier's state for this SA (ESP and WESP flows only). A field, so the classifier can
    /// update it in place.</summary>
    public EspSaState Esp;

    /// <summary>The IKE SA of an ESP/WESP flow (EVE <c>ike_sa</c> on the flow record), filled by the IKE tracker.</summary>
    public IkeSaLink IkeSa;

    /// <summary>This object's fixed place in its <see cref="FlowTable"/> (index and least-recently-used list).</summary>
    internal int Slot { get; init; }

    /// <summary><see cref="Key"/>'s hash, kept so removal needs no rehash.</summary>
    internal int Hash;

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
}
