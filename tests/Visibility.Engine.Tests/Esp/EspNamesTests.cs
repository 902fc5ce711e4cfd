using Visibility.Engine.Esp;

namespace Visibility.Engine.Tests.Esp;

public sealed class EspNamesTests
{
    [Theory]
    [InlineData(EspSaVerdict.Unknown, "unknown")]
    [InlineData(EspSaVerdict.Probing, "unknown")]
    [InlineData(EspSaVerdict.Unsure, "unknown")]
    [InlineData(EspSaVerdict.Null, "null")]
    [InlineData(EspSaVerdict.Encrypted, "encrypted")]
    public void Verdict_EveNames(EspSaVerdict verdict, string name) => Assert.Equal(name, EspNames.Verdict(verdict));

    [Theory]
    [InlineData(EspMode.None, null)]
    [InlineData(EspMode.Transport, "transport")]
    [InlineData(EspMode.Tunnel, "tunnel")]
    public void Mode_EveNames(EspMode mode, string? name) => Assert.Equal(name, EspNames.Mode(mode));

    [Fact]
    public void Reason_EveryValueHasADistinctSnakeCaseName()
    {
        EspVerdictReason[] reasons = Enum.GetValues<EspVerdictReason>();
        string[] names = [.. reasons.Select(EspNames.Reason)];

        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.All(names, name => Assert.Matches("^[a-z]+(_[a-z]+)*$", name));
        Assert.Equal("null_confirmed", EspNames.Reason(EspVerdictReason.NullConfirmed));
        Assert.Equal("encrypted_no_fit", EspNames.Reason(EspVerdictReason.EncryptedNoFit));
    }
}
