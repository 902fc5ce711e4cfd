namespace Visibility.Wire.Tests.Ike;

public sealed class IkeAnomalyNamesTests
{
    [Theory]
    [InlineData(DecodeAnomaly.IkePacketTooSmall, "ike.pkt_too_small")]
    [InlineData(DecodeAnomaly.IkeMalformed, "ike.malformed")]
    [InlineData(DecodeAnomaly.IkeBadLength, "ike.bad_length")]
    [InlineData(DecodeAnomaly.IkePayloadTruncated, "ike.payload_truncated")]
    [InlineData(DecodeAnomaly.IkePayloadBadLength, "ike.payload_bad_length")]
    [InlineData(DecodeAnomaly.IkeChainUnterminated, "ike.chain_unterminated")]
    [InlineData(DecodeAnomaly.IkeTrailingData, "ike.trailing_data")]
    [InlineData(DecodeAnomaly.IkeUnsupportedVersion, "ike.unsupported_version")]
    public void EventName_IkeAnomalies_LayerIke(DecodeAnomaly anomaly, string name)
    {
        Assert.Equal(name, DecodeAnomalyNames.EventName(anomaly));
        Assert.Equal("ike", DecodeAnomalyNames.Layer(anomaly));
        Assert.Contains(anomaly, DecodeAnomalyNames.All.ToArray());
    }
}
