using System.Buffers.Binary;
using System.Security.Cryptography;
using Visibility.IkePeer.Config;
using Visibility.IkePeer.Crypto;

namespace Visibility.IkePeer.Esp;

/// <summary>One direction of an ESP SA in tunnel mode: encapsulation or decapsulation with its keys and counters.</summary>
/// <remarks>
/// RFC 4303 §2:
/// <code>
/// | SPI (4) | Sequence Number (4) | IV | Payload | Padding (1,2,3,...) | Pad Length | Next Header | ICV |
/// </code>
/// Encrypt then MAC (§3.3.2.1); the ICV covers SPI through Next Header. AES-GCM (RFC 4106): 8-octet IV, nonce =
/// salt | IV, AAD = SPI | Sequence Number, the tag is the ICV. Padding aligns to the cipher block (16 for CBC) or to 4.
/// </remarks>
internal sealed class EspSa
{
    private const int ReplayWindow = 64;
    private ulong _replayBitmap;
    private uint _highestSequence;

    public EspSa(uint spi, NegotiatedSuite suite, EspKeys keys)
    {
        Spi = spi;
        Suite = suite;
        Keys = keys;
    }

    public uint Spi { get; }

    public NegotiatedSuite Suite { get; }

    public EspKeys Keys { get; }

    /// <summary>Sequence number of the last packet sent (0 before the first).</summary>
    public uint SequenceNumber { get; private set; }

    public long Packets { get; private set; }

    public int IcvLength => Suite.Encryption.IsAead ? Suite.Encryption.IcvLength : Suite.Integrity.IcvLength;

    /// <summary>Builds the ESP packet that carries <paramref name="payload"/> (an inner IP packet in tunnel mode).</summary>
    public byte[] Encapsulate(ReadOnlySpan<byte> payload, byte nextHeader)
    {
        var encryption = Suite.Encryption;
        SequenceNumber++;
        Packets++;
        var ivLength = encryption.IvLength;
        var align = Math.Max(encryption.BlockSize, 4);
        var padLength = (align - (payload.Length + 2) % align) % align;
        var plaintext = new byte[payload.Length + padLength + 2];
        payload.CopyTo(plaintext);
        for (var i = 0; i < padLength; i++)
        {
            plaintext[payload.Length + i] = (byte)(i + 1);
        }

        plaintext[^2] = (byte)padLength;
        plaintext[^1] = nextHeader;

        var iv = new byte[ivLength];
        if (encryption.IsAead)
        {
            // A counter is a unique IV per key, as RFC 4106 §3.1 asks.
            BinaryPrimitives.WriteUInt64BigEndian(iv, SequenceNumber);
        }
        else if (ivLength > 0)
        {
            RandomNumberGenerator.Fill(iv);
        }

        var header = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, Spi);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), SequenceNumber);
        var ciphertext = encryption.Encrypt(Keys.EncryptionKey, iv, encryption.IsAead ? header : [], plaintext);
        var icvLength = encryption.IsAead ? 0 : Suite.Integrity.IcvLength;
        var packet = new byte[8 + ivLength + ciphertext.Length + icvLength];
        header.CopyTo(packet, 0);
        iv.CopyTo(packet, 8);
        ciphertext.CopyTo(packet, 8 + ivLength);
        if (icvLength > 0)
        {
            Suite.Integrity.Compute(Keys.IntegrityKey, packet.AsSpan(0, packet.Length - icvLength), packet.AsSpan(packet.Length - icvLength));
        }

        return packet;
    }

    /// <summary>Verifies, decrypts and strips the trailer; false for a bad ICV, a replay or a malformed packet.</summary>
    public bool TryDecapsulate(ReadOnlySpan<byte> packet, out byte[] payload, out byte nextHeader)
    {
        payload = [];
        nextHeader = 0;
        var encryption = Suite.Encryption;
        var ivLength = encryption.IvLength;
        var separateIcv = encryption.IsAead ? 0 : Suite.Integrity.IcvLength;
        if (packet.Length < 8 + ivLength + 2 + IcvLength || BinaryPrimitives.ReadUInt32BigEndian(packet) != Spi)
        {
            return false;
        }

        var sequence = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        if (!ReplayCheck(sequence))
        {
            return false;
        }

        if (separateIcv > 0 && !Suite.Integrity.Verify(Keys.IntegrityKey, packet[..^separateIcv], packet[^separateIcv..]))
        {
            return false;
        }

        var ciphertext = packet[(8 + ivLength)..^separateIcv];
        if (!encryption.TryDecrypt(Keys.EncryptionKey, packet.Slice(8, ivLength), encryption.IsAead ? packet[..8] : [], ciphertext, out var plaintext))
        {
            return false;
        }

        var padLength = plaintext[^2];
        if (padLength + 2 > plaintext.Length)
        {
            return false;
        }

        ReplayUpdate(sequence);
        Packets++;
        nextHeader = plaintext[^1];
        payload = plaintext.AsSpan(0, plaintext.Length - 2 - padLength).ToArray();
        return true;
    }

    private bool ReplayCheck(uint sequence)
    {
        if (sequence == 0)
        {
            return false;
        }

        if (sequence > _highestSequence)
        {
            return true;
        }

        var offset = _highestSequence - sequence;
        return offset < ReplayWindow && (_replayBitmap & (1UL << (int)offset)) == 0;
    }

    private void ReplayUpdate(uint sequence)
    {
        if (sequence > _highestSequence)
        {
            var shift = sequence - _highestSequence;
            _replayBitmap = shift >= ReplayWindow ? 1UL : (_replayBitmap << (int)shift) | 1UL;
            _highestSequence = sequence;
        }
        else
        {
            _replayBitmap |= 1UL << (int)(_highestSequence - sequence);
        }
    }
}
