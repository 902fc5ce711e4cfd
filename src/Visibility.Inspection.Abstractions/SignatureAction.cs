namespace Visibility.Inspection.Abstractions;

/// <summary>The action of a signature, as in a rule file. For one packet a matching <see cref="Pass"/> suppresses
/// every <see cref="Drop"/> and <see cref="Alert"/> match; <see cref="Drop"/> is reported with action
/// <c>blocked</c> (the sensor is passive).</summary>
public enum SignatureAction : byte
{
    Alert = 0,
    Drop = 1,
    Pass = 2,
}
