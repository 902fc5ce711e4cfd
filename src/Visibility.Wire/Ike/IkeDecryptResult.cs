namespace Visibility.Wire.Ike;

/// <summary>What <see cref="IkeSkDecryptor.Decrypt"/> produced: status, integrity outcome and the plaintext layout.</summary>
/// <remarks>The plaintext buffer holds <see cref="PlaintextLength"/> octets: the inner payloads
/// (<see cref="PayloadsLength"/> octets, a chain starting with <see cref="FirstPayload"/>), then Padding and the Pad
/// Length octet. Walk it with <see cref="IkePayloadReader.ForChain"/>. For an SKF fragment other than the first,
/// <see cref="FirstPayload"/> is 0 and the octets continue the chain of fragment 1 (reassembly joins them).</remarks>
public readonly record struct IkeDecryptResult
{
    public IkeDecryptStatus Status { get; init; }

    /// <summary>True when an ICV or AEAD tag was computed and compared (false for "no checking" keys).</summary>
    public bool IntegrityChecked { get; init; }

    /// <summary>The SK/SKF Next Payload: the first inner payload type.</summary>
    public IkePayloadType FirstPayload { get; init; }

    /// <summary>Octets written to the plaintext buffer (payloads, padding, Pad Length).</summary>
    public int PlaintextLength { get; init; }

    /// <summary>Octets of inner payloads at the start of the plaintext (0 when the padding is bad).</summary>
    public int PayloadsLength { get; init; }

    public byte PadLength { get; init; }

    /// <summary>True when an SKF payload was decrypted.</summary>
    public bool IsFragment { get; init; }

    public ushort FragmentNumber { get; init; }

    public ushort TotalFragments { get; init; }

    /// <summary>True when the plaintext is usable: <see cref="IkeDecryptStatus.Ok"/>.</summary>
    public bool Succeeded => Status == IkeDecryptStatus.Ok;
}
