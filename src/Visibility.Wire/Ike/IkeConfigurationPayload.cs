namespace Visibility.Wire.Ike;

/// <summary>View over the body of a CP payload (type 47).</summary>
/// <remarks>
/// RFC 7296 §3.15 (body after the generic header):
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   CFG Type    |                    RESERVED                   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~                   Configuration Attributes                    ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly ref struct IkeConfigurationPayload
{
    private IkeConfigurationPayload(ReadOnlySpan<byte> body) => Body = body;

    public ReadOnlySpan<byte> Body { get; }

    public static bool TryRead(ReadOnlySpan<byte> body, out IkeConfigurationPayload payload)
    {
        if (body.Length < 4)
        {
            payload = default;
            return false;
        }
        payload = new IkeConfigurationPayload(body);
        return true;
    }

    public ConfigurationType ConfigurationType => (ConfigurationType)Body[0];

    public IkeConfigurationAttributeReader GetAttributes() => new(Body[4..]);
}
