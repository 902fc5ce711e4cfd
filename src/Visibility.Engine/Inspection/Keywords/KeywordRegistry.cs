using System.Collections.Frozen;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary>Every rule keyword, as an explicit list (no reflection): a new keyword is one file in this folder, one
/// line here, a row in <c>rules/README.md</c> and a test.</summary>
internal static class KeywordRegistry
{
    private static readonly IRuleKeyword[] s_all =
    [
        new MsgKeyword(),
        new SidKeyword(),
        new RevKeyword(),
        new GidKeyword(),
        new ClasstypeKeyword(),
        new PriorityKeyword(),
        new ReferenceKeyword(),
        new MetadataKeyword(),
        new ContentKeyword(),
        new NocaseKeyword(),
        new OffsetKeyword(),
        new DepthKeyword(),
        new DistanceKeyword(),
        new WithinKeyword(),
        new FastPatternKeyword(),
        new PcreKeyword(),
        new PktDataKeyword(),
        new DsizeKeyword(),
        new FlowKeyword(),
        new ThresholdKeyword(),
        new DetectionFilterKeyword(),
        new EspSpiKeyword(),
        new EspVerdictKeyword(),
        new EspIcvLenKeyword(),
        new EspEncapKeyword(),
        new IkeExchangeKeyword(),
        new IkeNotifyKeyword(),
        new IkeRedirectGatewayKeyword(),
        new DecodeEventKeyword(),
    ];

    private static readonly FrozenDictionary<string, IRuleKeyword> s_byName =
        s_all.ToFrozenDictionary(k => k.Name, StringComparer.Ordinal);

    public static IReadOnlyList<IRuleKeyword> All => s_all;

    public static bool TryGet(string name, out IRuleKeyword keyword) => s_byName.TryGetValue(name, out keyword!);
}
