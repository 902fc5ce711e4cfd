using System.Text;
using FsCheck.Xunit;
using Visibility.Plugins.Example;

namespace Visibility.Plugins.Tests;

public sealed class HttpBasicCredentialsTests
{
    // base64("alice:Winter2024!"), the credentials of the rules corpus capture.
    private const string Alice = "YWxpY2U6V2ludGVyMjAyNCE=";

    private static bool Has(string request, string header = "Authorization") =>
        HttpBasicCredentials.Has(Encoding.Latin1.GetBytes(request), Encoding.ASCII.GetBytes(header));

    [Fact]
    [Trait("rfc", "7617-2")]
    public void Has_UserAndPassword_True() =>
        Assert.True(Has($"GET /admin HTTP/1.1\r\nHost: intranet.example\r\nAuthorization: Basic {Alice}\r\n\r\n"));

    [Fact]
    [Trait("rfc", "9110-5.1")]
    public void Has_HeaderAndSchemeInOtherCase_True() =>
        Assert.True(Has($"POST /login HTTP/1.0\r\nauthorization:\tbasic   {Alice}  \r\n\r\n"));

    [Theory]
    [InlineData("YWxpY2U6")] // "alice:": empty password
    [InlineData("OlNlY3JldA==")] // ":Secret": empty user-id
    [InlineData("YWxpY2U=")] // "alice": no colon
    [InlineData("Og==")] // ":"
    [InlineData("not*base64")]
    public void Has_UnusableToken_False(string token) =>
        Assert.False(Has($"GET / HTTP/1.1\r\nAuthorization: Basic {token}\r\n\r\n"));

    [Fact]
    public void Has_OtherScheme_False() =>
        Assert.False(Has($"GET / HTTP/1.1\r\nAuthorization: Bearer {Alice}\r\n\r\n"));

    [Fact]
    public void Has_SchemeWithoutToken_False() =>
        Assert.False(Has("GET / HTTP/1.1\r\nAuthorization: Basic\r\n\r\n"));

    [Fact]
    public void Has_ProxyHeaderWhenAskedForAuthorization_False() =>
        Assert.False(Has($"GET http://a/ HTTP/1.1\r\nProxy-Authorization: Basic {Alice}\r\n\r\n"));

    [Fact]
    public void Has_ProxyHeaderWhenAskedForIt_True() =>
        Assert.True(Has($"GET http://a/ HTTP/1.1\r\nProxy-Authorization: Basic {Alice}\r\n\r\n", "Proxy-Authorization"));

    [Fact]
    public void Has_HeaderInBody_False() =>
        Assert.False(Has($"POST / HTTP/1.1\r\nContent-Length: 45\r\n\r\nAuthorization: Basic {Alice}\r\n"));

    [Fact]
    public void Has_HeaderCutBySegmentEnd_False() =>
        Assert.False(Has($"GET / HTTP/1.1\r\nAuthorization: Basic {Alice}"));

    [Fact]
    public void Has_Response_False() =>
        Assert.False(Has($"HTTP/1.1 200 OK\r\nAuthorization: Basic {Alice}\r\n\r\n"));

    [Fact]
    public void Has_TokenLongerThanTheLimit_False()
    {
        string token = Convert.ToBase64String(Encoding.ASCII.GetBytes("u:" + new string('p', HttpBasicCredentials.MaxTokenLength)));
        Assert.False(Has($"GET / HTTP/1.1\r\nAuthorization: Basic {token}\r\n\r\n"));
    }

    [Fact]
    public void Has_EveryPrefixOfARequest_DoesNotThrow()
    {
        byte[] request = Encoding.ASCII.GetBytes($"GET /admin HTTP/1.1\r\nAuthorization: Basic {Alice}\r\nProxy-Authorization: Basic {Alice}\r\n\r\n");
        for (int n = 0; n <= request.Length; n++)
        {
            _ = HttpBasicCredentials.Has(request.AsSpan(0, n), "Authorization"u8);
            _ = HttpBasicCredentials.Has(request.AsSpan(0, n), "Proxy-Authorization"u8);
        }
    }

    [Property]
    public void Has_RandomRequestWithBasicHeader_NeverThrows(string token) =>
        _ = Has($"GET / HTTP/1.1\r\nAuthorization: Basic {token}\r\n\r\n");

    [Property]
    public void Has_RandomBytes_NeverThrows(byte[] payload) =>
        _ = HttpBasicCredentials.Has(payload ?? [], "Authorization"u8);
}
