using System.CommandLine.Parsing;
using Visibility.Cli.Metrics;

namespace Visibility.Cli.Commands;

/// <summary>Shared handling of <c>--metrics-listen</c>.</summary>
internal static class MetricsOptions
{
    public static void ValidateListen(OptionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.GetValueOrDefault<string?>() is string text && !ListenAddress.TryParse(text, out _, out string error))
        {
            result.AddError($"--metrics-listen: {error}");
        }
    }

    /// <summary>The parsed address of an already validated option value, or null.</summary>
    public static ListenAddress? Parse(string? text) =>
        text is not null && ListenAddress.TryParse(text, out ListenAddress address, out _) ? address : null;
}
