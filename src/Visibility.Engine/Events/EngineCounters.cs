using Visibility.Wire;

namespace Visibility.Engine.Events;

/// <summary>Counters of one pipeline, bumped on the processing thread and read by outputs (stats record, summary,
/// metrics) at their own pace. Plain fields on purpose: an increment is one instruction on the hot path.</summary>
public sealed class EngineCounters
{
    /// <summary>Every record read, whatever became of it.</summary>
    public long Packets;

    /// <summary>Bytes on the wire (original lengths).</summary>
    public long Bytes;

    public long IPv4;
    public long IPv6;
    public long Vlan;
    public long Tcp;
    public long Udp;
    public long Icmp;
    public long IcmpV6;

    /// <summary>ESP as IP protocol 50.</summary>
    public long Esp;

    /// <summary>UDP-encapsulated ESP (RFC 3948).</summary>
    public long EspUdp;

    /// <summary>WESP, native or UDP-encapsulated.</summary>
    public long Wesp;

    /// <summary>WESP packets whose header was read, by its Encrypted flag (RFC 5840 §2).</summary>
    public long WespEncrypted;
    public long WespNotEncrypted;

    /// <summary>ESP/WESP flows (one per SA and direction) created.</summary>
    public long EspFlowsCreated;

    public long Ike;
    public long NatKeepalive;
    public long OtherIP;

    /// <summary>Frames with no IP layer (ARP, LLDP, ...).</summary>
    public long NonIP;

    /// <summary>Frames that carried an IP fragment, and datagrams rebuilt from fragments.</summary>
    public long Fragments;
    public long Reassembled;

    /// <summary>Frames with at least one decode anomaly.</summary>
    public long Invalid;

    /// <summary>ESP SA verdicts decided or changed (EVE <c>esp</c> records).</summary>
    public long EspVerdictChanges;

    /// <summary>Cleartext packets handed out of ESP-NULL and WESP.</summary>
    public long EspCleartext;

    /// <summary>Alerts raised (alert and drop rules), and of those the drop verdicts.</summary>
    public long Alerts;
    public long DropVerdicts;

    public long FlowsCreated;
    public long FlowsTimedOut;
    public long FlowsEvicted;

    private readonly long[] _anomalies = new long[256];

    /// <summary>How often each anomaly occurred, indexed by <see cref="DecodeAnomaly"/>.</summary>
    public ReadOnlySpan<long> Anomalies => _anomalies;

    public long AnomalyCount(DecodeAnomaly anomaly) => _anomalies[(byte)anomaly];

    internal void CountAnomaly(DecodeAnomaly anomaly) => _anomalies[(byte)anomaly]++;

    /// <summary>Sets every counter to zero.</summary>
    public void Reset()
    {
        Packets = Bytes = IPv4 = IPv6 = Vlan = Tcp = Udp = Icmp = IcmpV6 = 0;
        Esp = EspUdp = Wesp = WespEncrypted = WespNotEncrypted = EspFlowsCreated = Ike = NatKeepalive = OtherIP = NonIP = 0;
        EspVerdictChanges = EspCleartext = Alerts = DropVerdicts = 0;
        Fragments = Reassembled = Invalid = FlowsCreated = FlowsTimedOut = FlowsEvicted = 0;
        Array.Clear(_anomalies);
    }

    /// <summary>Adds every counter of <paramref name="other"/> to this one (totals over several pipelines).</summary>
    public void Add(EngineCounters other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Packets += Volatile.Read(ref other.Packets);
        Bytes += Volatile.Read(ref other.Bytes);
        IPv4 += Volatile.Read(ref other.IPv4);
        IPv6 += Volatile.Read(ref other.IPv6);
        Vlan += Volatile.Read(ref other.Vlan);
        Tcp += Volatile.Read(ref other.Tcp);
        Udp += Volatile.Read(ref other.Udp);
        Icmp += Volatile.Read(ref other.Icmp);
        IcmpV6 += Volatile.Read(ref other.IcmpV6);
        Esp += Volatile.Read(ref other.Esp);
        EspUdp += Volatile.Read(ref other.EspUdp);
        Wesp += Volatile.Read(ref other.Wesp);
        WespEncrypted += Volatile.Read(ref other.WespEncrypted);
        WespNotEncrypted += Volatile.Read(ref other.WespNotEncrypted);
        EspFlowsCreated += Volatile.Read(ref other.EspFlowsCreated);
        Ike += Volatile.Read(ref other.Ike);
        NatKeepalive += Volatile.Read(ref other.NatKeepalive);
        OtherIP += Volatile.Read(ref other.OtherIP);
        NonIP += Volatile.Read(ref other.NonIP);
        Fragments += Volatile.Read(ref other.Fragments);
        Reassembled += Volatile.Read(ref other.Reassembled);
        Invalid += Volatile.Read(ref other.Invalid);
        EspVerdictChanges += Volatile.Read(ref other.EspVerdictChanges);
        EspCleartext += Volatile.Read(ref other.EspCleartext);
        Alerts += Volatile.Read(ref other.Alerts);
        DropVerdicts += Volatile.Read(ref other.DropVerdicts);
        FlowsCreated += Volatile.Read(ref other.FlowsCreated);
        FlowsTimedOut += Volatile.Read(ref other.FlowsTimedOut);
        FlowsEvicted += Volatile.Read(ref other.FlowsEvicted);
        for (int i = 0; i < _anomalies.Length; i++)
        {
            _anomalies[i] += Volatile.Read(ref other._anomalies[i]);
        }
    }
}
