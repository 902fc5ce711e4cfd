using System.Buffers.Binary;

namespace Visibility.Wire.Ike;

/// <summary>Enumerates the proposals of an SA payload body; stops on the last proposal or on malformed nesting.</summary>
/// <remarks>RFC 7296 §3.3: each proposal length must cover its header and SPI, stay inside the SA payload, and the
/// Last Substruc octet must be 0 (last) or 2 (more). The SA body must end with the last proposal.</remarks>
public ref struct IkeProposalReader
{
    private const byte More = 2;
    private readonly ReadOnlySpan<byte> _body;
    private int _offset;
    private bool _done;
    private bool _malformed;

    internal IkeProposalReader(ReadOnlySpan<byte> body)
    {
        _body = body;
        _offset = 0;
        _done = false;
        _malformed = false;
    }

    /// <summary>True when the walk stopped at a structural error (lengths, Last Substruc, trailing octets).</summary>
    public readonly bool IsMalformed => _malformed;

    public bool TryReadNext(out IkeProposal proposal)
    {
        proposal = default;
        if (_done)
        {
            return false;
        }
        int remaining = _body.Length - _offset;
        if (remaining < IkeProposal.HeaderLength)
        {
            return Fail();
        }
        ReadOnlySpan<byte> rest = _body[_offset..];
        int length = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
        byte last = rest[0];
        if (length < IkeProposal.HeaderLength + rest[6] || length > remaining || (last != 0 && last != More))
        {
            return Fail();
        }
        proposal = new IkeProposal(rest[..length]);
        _offset += length;
        if (last == 0)
        {
            _done = true;
            _malformed = _offset != _body.Length;
        }
        return true;
    }

    private bool Fail()
    {
        _done = true;
        _malformed = true;
        return false;
    }
}
