using FsCheck.Xunit;
using Visibility.Engine.Esp;

namespace Visibility.Engine.Tests.Esp;

public sealed class NextHeaderSetTests
{
    [Fact]
    public void Add_ValuesInEveryWord_CopiedAscending()
    {
        NextHeaderSet set = default(NextHeaderSet).Add(255).Add(6).Add(59).Add(132).Add(0).Add(64).Add(6);
        Span<byte> buffer = stackalloc byte[8];

        int written = set.CopyTo(buffer);

        Assert.Equal(6, set.Count);
        Assert.Equal(new byte[] { 0, 6, 59, 64, 132, 255 }, buffer[..written].ToArray());
        Assert.True(set.Contains(132));
        Assert.False(set.Contains(17));
    }

    [Fact]
    public void CopyTo_ShortDestination_WritesWhatFits()
    {
        NextHeaderSet set = default(NextHeaderSet).Add(1).Add(2).Add(3);
        Span<byte> buffer = stackalloc byte[2];

        Assert.Equal(2, set.CopyTo(buffer));
        Assert.Equal(new byte[] { 1, 2 }, buffer.ToArray());
    }

    [Property]
    public void Union_ContainsBoth(byte[] left, byte[] right)
    {
        NextHeaderSet a = default, b = default;
        foreach (byte value in left ?? [])
        {
            a = a.Add(value);
        }
        foreach (byte value in right ?? [])
        {
            b = b.Add(value);
        }

        NextHeaderSet union = a.Union(b);

        Assert.All((left ?? []).Concat(right ?? []), value => Assert.True(union.Contains(value)));
        Assert.Equal((left ?? []).Concat(right ?? []).Distinct().Count(), union.Count);
        Assert.Equal(a.Union(b), b.Union(a));
    }
}
