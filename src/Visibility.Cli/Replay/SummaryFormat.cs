namespace Visibility.Cli.Replay;

/// <summary>How the end-of-run summary is printed.</summary>
internal enum SummaryFormat
{
    Text = 0,
    Json = 1,
}
