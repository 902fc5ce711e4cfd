namespace Visibility.Inspection.Abstractions;

/// <summary>Direction of a packet relative to its flow: the client is the side that sent the first packet.</summary>
public enum FlowDirection : byte
{
    /// <summary>No flow is known.</summary>
    Unknown = 0,
    ToServer = 1,
    ToClient = 2,
}
