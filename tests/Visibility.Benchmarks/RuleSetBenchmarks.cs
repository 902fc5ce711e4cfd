using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Visibility.Engine.Inspection;
using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Prefilter;
using Visibility.Wire;

namespace Visibility.Benchmarks;

/// <summary>Rule matching per packet with 16, 64, 200, 1,000 and 10,000 content rules over HTTP-like text and random bytes,
/// and the multi-pattern prefilters <see cref="PatternMatcher.Create"/> chooses between: one IndexOf per pattern
/// (<see cref="IndexOfEachMatcher"/>), a byte fingerprint search (<see cref="TeddyMatcher"/>, and for a few hundred
/// patterns with the automaton for text, <see cref="TeddyOrAutomatonMatcher"/>), SearchValues over the Latin-1 view
/// (<see cref="SearchValuesMatcher"/>) and a byte-class Aho-Corasick DFA (<see cref="AhoCorasickMatcher"/>). Each operation is one packet
/// (<see cref="PacketsPerInvoke"/> packets per invoke). Results are in <see cref="PatternMatcher"/>'s remarks.</summary>
[MemoryDiagnoser]
public class RuleSetBenchmarks
{
    private const int PacketsPerInvoke = 64;

    private static readonly string[] s_words =
    [
        "admin", "login", "user", "pass", "token", "session", "cart", "item", "search", "query", "api", "v1", "v2",
        "static", "image", "index", "home", "account", "profile", "upload", "download", "report", "config", "status",
    ];

    private byte[][] _payloads = [];
    private RuleEvaluator _evaluator = null!;
    private SearchValuesMatcher _searchValues = null!;
    private TeddyMatcher _teddy = null!;
    private byte[][] _patterns = [];
    private AhoCorasickMatcher _ahoCorasick = null!;
    private TeddyOrAutomatonMatcher? _teddyOrAutomaton;
    private IndexOfEachMatcher _indexOfEach = null!;
    private int[] _stamps = [];
    private int[] _hits = [];
    private char[] _chars = [];
    private int _generation;

    [Params(16, 64, 200, 1_000, 10_000)]
    public int Rules { get; set; }

    [Params(PayloadKindOption.Http, PayloadKindOption.Random)]
    public PayloadKindOption Payload { get; set; }

    [Params(false, true)]
    public bool NoCase { get; set; }

