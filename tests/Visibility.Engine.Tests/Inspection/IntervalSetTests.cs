using FsCheck;
using FsCheck.Fluent;
using Visibility.Engine.Inspection.Conditions;

namespace Visibility.Engine.Tests.Inspection;

/// <summary>The range sets that address and port specifications compile to.</summary>
public sealed class IntervalSetTests
{
    [Fact]
    public void Union_AdjacentAndOverlapping_Merged()
    {
        IntervalSet<ushort> set = IntervalSet<ushort>.Range(1, 5).Union(IntervalSet<ushort>.Range(6, 9)).Union(IntervalSet<ushort>.Range(3, 4));
        Assert.Equal(1, set.RangeCount);
        Assert.Equal((1, 9), ((int)set.RangeStart(0), (int)set.RangeEnd(0)));
    }

    [Fact]
    public void Complement_Edges_CoverWholeDomain()
    {
        Assert.True(IntervalSet<ushort>.Empty.Complement().IsAll);
        Assert.True(IntervalSet<ushort>.All.Complement().IsEmpty);
        IntervalSet<ushort> edges = IntervalSet<ushort>.Range(0, 0).Union(IntervalSet<ushort>.Range(65535, 65535)).Complement();
        Assert.False(edges.Contains(0));
        Assert.True(edges.Contains(1));
        Assert.True(edges.Contains(65534));
        Assert.False(edges.Contains(65535));
    }

    [Fact]
    public void CountUpTo_Saturates()
    {
        Assert.Equal(3, IntervalSet<ushort>.Range(10, 12).CountUpTo(65));
        Assert.Equal(65, IntervalSet<ushort>.Range(10, 1000).CountUpTo(65));
        Assert.Equal(65, IntervalSet<UInt128>.All.CountUpTo(65));
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property SetOperations_AgreeWithBooleanLogic() =>
        Prop.ForAll(Arb.From(Ranges()), Arb.From(Ranges()), Arb.From(Gen.Choose(0, 255)), (a, b, value) =>
        {
            IntervalSet<byte> x = Build(a);
            IntervalSet<byte> y = Build(b);
            bool inX = a.Any(r => value >= r.Item1 && value <= r.Item2);
            bool inY = b.Any(r => value >= r.Item1 && value <= r.Item2);
            var v = (byte)value;
            return x.Contains(v) == inX
                && x.Union(y).Contains(v) == (inX || inY)
                && x.Subtract(y).Contains(v) == (inX && !inY)
                && x.Intersect(y).Contains(v) == (inX && inY)
                && x.Complement().Contains(v) == !inX;
        });

    private static Gen<(int, int)[]> Ranges() =>
        Gen.ArrayOf(from a in Gen.Choose(0, 255) from b in Gen.Choose(0, 255) select (Math.Min(a, b), Math.Max(a, b)));

    private static IntervalSet<byte> Build((int, int)[] ranges)
    {
        IntervalSet<byte> set = IntervalSet<byte>.Empty;
        foreach ((int a, int b) in ranges)
        {
            set = set.Union(IntervalSet<byte>.Range((byte)a, (byte)b));
        }
        return set;
    }
}
