namespace Visibility.Inspection.Abstractions;

/// <summary>One signature an <see cref="IPacketInspector"/> may raise: what EVE reports about it (gid, sid, rev,
/// msg, classtype, priority, action). The host turns each into a rule of the rule set at load.</summary>
/// <remarks>Immutable; declare each once (a static field is usual) and raise that same instance.</remarks>
public sealed class SignatureDeclaration
{
    /// <param name="sid">Signature id, positive; shares the sid space of rule files.</param>
    /// <param name="message">The <c>msg</c> text (EVE <c>alert.signature</c>).</param>
    /// <param name="action">Alert (default), drop or pass.</param>
    /// <param name="gid">Generator id, 1 unless you have a reason.</param>
    /// <param name="rev">Revision, positive.</param>
    /// <param name="classtype">A classtype name known to the host (as in <c>rules/README.md</c>); the host refuses an
    /// unknown one at load.</param>
    /// <param name="priority">1 (highest) .. 255 (EVE <c>alert.severity</c>); null for the classtype's, else 3.</param>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of its range.</exception>
    public SignatureDeclaration(uint sid, string message, SignatureAction action = SignatureAction.Alert, uint gid = 1,
        int rev = 1, string? classtype = null, int? priority = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfZero(sid);
        ArgumentOutOfRangeException.ThrowIfZero(gid);
        ArgumentOutOfRangeException.ThrowIfLessThan(rev, 1);
        if (priority is < 1 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "priority must be 1-255");
        }
        if (!Enum.IsDefined(action))
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, "unknown action");
        }
        Sid = sid;
        Message = message;
        Action = action;
        Gid = gid;
        Rev = rev;
        Classtype = classtype;
        Priority = priority;
    }

    public uint Sid { get; }

    public string Message { get; }

    public SignatureAction Action { get; }

    public uint Gid { get; }

    public int Rev { get; }

    public string? Classtype { get; }

    /// <summary>The explicit priority; null means the classtype's (else 3).</summary>
    public int? Priority { get; }

    public override string ToString() => $"[{Gid}:{Sid}:{Rev}] {Message}";
}