    public enum PayloadKindOption
    {
        Http = 0,
        Random = 1,
    }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20240611);
        _payloads = Payload == PayloadKindOption.Http ? HttpPayloads(random) : RandomPayloads(random);
        byte[][] patterns = Patterns(new Random(20240612), Rules);
        var text = new StringBuilder();
        for (int i = 0; i < patterns.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"alert tcp any any -> any any (msg:\"r{i}\"; content:\"|{Convert.ToHexString(patterns[i])}|\";{(NoCase ? " nocase;" : string.Empty)} sid:{i + 1};)\n");
        }
        RuleLoadResult parsed = RuleParser.Parse(text.ToString(), "bench.rules");
        if (parsed.Errors.Count > 0)
        {
            throw new InvalidOperationException(parsed.Errors[0].ToString());
        }
        _evaluator = RuleSet.Compile(parsed.Rules).CreateEvaluator();

        _patterns = [.. patterns.Select(p => NoCase ? ContentItem.Fold(p) : p)];
        bool[] noCase = [.. _patterns.Select(_ => NoCase)];
        _searchValues = new SearchValuesMatcher(_patterns, noCase);
        _indexOfEach = new IndexOfEachMatcher(_patterns, noCase);
        _teddy = new TeddyMatcher(_patterns, noCase);
        _ahoCorasick = AhoCorasickMatcher.TryCreate(_patterns, noCase, PatternMatcher.AutomatonBudget)
            ?? throw new InvalidOperationException("automaton over budget");
        // Serves groups of up to TeddyOrAutomatonMatcher.Limit patterns; beyond, the benchmark reports 0.
        _teddyOrAutomaton = _patterns.Length <= TeddyOrAutomatonMatcher.Limit
            ? TeddyOrAutomatonMatcher.TryCreate(_patterns, noCase, PatternMatcher.AutomatonBudget)
            : null;
        _stamps = new int[_patterns.Length];
        _hits = new int[_patterns.Length];
        _chars = new char[_payloads.Max(p => p.Length)];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PacketsPerInvoke)]
    public int Evaluate()
    {
        var collector = new Counter();
        foreach (byte[] payload in _payloads)
        {
            var context = new InspectionContext
            {
                Protocol = InspectionProtocol.Tcp,
                Source = NetworkAddress.FromIPv4(0x0A000001),
                Destination = NetworkAddress.FromIPv4(0xC0000250),
                SourcePort = 40000,
                DestinationPort = 80,
                Payload = payload,
                Direction = PacketDirection.ToServer,
            };
            _evaluator.Evaluate(context, ref collector);
        }
        return collector.Count;
    }

    [Benchmark(OperationsPerInvoke = PacketsPerInvoke)]
    public int Prefilter_SearchValues()
    {
        int found = 0;
        foreach (byte[] payload in _payloads)
        {
            Span<char> chars = _chars.AsSpan(0, payload.Length);
            Encoding.Latin1.GetChars(payload, chars);
            found += _searchValues.Scan(chars, _stamps, 0, ++_generation, _hits);
        }
        return found;
    }

    [Benchmark(OperationsPerInvoke = PacketsPerInvoke)]
    public int Prefilter_Teddy()
    {
        int found = 0;
        foreach (byte[] payload in _payloads)
        {
            found += _teddy.Scan(payload, _stamps, 0, ++_generation, _hits);
        }
        return found;
    }

    [Benchmark(OperationsPerInvoke = PacketsPerInvoke)]
    public int Prefilter_TeddyOrAutomaton()
    {
        if (_teddyOrAutomaton is null)
        {
            return 0;
        }
        int found = 0;
        foreach (byte[] payload in _payloads)
        {
            found += _teddyOrAutomaton.Scan(payload, _stamps, 0, ++_generation, _hits, out _);
        }
        return found;
    }

    [Benchmark(OperationsPerInvoke = PacketsPerInvoke)]
    public int Prefilter_IndexOfEach()
    {
        int found = 0;
        foreach (byte[] payload in _payloads)
        {
            found += _indexOfEach.Scan(payload, _stamps, 0, ++_generation, _hits);
        }
        return found;
    }

    [Benchmark(OperationsPerInvoke = PacketsPerInvoke)]
    public int Prefilter_AhoCorasick()
    {
        int found = 0;
        foreach (byte[] payload in _payloads)
        {
            found += _ahoCorasick.Scan(payload, _stamps, 0, ++_generation, _hits);
        }
        return found;
    }

    private static byte[][] HttpPayloads(Random random)
    {
        var payloads = new byte[PacketsPerInvoke][];
        for (int i = 0; i < payloads.Length; i++)
        {
            string path = string.Join("/", Enumerable.Range(0, random.Next(1, 5)).Select(_ => s_words[random.Next(s_words.Length)]));
            string request = $"GET /{path}?id={random.Next(100000)}&q={s_words[random.Next(s_words.Length)]} HTTP/1.1\r\n"
                + $"Host: www{random.Next(50)}.example.com\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\r\n"
                + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
                + "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate\r\n"
                + $"Cookie: session={random.Next():x8}{random.Next():x8}; cart={random.Next(1000)}\r\n"
                + "Connection: keep-alive\r\n\r\n";
            payloads[i] = Encoding.Latin1.GetBytes(request);
        }
        return payloads;
    }

    private static byte[][] RandomPayloads(Random random)
    {
        var payloads = new byte[PacketsPerInvoke][];
        for (int i = 0; i < payloads.Length; i++)
        {
            payloads[i] = new byte[1000];
            random.NextBytes(payloads[i]);
        }
        return payloads;
    }

    /// <summary>Rule contents, ASCII text as rule contents are: mostly tokens that look like HTTP traffic but are
    /// absent, and about 1% cut from HTTP requests so that some rules match HTTP payloads and get verified (random
    /// payloads, which stand for encrypted ESP, match none).</summary>
    private static byte[][] Patterns(Random random, int count)
    {
        byte[][] payloads = HttpPayloads(random);
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/.=_";
        var patterns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        int present = Math.Max(2, count / 100);
        while (patterns.Count < present)
        {
            byte[] payload = payloads[random.Next(payloads.Length)];
            int length = random.Next(6, 14);
            patterns.Add(Encoding.Latin1.GetString(payload, random.Next(payload.Length - length), length));
        }
        while (patterns.Count < count)
        {
            int length = random.Next(6, 17);
            var sb = new StringBuilder(s_words[random.Next(s_words.Length)]);
            while (sb.Length < length)
            {
                sb.Append(Alphabet[random.Next(Alphabet.Length)]);
            }
            patterns.Add(sb.ToString());
        }
        return [.. patterns.Select(Encoding.Latin1.GetBytes)];
    }

    private struct Counter : IRuleMatchCollector
    {
        public int Count;

        public void OnMatch(in RuleMatch match) => Count++;
    }
}
