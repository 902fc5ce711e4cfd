namespace Visibility.Cli.Service;

/// <summary>A section holding one path (<c>Keys:Path</c>, <c>Plugins:Path</c>).</summary>
internal sealed class PathSection
{
    public string? Path { get; set; }
}
