using BenchmarkDotNet.Attributes;
using Visibility.Wire.Ike;

namespace Visibility.Benchmarks;

/// <summary>The per-message IKE summary the sensor runs on every IKE packet (<see cref="IkeMessageSummary.TryRead"/>):
/// must stay allocation-free.</summary>
/// <remarks>Inputs are built here so the benchmark needs no capture files: an IKE_SA_INIT request shaped like the
/// ones in captures/public (SA with 12 transforms, KE, Nonce, two NAT_DETECTION notifies), an IKE_AUTH request
/// (header + SK), an unprotected INVALID_IKE_SPI reply with two QCD tokens, and an IKE_SA_INIT REDIRECT response.</remarks>
[MemoryDiagnoser]
public class IkeParserBenchmarks
{
    private byte[] _saInit = [];
    private byte[] _ikeAuth = [];
    private byte[] _qcd = [];
    private byte[] _redirect = [];
    private byte[][] _mix = [];

    [GlobalSetup]
    public void Setup()
    {
        byte[] transforms = [];
        for (int i = 0; i < 12; i++)
        {
            bool last = i == 11;
            transforms = [.. transforms, last ? (byte)0 : (byte)3, 0, 0, 8, (byte)(1 + (i % 4)), 0, 0, (byte)(12 + i)];
        }
        byte[] proposal = [0, 0, 0, (byte)(8 + transforms.Length), 1, 1, 0, 12, .. transforms];
        _saInit = Message(34, 0x08, [(33, proposal), (34, [0, 14, 0, 0, .. new byte[256]]), (40, new byte[32]),
            (41, [0, 0, 0x40, 0x04, .. new byte[20]]), (41, [0, 0, 0x40, 0x05, .. new byte[20]])]);
        _ikeAuth = Message(35, 0x08, [(46, new byte[300])]);
        _qcd = Message(37, 0x20, [(41, [0, 0, 0, 4]), (41, [1, 0, 0x40, 0x23, .. new byte[32]]), (41, [1, 0, 0x40, 0x23, .. new byte[32]])]);
        _redirect = Message(34, 0x20, [(41, [0, 0, 0x40, 0x17, 1, 4, 192, 0, 2, 7, .. new byte[32]])]);
        _mix = [_saInit, _ikeAuth, _qcd, _redirect];
    }

    [Benchmark(Baseline = true)]
    public int SaInitRequest() => Summarize(_saInit);

    [Benchmark]
    public int IkeAuthWithSk() => Summarize(_ikeAuth);

    [Benchmark]
    public int InvalidIkeSpiWithQcdTokens() => Summarize(_qcd);

    [Benchmark]
    public int SaInitRedirect() => Summarize(_redirect);

    [Benchmark(OperationsPerInvoke = 4)]
    public int MixPerMessage()
    {
        int total = 0;
        foreach (byte[] message in _mix)
        {
            total += Summarize(message);
        }
        return total;
    }

    private static int Summarize(byte[] message)
    {
        IkeMessageSummary.TryRead(message, out IkeMessageSummary summary);
        return summary.Payloads.TotalPayloadCount + summary.Payloads.NotifyCount;
    }

    private static byte[] Message(byte exchange, byte flags, (byte Type, byte[] Body)[] payloads)
    {
        var bytes = new List<byte>(new byte[28]);
        for (int i = 0; i < payloads.Length; i++)
        {
            int length = 4 + payloads[i].Body.Length;
            bytes.AddRange([i + 1 < payloads.Length ? payloads[i + 1].Type : (byte)0, 0, (byte)(length >> 8), (byte)length]);
            bytes.AddRange(payloads[i].Body);
        }
        byte[] message = [.. bytes];
        message[0] = 0x5E;
        message[16] = payloads[0].Type;
        message[17] = 0x20;
        message[18] = exchange;
        message[19] = flags;
        message[24] = (byte)(message.Length >> 24);
        message[25] = (byte)(message.Length >> 16);
        message[26] = (byte)(message.Length >> 8);
        message[27] = (byte)message.Length;
        return message;
    }
}
