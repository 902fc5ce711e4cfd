using System.Runtime.InteropServices;
using Visibility.Engine.Esp;
using Visibility.Engine.Events;
using Visibility.Engine.Flows;
using Visibility.Wire;

namespace Visibility.Cli.Metrics;

/// <summary>Counts, for one pipeline, what <c>visibility_esp_verdicts_total{verdict,icv_len}</c> and
/// <c>visibility_esp_sas{verdict}</c> report: every EVE <c>esp</c> record (a verdict decided or changed) by verdict and
/// ICV length, and the ESP SAs (flows) alive per verdict.</summary>
/// <remarks>Fed on the processing thread through the event sink (an event per verdict change or flow end, never per
/// packet); read on the scrape thread with <see cref="Volatile"/>. The map from flow to its current verdict holds the
/// live SAs that have a verdict and reuses its storage once warm.</remarks>
internal sealed class EspMetricsSink : IEventSink
{
    /// <summary>Index of "none" in a verdict's row of ICV lengths (lengths are 0..255 octets).</summary>
    internal const int NoIcv = 256;
    private const int Row = NoIcv + 1;

    private readonly long[] _verdicts = new long[3 * Row];
    private readonly Dictionary<FlowState, byte> _current = new(ReferenceEqualityComparer.Instance);
    private readonly long[] _endedByVerdict = new long[3];
    private long _aliveNull;
    private long _aliveEncrypted;
    private long _ended;

    /// <summary>Scrape thread: ESP SAs alive now whose verdict is null.</summary>
    public long AliveNull => Volatile.Read(ref _aliveNull);

    /// <summary>Scrape thread: ESP SAs alive now whose verdict is encrypted.</summary>
    public long AliveEncrypted => Volatile.Read(ref _aliveEncrypted);

    /// <summary>Scrape thread: ESP flows ended so far (the other created ones are alive).</summary>
    public long Ended => Volatile.Read(ref _ended);

    /// <summary>ESP flows ended so far whose final verdict has row <paramref name="verdictIndex"/> (see
    /// <see cref="VerdictIndex"/>): the EVE <c>flow</c> records of ESP SAs by their <c>esp.verdict</c>.</summary>
    public long EndedWithVerdict(int verdictIndex) => Volatile.Read(ref _endedByVerdict[verdictIndex]);

    /// <summary>Row of a verdict: 0 null, 1 encrypted, 2 unknown (every undecided state, as EVE names it).</summary>
    internal static int VerdictIndex(EspSaVerdict verdict) => verdict switch
    {
        EspSaVerdict.Null => 0,
        EspSaVerdict.Encrypted => 1,
        _ => 2,
    };

    /// <summary>The EVE name of row <paramref name="index"/>.</summary>
    internal static string VerdictName(int index) => index switch
    {
        0 => "null",
        1 => "encrypted",
        _ => "unknown",
    };

    /// <summary>Scrape thread: EVE <c>esp</c> records so far with this verdict row and ICV length in octets (or
    /// <see cref="NoIcv"/>).</summary>
    public long Verdicts(int verdictIndex, int icvLength) => Volatile.Read(ref _verdicts[(verdictIndex * Row) + icvLength]);

    public void OnEspVerdict(in PacketContext packet, FlowState flow, in EspPacketVerdict verdict)
    {
        // The EVE record shows the SA's state after the change; icv_len is known only for a null verdict.
        int index = VerdictIndex(flow.Esp.Verdict);
        int icv = index == 0 ? Math.Clamp((int)flow.Esp.IcvLength, 0, 255) : NoIcv;
        _verdicts[(index * Row) + icv]++;
        ref byte slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_current, flow, out bool exists);
        if (exists)
        {
            Move(slot, -1);
        }
        slot = (byte)(index + 1);
        Move(slot, +1);
    }

    public void OnFlowEnd(FlowState flow, FlowEndReason reason)
    {
        if (!flow.Key.IsEsp)
        {
            return;
        }
        if (_current.Remove(flow, out byte slot))
        {
            Move(slot, -1);
        }
        _endedByVerdict[VerdictIndex(flow.Esp.Verdict)]++;
        _ended++;
    }

    public void OnAnomaly(in PacketContext packet, DecodeAnomaly anomaly)
    {
    }

    public void OnInnerPacket(in PacketContext packet, ReadOnlySpan<byte> ipPacket)
    {
    }

    public void OnAlert(in PacketContext packet, in AlertEvent alert)
    {
    }

    private void Move(byte slot, int delta)
    {
        if (slot == 1)
        {
            _aliveNull += delta;
        }
        else if (slot == 2)
        {
            _aliveEncrypted += delta;
        }
    }
}
