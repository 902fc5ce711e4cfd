using Visibility.Inspection.Abstractions;

namespace Visibility.Plugins.Tests;

/// <summary>A plugin whose constructor fails. This test assembly, copied into a plugin folder, is such a plugin: it is
/// the only public inspector here.</summary>
public sealed class ThrowingInspector : IPacketInspector
{
    public ThrowingInspector() => throw new InvalidOperationException("licence file /etc/example.lic missing");

    public string Name => "throwing";

    public InspectorProtocol Protocol => InspectorProtocol.Ip;

    public IReadOnlyList<SignatureDeclaration> Signatures => [];

    public void Inspect(in InspectedPacket packet, ref InspectionResults results)
    {
    }
}
