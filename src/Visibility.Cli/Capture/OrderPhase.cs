namespace Visibility.Cli.Capture;

/// <summary>The steps of one packet (and of the end of the run) in the order their records are written.</summary>
internal enum OrderPhase : byte
{
    /// <summary>Flows that timed out when the packet moved time forward, by their last packet.</summary>
    ExpiredFlows = 0,

    /// <summary>IKE SAs that timed out when the packet moved time forward.</summary>
    ExpiredIkeSas = 1,

    /// <summary>The packet's own records, in the order the worker wrote them.</summary>
    Packet = 2,

    /// <summary>End of the run: flows still open, by their last packet.</summary>
    FinalFlows = 3,

    /// <summary>End of the run: IKE SAs still tracked.</summary>
    FinalIkeSas = 4,
}
