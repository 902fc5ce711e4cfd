using System.Buffers.Binary;
using System.Security.Cryptography;
using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeNatDetectionDataTests
{
    [Fact]
    [Trait("rfc", "7296-2.23")]
    public void TryRead_Sha1Hash_MatchesComputedValue()
    {
        // NAT_DETECTION_SOURCE_IP = SHA-1(SPIi | SPIr | IP | port): 192.0.2.1:500 with SPIr zero.
        byte[] input = new byte[8 + 8 + 4 + 2];
        BinaryPrimitives.WriteUInt64BigEndian(input, 0xA88875A8198992A6);
        input[16] = 192;
        input[18] = 2;
        input[19] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(input.AsSpan(20), 500);
        byte[] hash = SHA1.HashData(input);
        Assert.True(IkeNatDetectionData.TryRead(hash, out IkeNatDetectionData detection));
        Assert.Equal(hash, detection.Hash.ToArray());
        Assert.False(IkeNatDetectionData.TryRead(hash.AsSpan(0, 19), out _));
    }
}
