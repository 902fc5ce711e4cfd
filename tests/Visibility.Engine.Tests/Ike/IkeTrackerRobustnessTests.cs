using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Visibility.Engine.Events;
using Visibility.Engine.Ike;
using Visibility.Engine.Tests.Ike.Support;
using Visibility.Wire;
using Visibility.Wire.Ike;
using Visibility.Wire.Tests.Ike.Support;

namespace Visibility.Engine.Tests.Ike;

/// <summary>Malformed IKE is data: every prefix and every extreme octet of every sample message, random bytes, random
/// inner chains that decrypt, and random message orders go through <see cref="IkeTracker.Process"/> without throwing
/// and keep its books straight; and a message costs no allocation once the pools are warm.</summary>
public sealed class IkeTrackerRobustnessTests
{
    private static void Feed(IkeTracker tracker, byte[] message, bool byInitiator, long now, long frame)
    {
        var meta = new PacketMeta
        {
            IPVersion = 4,
            Source = byInitiator ? IkeHarness.InitiatorHost : IkeHarness.ResponderHost,
            Destination = byInitiator ? IkeHarness.ResponderHost : IkeHarness.InitiatorHost,
            SourcePort = 4500,
            DestinationPort = 4500,
            Protocol = IPProtocol.Udp,
            Kind = PayloadKind.Ike,
            NetworkComplete = true,
        };
        tracker.Expire(now);
        var packet = new PacketContext(message, in meta, now, frame, null);
        tracker.Process(in packet, message);
    }

    private static void AssertBooks(IkeTracker tracker)
    {
        Assert.Equal(tracker.Counters.SasCreated - tracker.Counters.SasEnded, tracker.Count);
        Assert.True(tracker.Count <= tracker.Options.Capacity);
        long inStates = Enum.GetValues<IkeSaState>().Sum(s => tracker.Counters.SasInState(s));
        Assert.Equal(tracker.Count, inStates);
    }

    [Fact]
    public void Conversation_AsBuilt_EveryMessageRecordedAndDecrypted()
    {
        var h = new IkeHarness(IkeSamples.KeyedOptions());
        IReadOnlyList<(byte[] Message, bool ByInitiator)> conversation = IkeSamples.Conversation();
        foreach ((byte[] message, bool byInitiator) in conversation)
        {
            h.Send(message, byInitiator);
        }
        Assert.Equal(conversation.Count, h.Sink.Messages.Count);
        Assert.Empty(h.Sink.Anomalies);
        Assert.All(h.Sink.Messages.Where(m => m.Payloads.Contains(IkePayloadType.Encrypted)), m => Assert.True(m.Decrypted));
        h.Finish();
        IkeSaSnapshot sa = h.Sa(IkeSamples.Sa.InitiatorSpi);
        Assert.True(sa.EapOnly);
        Assert.True(sa.Wesp);
        Assert.Equal(IkeSaState.Rekeyed, sa.State);
        Assert.Equal(2, sa.Children.Length);
        Assert.Equal(0xE1E1E1E1u, sa.Children[1].InitiatorSpi);
        IkeSaSnapshot successor = h.Sa(IkeSamples.Successor.InitiatorSpi);
        Assert.Equal(IkeSaState.Redirected, successor.State);
        Assert.True(successor.PeerLostState);
        Assert.Equal(2, successor.Children.Length);
    }

    [Fact]
    public void Process_EveryPrefixOfEverySample_NeverThrowsAndBooksBalance()
    {
        var tracker = new IkeTracker(IkeSamples.KeyedOptions(), NullEventSink.Instance, new EngineCounters());
        long now = 1_700_000_000L * 1_000_000_000;
        int prefixes = 0;
        foreach ((byte[] message, bool byInitiator) in IkeSamples.Conversation())
        {
            for (int length = 0; length <= message.Length; length++)
            {
                Feed(tracker, message[..length], byInitiator, now += 1000, ++prefixes);
            }
        }
        Assert.True(prefixes > 3_000, $"only {prefixes} prefixes");
        Assert.True(tracker.Counters.Messages == prefixes);
        AssertBooks(tracker);
        tracker.Finish();
        Assert.Equal(0, tracker.Count);
    }

    [Fact]
    public void Process_EveryOctetSetToExtremes_NeverThrows()
    {
        var tracker = new IkeTracker(IkeSamples.KeyedOptions() with { Capacity = 64 }, NullEventSink.Instance, new EngineCounters());
        long now = 1_700_000_000L * 1_000_000_000;
        long frame = 0;
        foreach ((byte[] message, bool byInitiator) in IkeSamples.Conversation())
        {
            byte[] copy = (byte[])message.Clone();
            for (int i = 0; i < copy.Length; i++)
            {
                byte original = copy[i];
                foreach (byte value in (byte[])[0x00, 0xFF, 0x80, 0x2E])
                {
                    copy[i] = value;
                    Feed(tracker, copy, byInitiator, now += 1000, ++frame);
                }
                copy[i] = original;
            }
        }
        AssertBooks(tracker);
    }

