using Visibility.Cli.Metrics;

namespace Visibility.Integration.Tests.Units;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:9580", "127.0.0.1", 9580, "127.0.0.1")]
    [InlineData("9581", "127.0.0.1", 9581, "127.0.0.1")]
    [InlineData(":9582", "127.0.0.1", 9582, "127.0.0.1")]
    [InlineData("0.0.0.0:9580", "0.0.0.0", 9580, "+")]
    [InlineData("[::1]:9580", "::1", 9580, "[::1]")]
    [InlineData("[::]:9580", "::", 9580, "+")]
    [InlineData("localhost:1", "localhost", 1, "localhost")]
    public void ListenAddress_Valid_Parses(string text, string host, int port, string listenerHost)
    {
        Assert.True(ListenAddress.TryParse(text, out ListenAddress address, out string error), error);
        Assert.Equal(host, address.Host);
        Assert.Equal(port, address.Port);
        Assert.Equal(listenerHost, address.ListenerHost);
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("::1:9580")]
    [InlineData("[::1]9580")]
    [InlineData("example.org:9580")]
    public void ListenAddress_Invalid_FailsWithReason(string text)
    {
        Assert.False(ListenAddress.TryParse(text, out _, out string error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void ListenAddress_ToString_BracketsIPv6()
    {
        Assert.Equal("[::1]:9580", new ListenAddress("::1", 9580).ToString());
        Assert.Equal("127.0.0.1:9580", ListenAddress.Default.ToString());
    }
}
