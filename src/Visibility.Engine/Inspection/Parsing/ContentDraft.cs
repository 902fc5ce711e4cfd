using Visibility.Engine.Inspection.Conditions;

namespace Visibility.Engine.Inspection.Parsing;

/// <summary>A <c>content</c> (or a finished <c>pcre</c>) while its rule is being parsed: modifiers that follow
/// it (<c>nocase</c>, <c>offset</c>, ...) still change it.</summary>
internal sealed class ContentDraft
{
    public required InspectionBufferKind Buffer { get; init; }

    /// <summary>Offset of the option in the rule text, for errors.</summary>
    public required int Position { get; init; }

    public byte[] Pattern { get; init; } = [];

    public bool Negated { get; init; }

    /// <summary>Set for a <c>pcre</c>; the content fields are unused then.</summary>
    public PcreItem? Pcre { get; init; }

    public bool NoCase { get; set; }

    public int? Offset { get; set; }

    public int? Depth { get; set; }

    public int? Distance { get; set; }

    public int? Within { get; set; }

    public bool FastPattern { get; set; }

    public bool IsAbsolute => Offset is not null || Depth is not null;

    public bool IsRelative => Distance is not null || Within is not null;

    public PatternItem ToItem() => Pcre is not null ? Pcre : new ContentItem(Pattern, NoCase, Offset ?? 0, Depth, Distance ?? 0, Within, IsRelative)
    {
        Negated = Negated,
    };
}
