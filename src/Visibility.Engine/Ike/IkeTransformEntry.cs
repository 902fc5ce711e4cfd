using Visibility.Wire.Ike;

namespace Visibility.Engine.Ike;

/// <summary>One transform of a proposal (RFC 7296 §3.3.2): its proposal number, type, ID and Key Length attribute.</summary>
public readonly record struct IkeTransformEntry(byte ProposalNumber, ProtocolId Protocol, TransformType Type, ushort Id, ushort KeyLength);
