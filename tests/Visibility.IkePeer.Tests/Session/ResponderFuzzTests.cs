using FsCheck;
using FsCheck.Fluent;
using Visibility.IkePeer.Session;

namespace Visibility.IkePeer.Tests.Session;

/// <summary>Fuzzing the responder's message handling (FsCheck): datagrams made from the real ones it received, with bytes
/// changed, cut or added, and random ones of every kind, never make a handler throw and never change an established SA.</summary>
public sealed class ResponderFuzzTests : IClassFixture<ResponderFuzzFixture>
{
    private readonly ResponderFuzzFixture _fixture;

    public ResponderFuzzTests(ResponderFuzzFixture fixture) => _fixture = fixture;

    private static Gen<(int Position, byte Value)[]> Edits() =>
        Gen.ArrayOf(Gen.Zip(Gen.Choose(0, 4096), Gen.Choose(0, 255).Select(v => (byte)v))).Where(e => e.Length is > 0 and < 8);

    [Fact]
    public void Samples_CoverEveryExchangeAndWesp()
    {
        var kinds = _fixture.Samples.Select(d => d.Kind).ToHashSet();
        Assert.Contains(DatagramKind.Ike, kinds);
        Assert.Contains(DatagramKind.Wesp, kinds);
        Assert.Contains(_fixture.Samples, d => d.Kind == DatagramKind.Ike && d.Data[18] == 36);    // CREATE_CHILD_SA
        Assert.Contains(_fixture.Samples, d => d.Kind == DatagramKind.Ike && d.Data[18] == 37);    // INFORMATIONAL
    }

    [FsCheck.Xunit.Property(MaxTest = 400)]
    public Property Receive_MutatedRealDatagram_NoThrowNoSaChange() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, 1000)), Arb.From(Edits()), Arb.From(Gen.Choose(-1, 3)), (index, edits, cut) =>
        {
            var sample = _fixture.Samples[index % _fixture.Samples.Count];
            var data = (byte[])sample.Data.Clone();
            foreach (var (position, value) in edits)
            {
                data[position % data.Length] ^= (byte)(value | 1);
            }

            // -1 keeps the length; 0..3 cut or extend the datagram.
            data = cut switch
            {
                0 => data[..(edits[0].Position % data.Length)],
                1 => [.. data, .. edits.Select(e => e.Value)],
                _ => data,
            };
            return ReceiveChangesNothing(sample with { Data = data });
        });

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Receive_RandomDatagramOfAnyKind_NoThrowNoSaChange() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, 3)), Arb.From(Gen.ArrayOf(Gen.Choose(0, 255).Select(v => (byte)v))), Arb.From(Gen.Elements(true, false)), (kind, data, natTraversal) =>
        {
            var template = _fixture.Samples[0];
            return ReceiveChangesNothing(template with { Kind = (DatagramKind)(kind == 3 ? 4 : kind), Data = data, NatTraversal = natTraversal });
        });

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property Receive_RealIkeHeaderRandomBody_NoThrowNoSaChange() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, 1000)), Arb.From(Gen.ArrayOf(Gen.Choose(0, 255).Select(v => (byte)v))), (index, body) =>
        {
            var ike = _fixture.Samples.Where(d => d.Kind == DatagramKind.Ike).ToList();
            var sample = ike[index % ike.Count];
            byte[] data = [.. sample.Data.AsSpan(0, 28), .. body];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(24), (uint)data.Length);
            return ReceiveChangesNothing(sample with { Data = data });
        });

    [Fact]
    public async Task AfterFuzzing_SaStillWorks()
    {
        var random = new Random(7);
        foreach (var sample in _fixture.Samples)
        {
            for (var i = 0; i < 20; i++)
            {
                var data = (byte[])sample.Data.Clone();
                data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                Assert.True(ReceiveChangesNothing(sample with { Data = data }));
            }
        }

        Assert.True(await _fixture.Pair.Initiator.CheckLivenessAsync(_fixture.Session, LoopbackPair.Timeout));
        Assert.Equal(2, await _fixture.Pair.Initiator.PingAsync(_fixture.Session, 2, LoopbackPair.Timeout));
    }

    /// <summary>Hands the datagram to the responder: true when nothing threw and no established SA changed.</summary>
    private bool ReceiveChangesNothing(Datagram datagram)
    {
        var before = _fixture.Snapshot();
        try
        {
            _fixture.Pair.Responder.Receive(datagram);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{datagram.Kind} {Convert.ToHexString(datagram.Data)} threw", e);
        }

        var after = _fixture.Snapshot();
        if (before != after)
        {
            throw new InvalidOperationException($"{datagram.Kind} {Convert.ToHexString(datagram.Data)} changed\n{before}\n---\n{after}");
        }

        return true;
    }
}
