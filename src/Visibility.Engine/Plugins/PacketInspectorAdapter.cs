using Visibility.Engine.Inspection;
using Visibility.Inspection.Abstractions;

namespace Visibility.Engine.Plugins;

/// <summary>Runs a plugin's <see cref="IPacketInspector"/> as an engine <see cref="IInspector"/>: its declared
/// signatures become inspector rules, and each packet's <see cref="InspectionContext"/> is shown to it as an
/// <see cref="InspectedPacket"/>.</summary>
/// <remarks>Per packet it copies the context's fields into the plugin's view and keeps one flag per signature on
/// the stack: nothing is allocated. The enums of the two sides share their numeric values (a test checks).</remarks>
public sealed class PacketInspectorAdapter : IInspector
{
    private readonly IPacketInspector _inspector;
    private readonly SignatureDeclaration[] _declared;
    private readonly Rule[] _rules;

    /// <summary>Reads the plugin's name, protocol and signatures once.</summary>
    /// <exception cref="ArgumentException">The plugin declares no signature, more than
    /// <see cref="InspectionResults.MaxSignatures"/>, one twice, or one with an unknown classtype.</exception>
    public PacketInspectorAdapter(IPacketInspector inspector)
    {
        ArgumentNullException.ThrowIfNull(inspector);
        _inspector = inspector;
        Name = inspector.Name ?? inspector.GetType().Name;
        if (!Enum.IsDefined(inspector.Protocol))
        {
            throw new ArgumentException($"inspector {Name}: unknown protocol {(int)inspector.Protocol}", nameof(inspector));
        }
        Protocol = (RuleProtocol)inspector.Protocol;
        _declared = inspector.Signatures is { } signatures ? [.. signatures] : [];
        if (_declared.Length == 0)
        {
            throw new ArgumentException($"inspector {Name} declares no signature", nameof(inspector));
        }
        if (_declared.Length > InspectionResults.MaxSignatures)
        {
            throw new ArgumentException($"inspector {Name} declares {_declared.Length} signatures, at most {InspectionResults.MaxSignatures} are allowed", nameof(inspector));
        }
        _rules = new Rule[_declared.Length];
        var seen = new HashSet<(uint, uint)>();
        for (int i = 0; i < _declared.Length; i++)
        {
            SignatureDeclaration d = _declared[i] ?? throw new ArgumentException($"inspector {Name} declares a null signature", nameof(inspector));
            if (!seen.Add((d.Gid, d.Sid)))
            {
                throw new ArgumentException($"inspector {Name} declares sid {d.Sid} (gid {d.Gid}) twice", nameof(inspector));
            }
            try
            {
                _rules[i] = Rule.ForInspector(d.Sid, d.Message, (RuleAction)d.Action, d.Gid, d.Rev, d.Classtype, d.Priority, Protocol);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"inspector {Name}, sid {d.Sid}: {e.Message}", nameof(inspector), e);
            }
        }
    }

    /// <summary>The plugin's inspector.</summary>
    public IPacketInspector Inspector => _inspector;

    public string Name { get; }

    public RuleProtocol Protocol { get; }

    public IReadOnlyList<Rule> Rules => _rules;

    public void Inspect(in InspectionContext context, ref InspectorResults results)
    {
        Span<bool> raised = stackalloc bool[InspectionResults.MaxSignatures];
        raised = raised[.._declared.Length];
        raised.Clear();
        var packet = new InspectedPacket
        {
            Protocol = (InspectedProtocol)context.Protocol,
            Source = context.Source,
            Destination = context.Destination,
            SourcePort = context.SourcePort,
            DestinationPort = context.DestinationPort,
            Payload = context.Payload,
            Direction = (FlowDirection)context.Direction,
            FlowEstablished = context.FlowEstablished,
            EspSpi = context.EspSpi,
            EspVerdict = (EspSaVerdict)context.EspVerdict,
            EspIcvLength = context.EspIcvLength,
            EspEncapsulation = context.EspEncapsulation,
            IkeExchangeType = context.IkeExchangeType,
            IkeNotifyTypes = context.IkeNotifyTypes,
            IkeRedirectGateway = context.IkeRedirectGateway,
            IkeRedirectGatewayAddress = context.IkeRedirectGatewayAddress,
            Anomaly = context.Anomaly,
            TimestampNanoseconds = context.TimestampNanoseconds,
        };
        var pluginResults = new InspectionResults(_declared, raised);
        _inspector.Inspect(packet, ref pluginResults);
        for (int i = 0; i < raised.Length; i++)
        {
            if (raised[i])
            {
                results.Raise(_rules[i]);
            }
        }
    }

    public override string ToString() => Name;
}
