using System.Globalization;
using System.Net;

namespace Visibility.Cli.Metrics;

/// <summary>Where the metrics endpoint listens: <c>ADDR:PORT</c>, <c>[IPv6]:PORT</c>, <c>localhost:PORT</c>, or a
/// bare <c>PORT</c> (loopback). Listening beyond loopback takes an explicit address such as <c>0.0.0.0:9580</c>.</summary>
internal sealed record ListenAddress(string Host, int Port)
{
    public const int DefaultPort = 9580;

    public static ListenAddress Default { get; } = new("127.0.0.1", DefaultPort);

    /// <summary>The HttpListener host part: <c>+</c> for every address.</summary>
    public string ListenerHost => Host switch
    {
        "0.0.0.0" or "::" or "*" => "+",
        _ when Host.Contains(':', StringComparison.Ordinal) => $"[{Host}]",
        _ => Host,
    };

    public static bool TryParse(string? text, out ListenAddress address, out string error)
    {
        address = Default;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "expected ADDR:PORT";
            return false;
        }
        text = text.Trim();
        string host;
        string port;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                error = $"'{text}' is not [ADDR]:PORT";
                return false;
            }
            host = text[1..close];
            port = text[(close + 2)..];
        }
        else
        {
            int colon = text.LastIndexOf(':');
            if (colon < 0)
            {
                host = Default.Host;
                port = text;
            }
            else if (text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                error = $"'{text}': write an IPv6 address in brackets, as [::1]:{DefaultPort}";
                return false;
            }
            else
            {
                host = colon == 0 ? Default.Host : text[..colon];
                port = text[(colon + 1)..];
            }
        }
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number is < 1 or > 65535)
        {
            error = $"'{text}': port must be a number from 1 to 65535";
            return false;
        }
        if (host != "localhost" && host != "*" && !IPAddress.TryParse(host, out _))
        {
            error = $"'{text}': '{host}' is not an IP address";
            return false;
        }
        address = new ListenAddress(host, number);
        return true;
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
