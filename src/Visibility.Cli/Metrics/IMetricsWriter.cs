namespace Visibility.Cli.Metrics;

/// <summary>What an <see cref="IMetricsSource"/> can report at scrape time. Counters take cumulative totals (a
/// total lower than one already exported is ignored, as counters only go up); gauges take current values and
/// fall back to zero for label values not reported in a scrape.</summary>
internal interface IMetricsWriter
{
    /// <summary><c>visibility_esp_sas{verdict}</c> (gauge): ESP SAs now tracked, by verdict
    /// (<c>null</c>, <c>encrypted</c>, <c>unknown</c>).</summary>
    void EspSecurityAssociations(string verdict, long count);

    /// <summary><c>visibility_esp_verdicts_total{verdict,icv_len}</c>: verdicts decided, by verdict and ICV length
    /// in bytes (<c>none</c> when not known).</summary>
    void EspVerdicts(string verdict, string icvLength, long total);

    /// <summary><c>visibility_wesp_packets_total{encrypted}</c>: WESP packets by their Encrypted flag.</summary>
    void WespPackets(bool encrypted, long total);

    /// <summary><c>visibility_ike_messages_total{exchange}</c>: IKE messages by exchange (IANA name).</summary>
    void IkeMessages(string exchange, long total);

    /// <summary><c>visibility_ike_events_total{event}</c>: IKE events (retransmission, redirect, auth_failed, ...).</summary>
    void IkeEvents(string eventName, long total);

    /// <summary><c>visibility_ike_sas{state}</c> (gauge): IKE SAs now tracked, by state.</summary>
    void IkeSecurityAssociations(string state, long count);

    /// <summary><c>visibility_rule_matches_total{sid,action}</c>: rule matches by signature id and action.</summary>
    void RuleMatches(long signatureId, string action, long total);

    /// <summary><c>visibility_capture_drops_total{iface}</c>: frames lost before the pipeline (kernel buffer,
    /// interface, and frame-ring overflows), and <c>visibility_capture_ring_overflows_total{iface}</c> for the
    /// last part alone.</summary>
    void CaptureDrops(string iface, long total, long ringOverflows);

    /// <summary><c>visibility_inline_frames_total{direction,decision}</c>: frames the inline bridge decided on, by
    /// direction (<c>in_to_out</c>, <c>out_to_in</c>) and decision (<c>pass</c>, <c>drop</c>, <c>fail_open</c>,
    /// <c>fail_closed</c>).</summary>
    void InlineFrames(string direction, string decision, long total);

    /// <summary><c>visibility_inline_failures_total{reason}</c>: frames the engine gave no verdict for, by reason
    /// (<c>timeout</c>, <c>busy</c>, <c>queue_full</c>, <c>engine_error</c>); each went by the failure mode.</summary>
    void InlineFailures(string reason, long total);

    /// <summary><c>visibility_inline_send_errors_total{iface}</c>: frames to forward that the egress interface
    /// refused.</summary>
    void InlineSendErrors(string iface, long total);
}
