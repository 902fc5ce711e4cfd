using System.CommandLine;

namespace Visibility.Cli.Commands;

/// <summary>The <c>--plugins DIR</c> option of <c>replay</c> and <c>live</c>.</summary>
internal static class PluginsOption
{
    public static Option<string?> Create() => new("--plugins")
    {
        Description = "load inspection plugins (C# IPacketInspector assemblies) from DIR: every *.dll, and NAME/NAME.dll of each subfolder; their signatures join the rules",
        HelpName = "DIR",
    };
}
