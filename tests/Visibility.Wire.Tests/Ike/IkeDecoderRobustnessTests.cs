using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Visibility.Wire.Ike.Keys;
using Visibility.Wire.Tests.Ike.Support;

namespace Visibility.Wire.Tests.Ike;

/// <summary>Malformed input is data: every IKE decoder (header, chain reader, payload views, sub-readers, notify
/// data parsers, summary, SK decryption, key files) is run over every prefix of every sample and over random
/// bytes, and must never throw.</summary>
public sealed class IkeDecoderRobustnessTests
{
    private static readonly Lazy<List<byte[]>> s_samples = new(LoadSamples);

    [Fact]
    public void Decoders_EveryPrefixOfEverySample_NeverThrow()
    {
        long touched = 0;
        int prefixes = 0;
        foreach (byte[] sample in s_samples.Value.DistinctBy(Convert.ToHexString))
        {
            for (int length = 0; length <= sample.Length; length++)
            {
                touched += IkeDecoderExerciser.Exercise(sample.AsSpan(0, length));
                prefixes++;
            }
        }
        Assert.True(prefixes > 10_000, $"only {prefixes} prefixes");
        Assert.True(touched > prefixes, "the sweep did not reach into the payloads");
    }

    [Fact]
    public void Decoders_EveryOctetOfSamplesSetToExtremes_NeverThrow()
    {
        long touched = 0;
        foreach (byte[] sample in s_samples.Value.DistinctBy(m => (m.Length, m[18])).Take(40))
        {
            byte[] copy = (byte[])sample.Clone();
            for (int i = 0; i < copy.Length; i++)
            {
                byte original = copy[i];
                foreach (byte value in (byte[])[0x00, 0xFF, 0x7F, 0x04])
                {
                    copy[i] = value;
                    touched += IkeDecoderExerciser.Exercise(copy);
                }
                copy[i] = original;
            }
        }
        Assert.True(touched > 0);
    }

    [Property(MaxTest = 2000)]
    public void Decoders_RandomBytes_NeverThrow(byte[] bytes) => IkeDecoderExerciser.Exercise(bytes ?? []);

    [Property(MaxTest = 2000)]
    public void Decoders_ValidHeaderThenRandomPayloads_NeverThrow(byte[] payloads, byte firstPayload, bool useSkf)
    {
        payloads ??= [];
        byte[] message = new byte[28 + payloads.Length];
        message[16] = useSkf ? (byte)53 : (byte)(33 + (firstPayload % 22));
        message[17] = 0x20;
        message[18] = 35;
        message[19] = 0x08;
        message[24] = (byte)(message.Length >> 24);
        message[25] = (byte)(message.Length >> 16);
        message[26] = (byte)(message.Length >> 8);
        message[27] = (byte)message.Length;
        payloads.CopyTo(message, 28);
        IkeDecoderExerciser.Exercise(message);
    }

    [Property(MaxTest = 500)]
    public Property KeyFiles_RandomText_OnlyKeyFileException()
    {
        Gen<string> line = Gen.Elements(
            "0102030405060708", "\"AES-CBC-128 [RFC3602]\"", "\"NONE [RFC4306]\"", ",", ",,", "\"", "\\x2", "0x", "zz", "#", " ",
            "\"IPv4\"", "\"*\"", "\"NULL\"", "00112233445566778899aabbccddeeff", "\"HMAC_SHA1_96 [RFC2404]\"", "\n", "\"0x01\"")
            .ListOf().Select(parts => string.Concat(parts));
        return Prop.ForAll(line.ToArbitrary(), text =>
        {
            foreach (Func<TextReader, object> parse in (Func<TextReader, object>[])
                [r => WiresharkKeyFiles.ReadIkev2DecryptionTable(r, "k"), r => WiresharkKeyFiles.ReadEspSa(r, "k")])
            {
                try
                {
                    parse(new StringReader(text));
                }
                catch (KeyFileException)
                {
                }
            }
        });
    }

    private static List<byte[]> LoadSamples()
    {
        var samples = new List<byte[]>();
        foreach (string capture in IkeCaptures.All)
        {
            // The large road-warrior capture repeats its message shapes; a sample of it keeps the sweep quick.
            IEnumerable<IkeDatagram> datagrams = IkeFrameExtractor.FromCapture(RepositoryPaths.PublicCapture(capture), out _);
            if (capture.StartsWith("nDPI__tests__cfgs__default__pcap__ipsec_isakmp_esp", StringComparison.Ordinal))
            {
                datagrams = datagrams.DistinctBy(d => (d.Message.Length, d.Message[18], d.Message[19])).Take(40);
            }
            samples.AddRange(datagrams.Select(d => d.Message));
        }
        samples.AddRange(IkeFrameExtractor.FromCapture(RepositoryPaths.IkeOracle(Path.Combine("vectors", "ikev2-sk-vectors.pcap")), out _).Select(d => d.Message));
        return samples;
    }
}
