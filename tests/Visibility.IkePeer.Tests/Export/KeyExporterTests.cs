using System.Net;
using Visibility.IkePeer.Config;
using Visibility.IkePeer.Crypto;
using Visibility.IkePeer.Esp;
using Visibility.IkePeer.Export;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Tests.Export;

public sealed class KeyExporterTests
{
    [Theory]
    [InlineData((ushort)12, 128, "AES-CBC-128 [RFC3602]", "AES-CBC [RFC3602]")]
    [InlineData((ushort)12, 256, "AES-CBC-256 [RFC3602]", "AES-CBC [RFC3602]")]
    [InlineData((ushort)20, 128, "AES-GCM-128 with 16 octet ICV [RFC5282]", "AES-GCM with 16 octet ICV [RFC4106]")]
    [InlineData((ushort)18, 256, "AES-GCM-256 with 8 octet ICV [RFC5282]", "AES-GCM with 8 octet ICV [RFC4106]")]
    [InlineData((ushort)11, 0, "NULL [RFC2410]", "NULL")]
    public void EncryptionNames_AreWiresharks(ushort id, int bits, string ike, string esp)
    {
        var encryption = EncryptionTransform.Create((EncryptionAlgorithm)id, bits)!;
        Assert.Equal(ike, KeyExporter.IkeEncryptionName(encryption));
        Assert.Equal(esp, KeyExporter.EspEncryptionName(encryption));
    }

    [Fact]
    public void IntegrityNames_AreWiresharks()
    {
        Assert.Equal("HMAC_SHA2_256_128 [RFC4868]", KeyExporter.IkeIntegrityName(IntegrityTransform.HmacSha256_128));
        Assert.Equal("NONE [RFC4306]", KeyExporter.IkeIntegrityName(IntegrityTransform.None));
        Assert.Equal("HMAC-SHA-512-256 [RFC4868]", KeyExporter.EspIntegrityName(IntegrityTransform.HmacSha512_256));
        Assert.Equal("HMAC-SHA-1-96 [RFC2404]", KeyExporter.EspIntegrityName(IntegrityTransform.HmacSha1_96));
        Assert.Equal("NULL", KeyExporter.EspIntegrityName(IntegrityTransform.None));
    }

    [Fact]
    public void EspLine_NullSha256_UatRow()
    {
        var spec = ProposalParser.Parse("null-sha256", ProtocolId.Esp).Single();
        var suite = spec.Match(spec.ToProposal(1, [0, 0, 1, 0], withDh: false), withDh: false)!;
        var sa = new EspSa(0x00c0ffee, suite, new EspKeys([], [0xab, 0xcd]));

        var line = KeyExporter.EspLine(new IPEndPoint(IPAddress.Parse("198.18.0.1"), 4500), new IPEndPoint(IPAddress.Parse("198.18.0.2"), 4500), sa);

        Assert.Equal("\"IPv4\",\"198.18.0.1\",\"198.18.0.2\",\"0x00c0ffee\",\"NULL\",\"0x\",\"HMAC-SHA-256-128 [RFC4868]\",\"0xabcd\"", line);
    }
}
