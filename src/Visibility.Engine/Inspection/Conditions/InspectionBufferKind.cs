namespace Visibility.Engine.Inspection.Conditions;

/// <summary>The buffers <c>content</c> and <c>pcre</c> can inspect.</summary>
internal enum InspectionBufferKind : byte
{
    /// <summary>The L4 payload (<c>pkt_data</c>, the default).</summary>
    Payload = 0,

    /// <summary>The REDIRECT gateway identity text (<c>ike.redirect_gateway</c>).</summary>
    IkeRedirectGateway = 1,
}
