namespace Visibility.Engine.Inspection;

/// <summary>Direction of a packet relative to its flow: the client is the side that sent the first packet.</summary>
public enum PacketDirection : byte
{
    /// <summary>No flow is known (the <c>flow:to_server</c> and <c>flow:to_client</c> options never match).</summary>
    Unknown = 0,
    ToServer = 1,
    ToClient = 2,
}
