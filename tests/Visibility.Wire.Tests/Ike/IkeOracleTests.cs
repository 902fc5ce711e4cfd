using Visibility.Wire.Ike;
using Visibility.Wire.Tests.Ike.Support;

namespace Visibility.Wire.Tests.Ike;

/// <summary>Differential test against tshark's isakmp dissector: every IKE message of every capture is summarised
/// and compared with the oracle recorded by Oracle/make_oracle.py (header fields, payload list, critical bits,
/// notify types, KE group, SA proposals and transforms, SKF numbers).</summary>
/// <remarks>IKE messages that tshark rebuilt from IP fragments (zeek-spicy ipsec_client.pcap, frames 5, 8, 11)
/// are skipped: IP reassembly belongs to the frame decoder, not to this layer.</remarks>
public sealed class IkeOracleTests
{
    [Theory]
    [MemberData(nameof(Captures))]
    public void Summary_EveryMessage_MatchesTshark(string capture)
    {
        List<IkeOracleRecord> oracle = IkeOracleRecord.Load(capture + ".oracle.jsonl");
        Dictionary<long, IkeDatagram> ours = IkeFrameExtractor.FromCapture(RepositoryPaths.PublicCapture(capture), out _)
            .ToDictionary(d => d.FrameNumber);
        int compared = 0;
        foreach (IkeOracleRecord expected in oracle)
        {
            if (expected.IpReassembled)
            {
                Assert.False(ours.ContainsKey(expected.Frame), $"frame {expected.Frame}: an IP fragment was taken for IKE");
                continue;
            }
            Assert.True(ours.TryGetValue(expected.Frame, out IkeDatagram? datagram), $"frame {expected.Frame}: no IKE message extracted");
            CompareMessage(expected, datagram!.Message);
            compared++;
        }
        Assert.True(compared > 0);
        var oracleFrames = oracle.Select(r => (long)r.Frame).ToHashSet();
        Assert.All(ours.Keys, frame => Assert.Contains(frame, oracleFrames));
    }

    [Fact]
    public void Summary_IpsecClient_SkipsOnlyTheThreeReassembledMessages()
    {
        const string capture = "zeek-spicy-ipsec__tests__traces__ipsec_client.pcap";
        List<IkeOracleRecord> oracle = IkeOracleRecord.Load(capture + ".oracle.jsonl");
        Assert.Equal([5, 8, 11], oracle.Where(r => r.IpReassembled).Select(r => r.Frame).ToArray());
        IkeFrameExtractor.FromCapture(RepositoryPaths.PublicCapture(capture), out int fragments);
        Assert.True(fragments >= 3);
    }

    public static TheoryData<string> Captures() => IkeCaptures.WithOracleData();

