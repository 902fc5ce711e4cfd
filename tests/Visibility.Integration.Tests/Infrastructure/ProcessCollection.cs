namespace Visibility.Integration.Tests.Infrastructure;

/// <summary>Tests that start sensors, namespaces and servers run one at a time: they are timing-sensitive on a small
/// machine, and some bind well-known addresses inside their namespaces.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "visibility processes";
}
