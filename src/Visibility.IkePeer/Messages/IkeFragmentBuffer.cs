using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Messages;

/// <summary>Reassembles the SKF fragments of one message at a time for one direction of an IKE SA [RFC 7383 §2.6]:
/// fragments arrive verified and decrypted in any order; duplicates are ignored; a fragment of another Message ID, or
/// one announcing more fragments than those held, starts over; one announcing fewer is dropped.</summary>
/// <remarks>Bounded: at most <see cref="IkeCodec.MaxFragments"/> fragments and <see cref="MaxMessageLength"/> octets of
/// payload chain; with a Message ID window of 1 a direction has no more than one message in flight.</remarks>
internal sealed class IkeFragmentBuffer
{
    public const int MaxMessageLength = 65536;

    private byte[]?[] _chunks = [];
    private uint _messageId;
    private int _received;
    private int _octets;
    private IkePayloadType _first;

    /// <summary>Fragments received again while their message was being reassembled.</summary>
    public int Duplicates { get; private set; }

    /// <summary>Fragments dropped (fewer Total Fragments, no first payload type in fragment 1, over the bounds) and
    /// partial messages thrown away to start over.</summary>
    public int Discarded { get; private set; }

    /// <summary>Whether a partial message is held.</summary>
    public bool IsPending => _received > 0;

    /// <summary>Takes one fragment of message <paramref name="messageId"/>; returns the whole payload chain when this
    /// fragment completes it (with the first payload type), else null.</summary>
    public byte[]? Add(uint messageId, IkeFragment fragment, out IkePayloadType firstPayload)
    {
        firstPayload = IkePayloadType.None;
        if (fragment.Number == 0 || fragment.Number > fragment.Total || fragment.Total > IkeCodec.MaxFragments
            || (fragment.Number == 1) == (fragment.FirstPayload == IkePayloadType.None))
        {
            Discarded++;
            return null;
        }

        if (_received == 0 || messageId != _messageId || fragment.Total > _chunks.Length)
        {
            // RFC 7383 §2.6: a sender that lowered its fragment size resends with more fragments; what was held is stale.
            if (_received > 0)
            {
                Discarded += _received;
            }

            Reset(messageId, fragment.Total);
        }
        else if (fragment.Total < _chunks.Length)
        {
            Discarded++;
            return null;
        }

        var index = fragment.Number - 1;
        if (_chunks[index] is not null)
        {
            Duplicates++;
            return null;
        }

        if (_octets + fragment.Chunk.Length > MaxMessageLength)
        {
            Discarded += _received + 1;
            Reset(messageId, 0);
            return null;
        }

        _chunks[index] = fragment.Chunk;
        _octets += fragment.Chunk.Length;
        _received++;
        if (fragment.Number == 1)
        {
            _first = fragment.FirstPayload;
        }

        if (_received < _chunks.Length)
        {
            return null;
        }

        var chain = new byte[_octets];
        var offset = 0;
        foreach (var chunk in _chunks)
        {
            chunk!.CopyTo(chain, offset);
            offset += chunk!.Length;
        }

        firstPayload = _first;
        Reset(0, 0);
        return chain;
    }

    private void Reset(uint messageId, int total)
    {
        _messageId = messageId;
        _chunks = total == 0 ? [] : new byte[total][];
        _received = 0;
        _octets = 0;
        _first = IkePayloadType.None;
    }
}
