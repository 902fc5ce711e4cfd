namespace Visibility.Engine.Inspection.Conditions;

/// <summary>The parts of a <c>flow</c> option.</summary>
[Flags]
internal enum FlowRequirement : byte
{
    None = 0,
    ToServer = 1,
    ToClient = 2,
    Established = 4,
    NotEstablished = 8,
}
