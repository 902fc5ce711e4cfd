using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Thresholds;

namespace Visibility.Engine.Inspection.Parsing;

/// <summary>The state of one rule while its options are read; keywords set it up, <see cref="Build"/> validates and
/// freezes it into a <see cref="Rule"/>.</summary>
internal sealed class RuleBuilder
{
    private readonly List<ContentDraft> _items = [];
    private readonly List<PacketCondition> _conditions = [];

    public RuleBuilder(IReadOnlyDictionary<string, string> variables, TimeSpan pcreMatchTimeout)
    {
        Variables = variables;
        PcreMatchTimeout = pcreMatchTimeout;
    }

    public IReadOnlyDictionary<string, string> Variables { get; }

    public TimeSpan PcreMatchTimeout { get; }

    public RuleAction Action { get; set; }

    public RuleProtocol Protocol { get; set; }

    public AddressSet Source { get; set; } = AddressSet.Any;

    public PortSet SourcePorts { get; set; } = PortSet.Any;

    public AddressSet Destination { get; set; } = AddressSet.Any;

    public PortSet DestinationPorts { get; set; } = PortSet.Any;

    public bool Bidirectional { get; set; }

    /// <summary>Offset of the '(' that opens the options, where rule-wide errors point.</summary>
    public int OptionsOffset { get; set; }

    public string? Message { get; set; }

    public uint? Sid { get; set; }

    public int SidOffset { get; set; }

    public uint Gid { get; set; } = 1;

    public bool GidSet { get; set; }

    public int? Rev { get; set; }

    public string? Classtype { get; set; }

    public int? Priority { get; set; }

    public bool FlowSet { get; set; }

    public ThresholdSpec? Threshold { get; set; }

    public ThresholdSpec? DetectionFilter { get; set; }

    /// <summary>The buffer <c>content</c>/<c>pcre</c> apply to: the payload unless a sticky buffer keyword moved it.</summary>
    public InspectionBufferKind CurrentBuffer { get; set; } = InspectionBufferKind.Payload;

    public bool RedirectGatewayBufferUsed { get; set; }

    public void AddCondition(PacketCondition condition) => _conditions.Add(condition);

    public void AddItem(ContentDraft draft) => _items.Add(draft);

    /// <summary>The content a modifier applies to: the last item of the current buffer, which must be a content.</summary>
    public ContentDraft LastContent(in KeywordArgument argument)
    {
        for (int i = _items.Count - 1; i >= 0; i--)
        {
            if (_items[i].Buffer != CurrentBuffer)
            {
                continue;
            }
            if (_items[i].Pcre is not null)
            {
                break;
            }
            return _items[i];
        }
        throw new RuleSyntaxException(argument.KeywordOffset, $"expected a content before '{argument.Keyword}'");
    }

    /// <summary>The content a relative modifier applies to, after checking it is not also absolute.</summary>
    public ContentDraft LastContentForRelative(in KeywordArgument argument)
    {
        ContentDraft draft = LastContent(argument);
        if (draft.IsAbsolute)
        {
            throw new RuleSyntaxException(argument.KeywordOffset,
                $"expected distance/within or offset/depth on one content, not both ('{argument.Keyword}' after offset/depth)");
        }
        return draft;
    }

    public ContentDraft LastContentForAbsolute(in KeywordArgument argument)
    {
        ContentDraft draft = LastContent(argument);
        if (draft.IsRelative)
        {
            throw new RuleSyntaxException(argument.KeywordOffset,
                $"expected distance/within or offset/depth on one content, not both ('{argument.Keyword}' after distance/within)");
        }
        return draft;
    }

    public Rule Build(string file, LogicalLine line)
    {
        if (Sid is not uint sid)
        {
            throw new RuleSyntaxException(OptionsOffset, "expected a 'sid' option (sid:N;) in the rule");
        }
        if (RedirectGatewayBufferUsed)
        {
            _conditions.Add(RedirectPresentCondition.Instance);
        }

        ContentDraft? fast = null;
        ContentDraft? longest = null;
        foreach (ContentDraft draft in _items)
        {
            if (draft.Buffer != InspectionBufferKind.Payload || draft.Pcre is not null || draft.Negated)
            {
                if (draft.FastPattern)
                {
                    throw new RuleSyntaxException(draft.Position, "expected fast_pattern on a positive payload content");
                }
                continue;
            }
            if (draft.FastPattern)
            {
                if (fast is not null)
                {
                    throw new RuleSyntaxException(draft.Position, "expected at most one fast_pattern per rule");
                }
                fast = draft;
            }
            if (longest is null || draft.Pattern.Length > longest.Pattern.Length)
            {
                longest = draft;
            }
        }
        ContentDraft? chosen = fast ?? longest;
        ContentItem? fastPattern = null;
        var payload = new List<PatternItem>();
        var gateway = new List<PatternItem>();
        foreach (ContentDraft draft in _items)
        {
            PatternItem item = draft.ToItem();
            (draft.Buffer == InspectionBufferKind.Payload ? payload : gateway).Add(item);
            if (ReferenceEquals(draft, chosen))
            {
                fastPattern = (ContentItem)item;
            }
        }
        BufferProgram? payloadProgram = payload.Count > 0 ? new BufferProgram(InspectionBufferKind.Payload, [.. payload]) : null;

        int classPriority = ClassificationTable.DefaultPriority;
        if (Classtype is not null)
        {
            ClassificationTable.TryGet(Classtype, out _, out classPriority);
        }
        var signature = new Signature
        {
            Protocol = Protocol,
            Source = Source,
            SourcePorts = SourcePorts,
            Destination = Destination,
            DestinationPorts = DestinationPorts,
            Bidirectional = Bidirectional,
            Conditions = [.. _conditions],
            Payload = payloadProgram,
            RedirectGateway = gateway.Count > 0 ? new BufferProgram(InspectionBufferKind.IkeRedirectGateway, [.. gateway]) : null,
            FastPattern = fastPattern,
            Threshold = Threshold,
            DetectionFilter = DetectionFilter,
        };
        (int startLine, _) = line.Position(0);
        return new Rule(Action, Protocol, Gid, sid, Rev ?? 0, Message ?? string.Empty, Classtype,
            Priority ?? classPriority, file, startLine, line.Text.Trim(), signature);
    }
}
