namespace Visibility.Cli.Service;

/// <summary>The service configuration (<c>visibility run --config FILE</c>), bound from the JSON or YAML file, then
/// <c>VISIBILITY_</c> environment variables (<c>VISIBILITY_Flows__Capacity=...</c>), then the command line
/// (<c>--Flows:Capacity=...</c>). Checked at start by <see cref="ServiceOptionsValidator"/>.</summary>
internal sealed class ServiceOptions
{
    public InputSection Visibility { get; set; } = new();

    public EveSection Eve { get; set; } = new();

    public MetricsSection Metrics { get; set; } = new();

    public FlowsSection Flows { get; set; } = new();

    public RulesSection Rules { get; set; } = new();

    public PathSection Keys { get; set; } = new();

    /// <summary><c>Plugins:Path</c>: a folder of inspection plugin assemblies (see <c>--plugins</c>).</summary>
    public PathSection Plugins { get; set; } = new();
}
