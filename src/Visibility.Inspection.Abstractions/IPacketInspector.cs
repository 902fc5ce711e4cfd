namespace Visibility.Inspection.Abstractions;

/// <summary>A detection written in C# and loaded as a plugin: it sees each inspected packet of its
/// <see cref="Protocol"/> (the decapsulated inner packet of an ESP-NULL/WESP SA, the ESP packet itself, an IKE
/// message, or plain traffic) and raises the signatures it declared in <see cref="Signatures"/>.</summary>
/// <remarks>
/// <para>Its alerts take the same path as rule-file alerts: pass/drop/alert ordering, one report per signature
/// and packet, EVE <c>alert</c> records. Signature ids share the rule sid space; a clash with a rule file or
/// another plugin refuses the plugin.</para>
/// <para><see cref="Inspect"/> runs on the hot path: it must not block, should not allocate, and must not keep the
/// packet's spans. One instance may be called from several capture workers at once, so keep per-packet state on
/// the stack and shared state thread-safe. An exception from <see cref="Inspect"/> is counted by the host and the
/// packet continues without this inspector's matches.</para>
/// <para>The host instantiates every public non-abstract class implementing this interface that has a public
/// parameterless constructor; <see cref="Signatures"/> is read once, at load.</para>
/// </remarks>
public interface IPacketInspector
{
    /// <summary>A short name for diagnostics.</summary>
    string Name { get; }

    /// <summary>Which packets it sees, with the rule-header meaning (<see cref="InspectorProtocol.Ip"/> sees all).</summary>
    InspectorProtocol Protocol { get; }

    /// <summary>The signatures it may raise (at most <see cref="InspectionResults.MaxSignatures"/>).</summary>
    IReadOnlyList<SignatureDeclaration> Signatures { get; }

    /// <summary>Looks at one packet and calls <see cref="InspectionResults.Raise"/> for each signature that matches.</summary>
    void Inspect(in InspectedPacket packet, ref InspectionResults results);
}
