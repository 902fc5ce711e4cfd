using System.Buffers.Binary;
using Visibility.Wire;
using Visibility.Wire.Ike;

namespace Visibility.Engine.Tests.Ike.Support;

/// <summary>Payload bodies (after the 4-octet generic header) built field by field from RFC 7296 §3 and the extension
/// RFCs, for hand-made IKE messages.</summary>
internal static class IkePayloads
{
    /// <summary>An SA body with one proposal (RFC 7296 §3.3.1): protocol, SPI and transforms (type, ID, key bits).</summary>
    public static byte[] Sa(ProtocolId protocol, byte[] spi, params (TransformType Type, ushort Id, ushort KeyLength)[] transforms) =>
        Proposal(1, protocol, spi, last: true, transforms);

    /// <summary>IKE proposal of IKE_SA_INIT (no SPI): AES-CBC-128, PRF-HMAC-SHA2-256, HMAC-SHA2-256-128, MODP-2048.</summary>
    public static byte[] IkeSa() => Sa(ProtocolId.Ike, [],
        (TransformType.Encryption, (ushort)EncryptionAlgorithm.AesCbc, 128),
        (TransformType.PseudorandomFunction, (ushort)PrfAlgorithm.HmacSha2_256, 0),
        (TransformType.Integrity, (ushort)IntegrityAlgorithm.HmacSha2_256_128, 0),
        (TransformType.DiffieHellman, (ushort)DhGroup.Modp2048, 0));

    /// <summary>An ESP proposal with a 4-octet SPI: the given cipher (key bits) and integrity, no ESN.</summary>
    public static byte[] EspSa(uint spi, EncryptionAlgorithm encryption, ushort keyLength, IntegrityAlgorithm integrity)
    {
        var transforms = new List<(TransformType, ushort, ushort)> { (TransformType.Encryption, (ushort)encryption, keyLength) };
        if (integrity != IntegrityAlgorithm.None)
        {
            transforms.Add((TransformType.Integrity, (ushort)integrity, 0));
        }
        transforms.Add((TransformType.ExtendedSequenceNumbers, 0, 0));
        return Sa(ProtocolId.Esp, Be32(spi), [.. transforms]);
    }

    /// <summary>The IKE proposal of a CREATE_CHILD_SA that rekeys the IKE SA: the sender's new 8-octet SPI.</summary>
    public static byte[] IkeRekeySa(ulong newSpi) => Sa(ProtocolId.Ike, Be64(newSpi),
        (TransformType.Encryption, (ushort)EncryptionAlgorithm.AesCbc, 128),
        (TransformType.PseudorandomFunction, (ushort)PrfAlgorithm.HmacSha2_256, 0),
        (TransformType.Integrity, (ushort)IntegrityAlgorithm.HmacSha2_256_128, 0),
        (TransformType.DiffieHellman, (ushort)DhGroup.Modp2048, 0));

    public static byte[] Proposal(byte number, ProtocolId protocol, byte[] spi, bool last, params (TransformType Type, ushort Id, ushort KeyLength)[] transforms)
    {
        var body = new List<byte>();
        for (int i = 0; i < transforms.Length; i++)
        {
            (TransformType type, ushort id, ushort keyLength) = transforms[i];
            int length = 8 + (keyLength != 0 ? 4 : 0);
            body.Add(i == transforms.Length - 1 ? (byte)0 : (byte)3); // Last Substruc
            body.Add(0);
            body.Add((byte)(length >> 8));
            body.Add((byte)length);
            body.Add((byte)type);
            body.Add(0);
            body.Add((byte)(id >> 8));
            body.Add((byte)id);
            if (keyLength != 0)
            {
                body.AddRange([0x80, 0x0E, (byte)(keyLength >> 8), (byte)keyLength]); // Key Length, TV form
            }
        }
        int proposalLength = 8 + spi.Length + body.Count;
        return [last ? (byte)0 : (byte)2, 0, (byte)(proposalLength >> 8), (byte)proposalLength, number, (byte)protocol, (byte)spi.Length,
            (byte)transforms.Length, .. spi, .. body];
    }

    public static byte[] Ke(DhGroup group, int length = 32) => [(byte)((ushort)group >> 8), (byte)group, 0, 0, .. Fill(length, 0x4B)];

    public static byte[] Nonce(byte seed = 0x4E) => Fill(32, seed);

    public static byte[] Notify(IkeNotifyType type, byte[]? data = null, ProtocolId protocol = ProtocolId.None, byte[]? spi = null)
    {
        spi ??= [];
        data ??= [];
        return [(byte)protocol, (byte)spi.Length, (byte)((ushort)type >> 8), (byte)type, .. spi, .. data];
    }

    public static byte[] Id(IdType type, byte[] data) => [(byte)type, 0, 0, 0, .. data];

    public static byte[] Fqdn(string name) => Id(IdType.Fqdn, System.Text.Encoding.ASCII.GetBytes(name));

    public static byte[] Auth(AuthMethod method) => [(byte)method, 0, 0, 0, .. Fill(32, 0xA7)];

    /// <summary>TSi/TSr with one TS_IPV4_ADDR_RANGE, any protocol, all ports (RFC 7296 §3.13.1).</summary>
    public static byte[] Ts(string start, string end)
    {
        var bytes = new byte[4 + 16];
        bytes[0] = 1;
        bytes[4] = (byte)TrafficSelectorType.IPv4AddressRange;
        bytes[5] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(6), 16);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(10), 65535);
        NetworkAddress.Parse(start).WriteBytes(bytes.AsSpan(12));
        NetworkAddress.Parse(end).WriteBytes(bytes.AsSpan(16));
        return bytes;
    }

    /// <summary>Delete of the IKE SA (protocol 1, no SPIs), or of ESP SPIs (protocol 3, 4-octet SPIs).</summary>
    public static byte[] Delete(ProtocolId protocol, params uint[] spis)
    {
        if (protocol == ProtocolId.Ike)
        {
            return [(byte)ProtocolId.Ike, 0, 0, 0];
        }
        byte[] body = [(byte)protocol, 4, (byte)(spis.Length >> 8), (byte)spis.Length, .. spis.SelectMany(Be32)];
        return body;
    }

    /// <summary>An EAP message (RFC 3748 §4): Request/Response carry a Type octet.</summary>
    public static byte[] Eap(EapCode code, byte identifier, byte type = 0)
    {
        bool typed = code is EapCode.Request or EapCode.Response;
        int length = typed ? 6 : 4;
        return typed ? [(byte)code, identifier, 0, (byte)length, type, 0x00] : [(byte)code, identifier, 0, (byte)length];
    }

    /// <summary>REDIRECT / REDIRECTED_FROM data (RFC 5685 §9.2): GW Ident Type, length, identity, then optional nonce.</summary>
    public static byte[] RedirectData(GatewayIdentityType type, byte[] identity, byte[]? nonce = null) =>
        [(byte)type, (byte)identity.Length, .. identity, .. nonce ?? []];

    public static byte[] Ipv4(string address)
    {
        var bytes = new byte[4];
        NetworkAddress.Parse(address).WriteBytes(bytes);
        return bytes;
    }

    public static byte[] Fill(int length, byte seed) => Enumerable.Range(0, length).Select(i => (byte)(seed + i)).ToArray();

    public static byte[] Be32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    public static byte[] Be64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }
}
