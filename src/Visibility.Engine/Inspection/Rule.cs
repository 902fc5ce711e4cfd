using Visibility.Engine.Inspection.Conditions;

namespace Visibility.Engine.Inspection;

/// <summary>One signature: what EVE reports about it (gid, sid, rev, msg, classtype, priority, action) and where it
/// came from. Rules from rule files carry their compiled match logic; rules declared by an <see cref="IInspector"/>
/// are raised by that inspector's code.</summary>
/// <remarks>Immutable and shareable between rule sets, so a reload can reuse unchanged rules.</remarks>
public sealed class Rule
{
    internal Rule(RuleAction action, RuleProtocol protocol, uint gid, uint sid, int rev, string message,
        string? classtype, int priority, string file, int line, string text, Signature? signature)
    {
        Action = action;
        Protocol = protocol;
        Gid = gid;
        Sid = sid;
        Rev = rev;
        Message = message;
        Classtype = classtype;
        Priority = priority;
        File = file;
        Line = line;
        Text = text;
        Signature = signature;
        Category = classtype is not null && ClassificationTable.TryGet(classtype, out string description, out _)
            ? description
            : null;
    }

    public RuleAction Action { get; }

    public RuleProtocol Protocol { get; }

    /// <summary>Generator id (<c>gid</c>), 1 unless the rule says otherwise.</summary>
    public uint Gid { get; }

    /// <summary>Signature id (<c>sid</c>): 1-999999 local rules, 2200000 and up the shipped rules.</summary>
    public uint Sid { get; }

    public int Rev { get; }

    /// <summary>The <c>msg</c> text (EVE <c>alert.signature</c>); empty when the rule has none.</summary>
    public string Message { get; }

    public string? Classtype { get; }

    /// <summary>The classtype's description (EVE <c>alert.category</c>), null without a classtype.</summary>
    public string? Category { get; }

    /// <summary>1 (highest) .. 255 (EVE <c>alert.severity</c>): the <c>priority</c> option, else the classtype's, else 3.</summary>
    public int Priority { get; }

    /// <summary>The file (or the name the caller gave the text) the rule came from.</summary>
    public string File { get; }

    /// <summary>1-based line where the rule starts.</summary>
    public int Line { get; }

    /// <summary>The rule text after joining continuation lines.</summary>
    public string Text { get; }

    /// <summary>True for a rule declared by an <see cref="IInspector"/> rather than parsed from rule text.</summary>
    public bool IsInspectorRule => Signature is null;

    internal Signature? Signature { get; }

    /// <summary>Declares a signature an <see cref="IInspector"/> raises from code.</summary>
    public static Rule ForInspector(uint sid, string message, RuleAction action = RuleAction.Alert, uint gid = 1,
        int rev = 1, string? classtype = null, int? priority = null, RuleProtocol protocol = RuleProtocol.Ip)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (sid == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sid), "sid must be positive");
        }
        int classPriority = ClassificationTable.DefaultPriority;
        if (classtype is not null && !ClassificationTable.TryGet(classtype, out _, out classPriority))
        {
            throw new ArgumentException($"unknown classtype '{classtype}'", nameof(classtype));
        }
        return new Rule(action, protocol, gid, sid, rev, message, classtype, priority ?? classPriority,
            "inspector", 0, $"inspector {gid}:{sid}:{rev} \"{message}\"", null);
    }

    public override string ToString() => $"[{Gid}:{Sid}:{Rev}] {Message}";
}