    [Property(MaxTest = 2000)]
    public void Process_RandomBytes_NeverThrows(byte[] bytes, bool byInitiator)
    {
        var tracker = new IkeTracker(new IkeTrackerOptions(), NullEventSink.Instance, new EngineCounters());
        Feed(tracker, bytes ?? [], byInitiator, 1, 1);
        AssertBooks(tracker);
    }

    [Property(MaxTest = 1000)]
    public void Process_RandomClearPayloadsBehindValidHeader_NeverThrows(byte[] payloads, byte firstPayload, byte exchange, byte flags)
    {
        payloads ??= [];
        byte[] message = new IkeMessageBuilder { ExchangeType = exchange, Flags = flags, ResponderSpi = 7 }.Add(firstPayload, payloads).Build();
        var tracker = new IkeTracker(new IkeTrackerOptions(), NullEventSink.Instance, new EngineCounters());
        Feed(tracker, message, true, 1, 1);
        AssertBooks(tracker);
    }

    /// <summary>Random octets as the inner chain of an SK payload that verifies and decrypts: the inner walk must cope.</summary>
    [Property(MaxTest = 1000)]
    public void Process_RandomInnerChainThatDecrypts_NeverThrows(byte[] inner, byte firstInner, byte exchange, bool response)
    {
        inner ??= [];
        IkeConversation c = IkeSamples.Sa;
        int pad = (16 - ((inner.Length + 1) % 16)) % 16;
        byte[] message = IkeSkTestEncryptor.Protect(new IkeSkTestEncryptor.Parameters
        {
            InitiatorSpi = c.InitiatorSpi,
            ResponderSpi = c.ResponderSpi,
            ExchangeType = exchange,
            Flags = (byte)(0x08 | (response ? 0x20 : 0)),
            MessageId = 1,
            Encryption = EncryptionAlgorithm.AesCbc,
            EncryptionKey = c.SkEi,
            Integrity = IntegrityAlgorithm.HmacSha2_256_128,
            IntegrityKey = c.SkAi,
            PadLength = (byte)pad,
        }, (IkePayloadType)firstInner, inner);
        var sink = new IkeRecordingSink();
        var tracker = new IkeTracker(IkeSamples.KeyedOptions(), sink, new EngineCounters());
        Feed(tracker, message, true, 1, 1);
        Assert.True(Assert.Single(sink.Messages).Decrypted);
        AssertBooks(tracker);
    }

    [Property(MaxTest = 300)]
    public Property Process_SamplesInRandomOrderAndTimes_BooksBalance() =>
        Prop.ForAll(Gen.ListOf(Gen.Choose(0, 1000)).ToArbitrary(), picks =>
        {
            IReadOnlyList<(byte[] Message, bool ByInitiator)> samples = IkeSamples.Conversation();
            var tracker = new IkeTracker(IkeSamples.KeyedOptions() with { Capacity = 3, HalfOpenTimeout = TimeSpan.FromSeconds(1) },
                NullEventSink.Instance, new EngineCounters());
            long now = 1_700_000_000L * 1_000_000_000;
            long frame = 0;
            foreach (int pick in picks)
            {
                (byte[] message, bool byInitiator) = samples[pick % samples.Count];
                now += (pick % 7) * 400_000_000L;
                Feed(tracker, message, byInitiator, now, ++frame);
            }
            AssertBooks(tracker);
            tracker.Finish();
            return tracker.Count == 0;
        });

    [Fact]
    public void SteadyState_WholeConversationWithKeys_AllocatesNothing()
    {
        var tracker = new IkeTracker(IkeSamples.KeyedOptions(), NullEventSink.Instance, new EngineCounters());
        IReadOnlyList<(byte[] Message, bool ByInitiator)> conversation = IkeSamples.Conversation();
        (byte[] Message, bool ByInitiator)[] messages = [.. conversation];
        long now = 1_700_000_000L * 1_000_000_000;
        for (int warm = 0; warm < 3; warm++)
        {
            Replay();
            tracker.Finish();
            tracker.Reset();
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        Replay();
        tracker.Finish();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(conversation.Count, tracker.Counters.Messages);
        Assert.True(tracker.Counters.Decrypted > 10);
        Assert.Equal(0, allocated);

        void Replay()
        {
            long frame = 0;
            // An array, not the list's interface enumerator, which would allocate in the measured window.
            foreach ((byte[] message, bool byInitiator) in messages)
            {
                Feed(tracker, message, byInitiator, now += 1_000_000, ++frame);
            }
        }
    }
}
