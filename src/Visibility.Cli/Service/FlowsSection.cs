namespace Visibility.Cli.Service;

/// <summary><c>Flows:*</c>: flow-table limits.</summary>
internal sealed class FlowsSection
{
    /// <summary>Most flows held at once.</summary>
    public int Capacity { get; set; } = 1 << 18;

    /// <summary>Idle time after which a flow ends ("timeout").</summary>
    public int TimeoutSeconds { get; set; } = 300;
}
