namespace Visibility.Cli.Rules;

/// <summary>A plugin folder that cannot be used as given: the message holds one clause per refused plugin
/// (<c>file: reason</c>). An input error, like an unreadable rule file.</summary>
internal sealed class PluginLoadException : IOException
{
    public PluginLoadException()
    {
    }

    public PluginLoadException(string message)
        : base(message)
    {
    }

    public PluginLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