    private static void CompareMessage(IkeOracleRecord expected, byte[] message)
    {
        string at = $"frame {expected.Frame}";
        Assert.True(IkeMessageSummary.TryRead(message, out IkeMessageSummary summary), at);
        Assert.True(IkeHeader.TryRead(message, out IkeHeader header), at);
        Assert.Equal(expected.Ispi, header.InitiatorSpiBytes.ToArray().ToHexLower());
        Assert.Equal(expected.Rspi, header.ResponderSpiBytes.ToArray().ToHexLower());
        Assert.Equal(expected.Version, summary.Version);
        Assert.Equal(expected.Next, (int)summary.FirstPayload);
        Assert.Equal(expected.Exchange, (int)summary.ExchangeType);
        Assert.Equal(expected.Flags, (int)summary.Flags);
        Assert.Equal(expected.MessageId, summary.MessageId);
        Assert.Equal(expected.Length, summary.Length);
        if (!summary.IsIkeV2)
        {
            Assert.True(summary.IsIkeV1, at);
            Assert.Equal(0, summary.Payloads.TotalPayloadCount);
            return;
        }
        int[] payloads = summary.Payloads.PayloadTypes.ToArray().Select(t => (int)t).ToArray();
        int[] notify = summary.Payloads.NotifyTypes.ToArray().Select(t => (int)t).ToArray();
        if (expected.Malformed)
        {
            // tshark stops at the damage; we must flag it and agree on what came before.
            Assert.NotEqual(DecodeAnomaly.None, summary.Anomaly);
            Assert.Equal(expected.Payloads, payloads.Take(expected.Payloads.Length).ToArray());
            return;
        }
        // tshark shows trailing octets as "Extra data" and stops quietly when the last payload names a successor;
        // both are anomalies here.
        bool unterminated = expected.LastNext is not (null or 0) && expected.Payloads[^1] is not (46 or 53);
        DecodeAnomaly expectedAnomaly = expected.ExtraData ? DecodeAnomaly.IkeTrailingData
            : unterminated ? DecodeAnomaly.IkeChainUnterminated : DecodeAnomaly.None;
        Assert.True(expectedAnomaly == summary.Anomaly, $"{at}: expected {expectedAnomaly}, got {summary.Anomaly}");
        Assert.Equal(expected.Payloads, payloads);
        Assert.Equal(expected.Notify, notify);
        Assert.Equal(expected.Critical, CriticalBits(message));
        if (expected.KeGroup is { } group)
        {
            Assert.True(summary.Payloads.HasKeyExchange, at);
            Assert.Equal(group, (int)summary.Payloads.KeyExchangeGroup);
        }
        else
        {
            Assert.False(summary.Payloads.HasKeyExchange, at);
        }
        if (expected.Skf is { } skf)
        {
            Assert.Equal(IkePayloadType.EncryptedFragment, summary.Payloads.EncryptedPayloadType);
            Assert.Equal([skf[0], skf[1]], [summary.Payloads.FragmentNumber, summary.Payloads.TotalFragments]);
        }
        if (expected.Proposals is not null)
        {
            Assert.Equal(Describe(expected.ProposalList()), Describe(ReadProposals(message, summary)));
        }
    }

    private static bool[] CriticalBits(byte[] message)
    {
        IkeHeader.TryRead(message, out IkeHeader header);
        IkePayloadReader reader = IkePayloadReader.ForMessage(header);
        var bits = new List<bool>();
        while (reader.TryReadNext(out IkePayload payload))
        {
            bits.Add(payload.IsCritical);
        }
        return [.. bits];
    }

    private static List<(int, int, int, List<(int, int, int)>)> ReadProposals(byte[] message, IkeMessageSummary summary)
    {
        int index = summary.Payloads.PayloadTypes.IndexOf(IkePayloadType.SecurityAssociation);
        Assert.True(index >= 0);
        int offset = summary.Payloads.PayloadOffsets[index];
        int length = (message[offset + 2] << 8) | message[offset + 3];
        Assert.True(IkeSaPayload.TryRead(message.AsSpan(offset + 4, length - 4), out IkeSaPayload sa));
        var result = new List<(int, int, int, List<(int, int, int)>)>();
        IkeProposalReader proposals = sa.GetProposals();
        while (proposals.TryReadNext(out IkeProposal proposal))
        {
            var transforms = new List<(int, int, int)>();
            IkeTransformReader reader = proposal.GetTransforms();
            while (reader.TryReadNext(out IkeTransform transform))
            {
                transforms.Add(((int)transform.Type, transform.Id, transform.KeyLength));
            }
            Assert.False(reader.IsMalformed);
            result.Add(((int)proposal.ProtocolId, proposal.SpiSize, proposal.TransformCount, transforms));
        }
        Assert.False(proposals.IsMalformed);
        return result;
    }

    private static string Describe(List<(int Protocol, int SpiSize, int Count, List<(int Type, int Id, int KeyLength)> Transforms)> proposals) =>
        string.Join(" | ", proposals.Select(p => $"{p.Protocol}/{p.SpiSize}/{p.Count}: " + string.Join(",", p.Transforms.Select(t => $"{t.Type}:{t.Id}:{t.KeyLength}"))));
}
