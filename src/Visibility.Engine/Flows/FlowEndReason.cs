namespace Visibility.Engine.Flows;

/// <summary>Why a flow record was written (EVE <c>flow.reason</c>, Suricata's values).</summary>
public enum FlowEndReason : byte
{
    /// <summary>Idle longer than the timeout, measured in packet time.</summary>
    Timeout = 1,

    /// <summary>Evicted because the flow table was full.</summary>
    Forced = 2,

    /// <summary>Still open when the input ended.</summary>
    Shutdown = 3,
}
