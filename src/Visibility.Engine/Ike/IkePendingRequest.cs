using Visibility.Wire.Ike;

namespace Visibility.Engine.Ike;

/// <summary>A request waiting for its response (RFC 7296 §2.2: same Message ID, the other side's R flag), with what
/// the response needs to complete a Child SA or an IKE rekey.</summary>
internal struct IkePendingRequest
{
    public bool Valid;
    public uint MessageId;

    /// <summary>The request came from the IKE SA's original initiator (I flag).</summary>
    public bool FromInitiator;

    public IkeExchangeType Exchange;

    /// <summary>The requester's inbound SPI of a proposed Child SA, and its protocol.</summary>
    public uint ChildSpi;
    public Wire.Ike.ProtocolId ChildProtocol;

    /// <summary>The requester's new IKE SPI of an IKE rekey (8-octet proposal SPI), 0 otherwise.</summary>
    public ulong RekeySpi;

    /// <summary>REKEY_SA: the Child SA being rekeyed.</summary>
    public uint RekeyOf;

    public bool Transport;
    public bool Wesp;
}
