using System.Security.Cryptography;
using Visibility.Wire.Ike;
using Visibility.Wire.Ike.Keys;
using Visibility.Wire.Tests.Ike.Support;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeSkDecryptorTests
{
    // Inner chain used by the round trips: IDi (FQDN "alice"), N(INITIAL_CONTACT), AUTH (PSK), N(REDIRECT_SUPPORTED).
    private static readonly byte[] s_inner = IkeMessageBuilder.Chain(
    [
        (35, [0x02, 0x00, 0x00, 0x00, .. "alice"u8]),
        (41, [0x00, 0x00, 0x40, 0x00]),
        (39, [0x02, 0x00, 0x00, 0x00, .. Enumerable.Repeat((byte)0x33, 32)]),
        (41, [0x00, 0x00, 0x40, 0x16]),
    ]);

    public static TheoryData<EncryptionAlgorithm, int, IntegrityAlgorithm, int> Suites() => new()
    {
        { EncryptionAlgorithm.AesGcm8, 16, IntegrityAlgorithm.None, 0 },
        { EncryptionAlgorithm.AesGcm12, 24, IntegrityAlgorithm.None, 0 },
        { EncryptionAlgorithm.AesGcm16, 32, IntegrityAlgorithm.None, 0 },
        { EncryptionAlgorithm.AesGcm16, 16, IntegrityAlgorithm.None, 0 },
        { EncryptionAlgorithm.AesCtr, 16, IntegrityAlgorithm.HmacSha2_256_128, 32 },
        { EncryptionAlgorithm.AesCtr, 24, IntegrityAlgorithm.HmacSha1_96, 20 },
        { EncryptionAlgorithm.AesCtr, 32, IntegrityAlgorithm.HmacSha2_512_256, 64 },
        { EncryptionAlgorithm.AesCbc, 16, IntegrityAlgorithm.HmacSha1_96, 20 },
        { EncryptionAlgorithm.AesCbc, 24, IntegrityAlgorithm.HmacSha2_384_192, 48 },
        { EncryptionAlgorithm.AesCbc, 32, IntegrityAlgorithm.HmacSha2_256_128, 32 },
        { EncryptionAlgorithm.AesCbc, 16, IntegrityAlgorithm.HmacMd5_96, 16 },
        { EncryptionAlgorithm.EncrNull, 0, IntegrityAlgorithm.HmacSha2_256_128, 32 },
    };

    [Theory]
    [MemberData(nameof(Suites))]
    [Trait("rfc", "7296-3.14")]
    public void Decrypt_RoundTrip_RecoversInnerChain(EncryptionAlgorithm encryption, int keyLength, IntegrityAlgorithm integrity, int integrityKeyLength)
    {
        int salt = encryption is EncryptionAlgorithm.AesCbc or EncryptionAlgorithm.EncrNull ? 0 : 4;
        byte[] encryptionKey = IkeSkTestEncryptor.Key(keyLength + salt, 0x10);
        byte[] integrityKey = IkeSkTestEncryptor.Key(integrityKeyLength, 0x77);
        byte padLength = encryption == EncryptionAlgorithm.AesCbc ? (byte)(15 - (s_inner.Length % 16)) : (byte)2;
        byte[] message = IkeSkTestEncryptor.Protect(
            new IkeSkTestEncryptor.Parameters { Encryption = encryption, EncryptionKey = encryptionKey, Integrity = integrity, IntegrityKey = integrityKey, PadLength = padLength },
            IkePayloadType.IdentificationInitiator, s_inner);
        using var decryptor = new IkeSkDecryptor(encryption, encryptionKey, integrity, integrityKey);
        byte[] plaintext = new byte[message.Length];
        IkeDecryptResult result = decryptor.Decrypt(message, IkePayloadType.Encrypted, 28, plaintext);
        Assert.Equal(IkeDecryptStatus.Ok, result.Status);
        Assert.True(result.IntegrityChecked);
        Assert.True(result.Succeeded);
        Assert.Equal(IkePayloadType.IdentificationInitiator, result.FirstPayload);
        Assert.Equal(padLength, result.PadLength);
        Assert.Equal(s_inner, plaintext[..result.PayloadsLength]);
        Assert.Equal(s_inner.Length + padLength + 1, result.PlaintextLength);
        Assert.Equal(keyLength * 8, decryptor.KeyLength);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    [Trait("rfc", "7296-3.14")]
    public void Decrypt_OneBitFlipped_IntegrityFailed(EncryptionAlgorithm encryption, int keyLength, IntegrityAlgorithm integrity, int integrityKeyLength)
    {
        int salt = encryption is EncryptionAlgorithm.AesCbc or EncryptionAlgorithm.EncrNull ? 0 : 4;
        byte[] encryptionKey = IkeSkTestEncryptor.Key(keyLength + salt, 0x21);
        byte[] integrityKey = IkeSkTestEncryptor.Key(integrityKeyLength, 0x42);
        byte padLength = encryption == EncryptionAlgorithm.AesCbc ? (byte)(15 - (s_inner.Length % 16)) : (byte)0;
        byte[] message = IkeSkTestEncryptor.Protect(
            new IkeSkTestEncryptor.Parameters { Encryption = encryption, EncryptionKey = encryptionKey, Integrity = integrity, IntegrityKey = integrityKey, PadLength = padLength },
            IkePayloadType.IdentificationInitiator, s_inner);
        using var decryptor = new IkeSkDecryptor(encryption, encryptionKey, integrity, integrityKey);
        byte[] plaintext = new byte[message.Length];
        // A header octet (associated data / MAC input), a ciphertext octet and the last ICV octet.
        foreach (int position in (int[])[20, message.Length / 2, message.Length - 1])
        {
            byte[] tampered = (byte[])message.Clone();
            tampered[position] ^= 0x01;
            Assert.Equal(IkeDecryptStatus.IntegrityFailed, decryptor.Decrypt(tampered, IkePayloadType.Encrypted, 28, plaintext).Status);
        }
    }

    [Theory]
    [InlineData(EncryptionAlgorithm.AesGcm16, IntegrityAlgorithm.None)]
    [InlineData(EncryptionAlgorithm.AesCbc, IntegrityAlgorithm.HmacSha2_256_128)]
    [Trait("rfc", "7383-2.5")]
    public void Decrypt_SkfFragments_EachDecryptsAndChainsJoin(EncryptionAlgorithm encryption, IntegrityAlgorithm integrity)
    {
        byte[] encryptionKey = IkeSkTestEncryptor.Key(encryption == EncryptionAlgorithm.AesGcm16 ? 20 : 16, 0x05);
        byte[] integrityKey = IkeSkTestEncryptor.Key(integrity == IntegrityAlgorithm.None ? 0 : 32, 0x06);
        int cut = 21;
        byte[][] chunks = [s_inner[..cut], s_inner[cut..]];
        using var decryptor = new IkeSkDecryptor(encryption, encryptionKey, integrity, integrityKey);
        var joined = new List<byte>();
        for (int i = 0; i < 2; i++)
        {
            byte pad = encryption == EncryptionAlgorithm.AesCbc ? (byte)(15 - (chunks[i].Length % 16)) : (byte)0;
            byte[] fragment = IkeSkTestEncryptor.Protect(
                new IkeSkTestEncryptor.Parameters
                {
                    Encryption = encryption, EncryptionKey = encryptionKey, Integrity = integrity, IntegrityKey = integrityKey,
                    PadLength = pad, Fragment = ((ushort)(i + 1), 2), MessageId = 1,
                },
                i == 0 ? IkePayloadType.IdentificationInitiator : IkePayloadType.None, chunks[i]);
            Assert.True(IkeMessageSummary.TryRead(fragment, out IkeMessageSummary summary));
            Assert.Equal(i + 1, summary.Payloads.FragmentNumber);
            byte[] plaintext = new byte[fragment.Length];
            IkeDecryptResult result = decryptor.Decrypt(fragment, IkePayloadType.EncryptedFragment, summary.Payloads.EncryptedOffset, plaintext);
            Assert.Equal(IkeDecryptStatus.Ok, result.Status);
            Assert.True(result.IsFragment);
            Assert.Equal(i + 1, result.FragmentNumber);
            Assert.Equal(2, result.TotalFragments);
            Assert.Equal(i == 0 ? IkePayloadType.IdentificationInitiator : IkePayloadType.None, result.FirstPayload);
            joined.AddRange(plaintext[..result.PayloadsLength]);

            // The fragment fields are associated data (AEAD) or MAC input: changing Total Fragments breaks the ICV.
            fragment[summary.Payloads.EncryptedOffset + 7] ^= 0x04;
            Assert.Equal(IkeDecryptStatus.IntegrityFailed, decryptor.Decrypt(fragment, IkePayloadType.EncryptedFragment, summary.Payloads.EncryptedOffset, plaintext).Status);
        }
        Assert.Equal(s_inner, joined.ToArray());
    }

    [Fact]
    [Trait("rfc", "7296-3.14")]
    public void Decrypt_Ikev2pI2_IntegrityFailsButDecryptsIdiAndAuth()
    {
        // The capture's ICV does not verify with either SK_a (tshark agrees: "[incorrect]"); the content decrypts.
        IkeKeyTableEntry keys = WiresharkKeyFiles.LoadIkev2DecryptionTable(RepositoryPaths.IkeOracle("ikev2pI2_decryption_table")).Single();
        IkeDatagram auth = IkeFrameExtractor.FromCapture(RepositoryPaths.PublicCapture("tcpdump__tests__ikev2pI2.pcap"), out _).Single(d => d.FrameNumber == 2);
        IkeOracleDecryption oracle = IkeOracleRecord.Load("tcpdump__tests__ikev2pI2.pcap.oracle.jsonl").Single(r => r.Frame == 2).Decrypted!;
        using IkeSaDecryptor sa = IkeSaDecryptor.FromKeyTableEntry(keys);
        byte[] plaintext = new byte[auth.Message.Length];
        IkeDecryptResult result = sa.Decrypt(auth.Message, plaintext);
        Assert.Equal("incorrect", oracle.Icd);
        Assert.Equal(IkeDecryptStatus.IntegrityFailed, result.Status);
        Assert.True(result.IntegrityChecked);
        Assert.Equal(oracle.PadLength, result.PadLength);
        Assert.Equal(224, result.PlaintextLength);
        IkePayloadSummary.Read(plaintext.AsSpan(0, result.PayloadsLength), 0, result.FirstPayload, out IkePayloadSummary inner);
        Assert.Equal(DecodeAnomaly.None, inner.Anomaly);
        Assert.Equal(oracle.Payloads, inner.PayloadTypes.ToArray().Select(t => (int)t).ToArray());
        IkePayloadReader reader = IkePayloadReader.ForChain(plaintext.AsSpan(0, result.PayloadsLength), result.FirstPayload);
        Assert.True(reader.TryReadNext(out IkePayload idi));
        Assert.True(IkeIdentificationPayload.TryRead(idi.Body, out IkeIdentificationPayload id));
        Assert.Equal(IdType.Fqdn, id.IdType);
        Assert.Equal("west"u8.ToArray(), id.Data.ToArray());
        Assert.True(reader.TryReadNext(out IkePayload authPayload));
        Assert.True(IkeAuthenticationPayload.TryRead(authPayload.Body, out IkeAuthenticationPayload rsa));
        Assert.Equal(AuthMethod.RsaDigitalSignature, rsa.AuthMethod);
    }

    [Fact]
    public void Decrypt_VectorsCheckedByTshark_SameVerdictAndInnerPayloads()
    {
        Dictionary<(ulong, ulong), IkeSaDecryptor> sas = WiresharkKeyFiles
            .LoadIkev2DecryptionTable(RepositoryPaths.IkeOracle(Path.Combine("vectors", "ikev2_decryption_table")))
            .ToDictionary(e => (e.InitiatorSpi, e.ResponderSpi), IkeSaDecryptor.FromKeyTableEntry);
        Dictionary<int, IkeOracleRecord> oracle = IkeOracleRecord.Load("ikev2-sk-vectors.pcap.oracle.jsonl").ToDictionary(r => r.Frame);
        Dictionary<int, IkeVectorExpectation> plain = IkeVectorExpectation.Load().ToDictionary(v => v.Frame);
        List<IkeDatagram> datagrams = IkeFrameExtractor.FromCapture(RepositoryPaths.IkeOracle(Path.Combine("vectors", "ikev2-sk-vectors.pcap")), out _);
        Assert.Equal(32, datagrams.Count);
        var pendingFragments = new List<byte>();
        foreach (IkeDatagram datagram in datagrams)
        {
            IkeOracleDecryption tshark = oracle[(int)datagram.FrameNumber].Decrypted!;
            IkeVectorExpectation expected = plain[(int)datagram.FrameNumber];
            Assert.True(IkeMessageSummary.TryRead(datagram.Message, out IkeMessageSummary summary));
            Assert.Equal(DecodeAnomaly.None, summary.Anomaly);
            IkeSaDecryptor sa = sas[(summary.InitiatorSpi, summary.ResponderSpi)];
            byte[] plaintext = new byte[datagram.Message.Length];
            IkeDecryptResult result = sa.Decrypt(datagram.Message, summary, plaintext);
            Assert.Equal("correct", tshark.Icd);
            Assert.True(result.Status == IkeDecryptStatus.Ok, $"frame {datagram.FrameNumber} ({expected.Suite} {expected.What}): {result.Status}");
            Assert.Equal(tshark.PadLength, result.PadLength);
            if (!result.IsFragment)
            {
                IkePayloadSummary.Read(plaintext.AsSpan(0, result.PayloadsLength), 0, result.FirstPayload, out IkePayloadSummary inner);
                Assert.Equal(DecodeAnomaly.None, inner.Anomaly);
                Assert.Equal(tshark.Payloads, inner.PayloadTypes.ToArray().Select(t => (int)t).ToArray());
                Assert.Equal(tshark.Notify, inner.NotifyTypes.ToArray().Select(t => (int)t).ToArray());
                Assert.Equal(expected.InnerPayloads, tshark.Payloads);
                continue;
            }
            pendingFragments.AddRange(plaintext[..result.PayloadsLength]);
            if (result.FragmentNumber == result.TotalFragments)
            {
                IkeVectorExpectation first = plain[(int)datagram.FrameNumber - 1];
                IkePayloadSummary.Read(pendingFragments.ToArray(), 0, IkePayloadType.IdentificationInitiator, out IkePayloadSummary joined);
                Assert.Equal(DecodeAnomaly.None, joined.Anomaly);
                Assert.Equal(first.InnerPayloads, joined.PayloadTypes.ToArray().Select(t => (int)t).ToArray());
                pendingFragments.Clear();
            }
        }
        foreach (IkeSaDecryptor sa in sas.Values)
        {
            sa.Dispose();
        }
    }

    [Fact]
    [Trait("rfc", "5685-5")]
    public void Decrypt_VectorResponse_InnerRedirectWithoutNonce()
    {
        // Frame 2 of the vectors: IKE_AUTH response (I flag clear) whose SK carries REDIRECT to 2001:db8::42.
        IkeKeyTableEntry keys = WiresharkKeyFiles.LoadIkev2DecryptionTable(RepositoryPaths.IkeOracle(Path.Combine("vectors", "ikev2_decryption_table")))[0];
        IkeDatagram response = IkeFrameExtractor.FromCapture(RepositoryPaths.IkeOracle(Path.Combine("vectors", "ikev2-sk-vectors.pcap")), out _)[1];
        using IkeSaDecryptor sa = IkeSaDecryptor.FromKeyTableEntry(keys);
        byte[] plaintext = new byte[response.Message.Length];
        IkeDecryptResult result = sa.Decrypt(response.Message, plaintext);
        Assert.Equal(IkeDecryptStatus.Ok, result.Status);
        IkePayloadSummary.Read(plaintext.AsSpan(0, result.PayloadsLength), 0, result.FirstPayload, out IkePayloadSummary inner);
        Assert.Equal(IkeNotifyType.Redirect, inner.RedirectNotify);
        Assert.Equal(0, inner.RedirectNonceLength);
        Span<char> text = stackalloc char[64];
        Assert.True(inner.TryFormatRedirectGateway(text, out int written));
        Assert.Equal("2001:db8::42", text[..written].ToString());
        using var wrongDirection = new IkeSkDecryptor(keys.Encryption, keys.InitiatorEncryptionKey, IntegrityAlgorithm.None, []);
        Assert.Equal(IkeDecryptStatus.IntegrityFailed, wrongDirection.Decrypt(response.Message, IkePayloadType.Encrypted, 28, plaintext).Status);
    }

    [Fact]
    public void Decrypt_MalformedPayloads_StatusNotException()
    {
        byte[] key = IkeSkTestEncryptor.Key(16, 1);
        byte[] integrityKey = IkeSkTestEncryptor.Key(20, 2);
        using var cbc = new IkeSkDecryptor(EncryptionAlgorithm.AesCbc, key, IntegrityAlgorithm.HmacSha1_96, integrityKey);
        byte[] message = IkeSkTestEncryptor.Protect(
            new IkeSkTestEncryptor.Parameters { Encryption = EncryptionAlgorithm.AesCbc, EncryptionKey = key, Integrity = IntegrityAlgorithm.HmacSha1_96, IntegrityKey = integrityKey, PadLength = (byte)(15 - (s_inner.Length % 16)) },
            IkePayloadType.IdentificationInitiator, s_inner);
        byte[] plaintext = new byte[message.Length];
        Assert.Equal(IkeDecryptStatus.Ok, cbc.Decrypt(message, IkePayloadType.Encrypted, 28, plaintext).Status);
        Assert.Equal(IkeDecryptStatus.Malformed, cbc.Decrypt(message, IkePayloadType.Encrypted, 27, plaintext).Status);
        Assert.Equal(IkeDecryptStatus.Malformed, cbc.Decrypt(message, IkePayloadType.Encrypted, message.Length - 3, plaintext).Status);
        Assert.Equal(IkeDecryptStatus.Malformed, cbc.Decrypt(message[..^1], IkePayloadType.Encrypted, 28, plaintext).Status);
        Assert.Equal(IkeDecryptStatus.NotEncrypted, cbc.Decrypt(message, IkePayloadType.Notify, 28, plaintext).Status);
        Assert.Equal(IkeDecryptStatus.DestinationTooSmall, cbc.Decrypt(message, IkePayloadType.Encrypted, 28, new byte[16]).Status);

        // SK length not a multiple of the block after IV and ICV.
        byte[] misaligned = [.. message[..^12], 0, .. message[^12..]];
        misaligned[28 + 3]++;
        misaligned[27]++;
        Assert.Equal(IkeDecryptStatus.Malformed, cbc.Decrypt(misaligned, IkePayloadType.Encrypted, 28, plaintext).Status);

        // SK too short for IV + one block + ICV.
        byte[] tiny = new IkeMessageBuilder().Add(IkePayloadType.Encrypted, new byte[20]).Build();
        Assert.Equal(IkeDecryptStatus.Malformed, cbc.Decrypt(tiny, IkePayloadType.Encrypted, 28, plaintext).Status);
    }

    [Fact]
    [Trait("rfc", "7296-3.14")]
    public void Decrypt_PadLengthBeyondPlaintext_BadPadding()
    {
        byte[] integrityKey = IkeSkTestEncryptor.Key(32, 9);
        byte[] message = IkeSkTestEncryptor.Protect(
            new IkeSkTestEncryptor.Parameters { Encryption = EncryptionAlgorithm.EncrNull, EncryptionKey = [], Integrity = IntegrityAlgorithm.HmacSha2_256_128, IntegrityKey = integrityKey },
            IkePayloadType.Nonce, [0x00, 0x00, 0x00, 0x08, 1, 2, 3, 4]);
        // Rewrite Pad Length (last octet before the ICV) to 200 and recompute the MAC so only the padding is wrong.
        message[^17] = 200;
        HMACSHA256.HashData(integrityKey, message.AsSpan(0, message.Length - 16)).AsSpan(0, 16).CopyTo(message.AsSpan(message.Length - 16));
        using var decryptor = new IkeSkDecryptor(EncryptionAlgorithm.EncrNull, [], IntegrityAlgorithm.HmacSha2_256_128, integrityKey);
        IkeDecryptResult result = decryptor.Decrypt(message, IkePayloadType.Encrypted, 28, new byte[64]);
        Assert.Equal(IkeDecryptStatus.BadPadding, result.Status);
        Assert.Equal(0, result.PayloadsLength);
        Assert.Equal(200, result.PadLength);
    }

    [Fact]
    public void CreateWithUncheckedIcv_GarbageIcv_OkWithoutCheck()
    {
        byte[] key = IkeSkTestEncryptor.Key(16, 3);
        byte[] integrityKey = IkeSkTestEncryptor.Key(32, 4);
        byte[] message = IkeSkTestEncryptor.Protect(
            new IkeSkTestEncryptor.Parameters { Encryption = EncryptionAlgorithm.AesCbc, EncryptionKey = key, Integrity = IntegrityAlgorithm.HmacSha2_256_128, IntegrityKey = integrityKey, PadLength = (byte)(15 - (s_inner.Length % 16)) },
            IkePayloadType.IdentificationInitiator, s_inner);
        message[^1] ^= 0xFF;
        using IkeSkDecryptor decryptor = IkeSkDecryptor.CreateWithUncheckedIcv(EncryptionAlgorithm.AesCbc, key, 16);
        byte[] plaintext = new byte[message.Length];
        IkeDecryptResult result = decryptor.Decrypt(message, IkePayloadType.Encrypted, 28, plaintext);
        Assert.Equal(IkeDecryptStatus.Ok, result.Status);
        Assert.False(result.IntegrityChecked);
        Assert.False(decryptor.ChecksIntegrity);
        Assert.Equal(s_inner, plaintext[..result.PayloadsLength]);
    }

    [Fact]
    public void Constructor_InvalidKeys_Throw()
    {
        Assert.Throws<ArgumentException>(() => new IkeSkDecryptor(EncryptionAlgorithm.AesCbc, new byte[15], IntegrityAlgorithm.HmacSha1_96, new byte[20]));
        Assert.Throws<ArgumentException>(() => new IkeSkDecryptor(EncryptionAlgorithm.AesGcm16, new byte[16], IntegrityAlgorithm.None, []));
        Assert.Throws<ArgumentException>(() => new IkeSkDecryptor(EncryptionAlgorithm.AesGcm16, new byte[20], IntegrityAlgorithm.HmacSha1_96, new byte[20]));
        Assert.Throws<ArgumentException>(() => new IkeSkDecryptor(EncryptionAlgorithm.AesCbc, new byte[16], IntegrityAlgorithm.HmacSha1_96, new byte[19]));
        Assert.Throws<ArgumentException>(() => new IkeSkDecryptor(EncryptionAlgorithm.EncrNull, new byte[1], IntegrityAlgorithm.HmacSha1_96, new byte[20]));
        Assert.Throws<NotSupportedException>(() => new IkeSkDecryptor(EncryptionAlgorithm.TripleDes, new byte[24], IntegrityAlgorithm.HmacSha1_96, new byte[20]));
        Assert.Throws<NotSupportedException>(() => new IkeSkDecryptor(EncryptionAlgorithm.AesCbc, new byte[16], IntegrityAlgorithm.AesXcbc96, new byte[16]));
        Assert.Throws<NotSupportedException>(() => new IkeSkDecryptor(EncryptionAlgorithm.AesCbc, new byte[16], IntegrityAlgorithm.None, []));
        Assert.Throws<ArgumentException>(() => IkeSkDecryptor.CreateWithUncheckedIcv(EncryptionAlgorithm.AesGcm8, new byte[20], 8));
    }

    [Fact]
    public void Properties_ReflectSuite()
    {
        using var gcm = new IkeSkDecryptor(EncryptionAlgorithm.AesGcm12, new byte[28], IntegrityAlgorithm.None, []);
        Assert.Equal(8, gcm.IvLength);
        Assert.Equal(12, gcm.IcvLength);
        Assert.Equal(1, gcm.BlockSize);
        Assert.Equal(192, gcm.KeyLength);
        Assert.True(gcm.ChecksIntegrity);
        using var cbc = new IkeSkDecryptor(EncryptionAlgorithm.AesCbc, new byte[32], IntegrityAlgorithm.HmacSha2_384_192, new byte[48]);
        Assert.Equal(16, cbc.IvLength);
        Assert.Equal(24, cbc.IcvLength);
        Assert.Equal(16, cbc.BlockSize);
        Assert.True(IkeSkDecryptor.IsSupportedEncryption(EncryptionAlgorithm.AesCtr));
        Assert.False(IkeSkDecryptor.IsSupportedEncryption(EncryptionAlgorithm.AesCcm16));
    }

    [Theory]
    [InlineData(EncryptionAlgorithm.AesGcm8, 20, IntegrityAlgorithm.None, 0)]
    [InlineData(EncryptionAlgorithm.AesCbc, 32, IntegrityAlgorithm.HmacSha2_256_128, 32)]
    [InlineData(EncryptionAlgorithm.AesCtr, 20, IntegrityAlgorithm.HmacSha1_96, 20)]
    public void Decrypt_SteadyState_AllocatesNothing(EncryptionAlgorithm encryption, int keyLength, IntegrityAlgorithm integrity, int integrityKeyLength)
    {
        byte[] key = IkeSkTestEncryptor.Key(keyLength, 1);
        byte[] integrityKey = IkeSkTestEncryptor.Key(integrityKeyLength, 2);
        // A 600-octet inner chain spans several keystream chunks.
        byte[] inner = IkeMessageBuilder.Chain([(40, new byte[596])]);
        byte pad = encryption == EncryptionAlgorithm.AesCbc ? (byte)(15 - (inner.Length % 16)) : (byte)0;
        byte[] message = IkeSkTestEncryptor.Protect(
            new IkeSkTestEncryptor.Parameters { Encryption = encryption, EncryptionKey = key, Integrity = integrity, IntegrityKey = integrityKey, PadLength = pad },
            IkePayloadType.Nonce, inner);
        using var decryptor = new IkeSkDecryptor(encryption, key, integrity, integrityKey);
        byte[] plaintext = new byte[message.Length];
        for (int i = 0; i < 20; i++)
        {
            decryptor.Decrypt(message, IkePayloadType.Encrypted, 28, plaintext);
        }
        int ok = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            ok += decryptor.Decrypt(message, IkePayloadType.Encrypted, 28, plaintext).Status == IkeDecryptStatus.Ok ? 1 : 0;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(200, ok);
        Assert.Equal(0, allocated);
        Assert.Equal(inner, plaintext[..inner.Length]);
    }

    [Fact]
    public void Decrypt_AfterDispose_Throws()
    {
        var decryptor = new IkeSkDecryptor(EncryptionAlgorithm.AesGcm16, new byte[20], IntegrityAlgorithm.None, []);
        decryptor.Dispose();
        decryptor.Dispose();
        Assert.Throws<ObjectDisposedException>(() => decryptor.Decrypt(new byte[64], IkePayloadType.Encrypted, 28, new byte[64]));
    }
}
