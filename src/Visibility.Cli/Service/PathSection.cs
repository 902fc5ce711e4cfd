namespace Visibility.Cli.Service;

/// <summary>A section holding one path (<c>Rules:Path</c>, <c>Keys:Path</c>).</summary>
internal sealed class PathSection
{
    public string? Path { get; set; }
}
