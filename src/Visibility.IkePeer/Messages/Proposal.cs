using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>A proposal substructure of an SA payload [RFC 7296 §3.3.1].</summary>
internal sealed class Proposal
{
    public Proposal(byte number, ProtocolId protocolId, byte[] spi, IReadOnlyList<Transform> transforms)
    {
        Number = number;
        ProtocolId = protocolId;
        Spi = spi;
        Transforms = transforms;
    }

    public byte Number { get; }

    public ProtocolId ProtocolId { get; }

    /// <summary>The sender's SPI: empty in IKE_SA_INIT, 4 octets for ESP, 8 for an IKE SA rekey.</summary>
    public byte[] Spi { get; }

    public IReadOnlyList<Transform> Transforms { get; }

    public IEnumerable<Transform> OfType(TransformType type) => Transforms.Where(t => t.Type == type);
}
