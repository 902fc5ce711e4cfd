using Visibility.Wire.Ike;

namespace Visibility.Wire.Tests.Ike;

public sealed class IkeNamesTests
{
    [Theory]
    [Trait("rfc", "7296-3.1")]
    [InlineData(34, "IKE_SA_INIT")]
    [InlineData(35, "IKE_AUTH")]
    [InlineData(36, "CREATE_CHILD_SA")]
    [InlineData(37, "INFORMATIONAL")]
    [InlineData(38, "IKE_SESSION_RESUME")]
    [InlineData(39, "GSA_AUTH")]
    [InlineData(42, "GSA_INBAND_REKEY")]
    [InlineData(43, "IKE_INTERMEDIATE")]
    [InlineData(44, "IKE_FOLLOWUP_KE")]
    public void GetName_ExchangeType_IanaName(int value, string name)
    {
        Assert.Equal(name, IkeNames.GetName((IkeExchangeType)value));
        Assert.True(IkeNames.IsKnown((IkeExchangeType)value));
    }

    [Fact]
    [Trait("rfc", "7296-3.2")]
    public void GetName_PayloadTypes_ShortNotation()
    {
        string[] expected = ["SA", "KE", "IDi", "IDr", "CERT", "CERTREQ", "AUTH", "Nonce", "N", "D", "V", "TSi", "TSr", "SK", "CP", "EAP", "GSPM", "IDg", "GSA", "KD", "SKF", "PS"];
        string[] actual = Enumerable.Range(33, 22).Select(i => IkeNames.GetName((IkePayloadType)i)).ToArray();
        Assert.Equal(expected, actual);
        Assert.Equal("NONE", IkeNames.GetName(IkePayloadType.None));
        Assert.Equal("UNKNOWN_1", IkeNames.GetName((IkePayloadType)1));
        Assert.Equal("UNKNOWN_200", IkeNames.GetName((IkePayloadType)200));
    }

    [Theory]
    [Trait("rfc", "7296-3.10.1")]
    [InlineData(17, "INVALID_KE_PAYLOAD")]
    [InlineData(24, "AUTHENTICATION_FAILED")]
    [InlineData(4, "INVALID_IKE_SPI")]
    [InlineData(16388, "NAT_DETECTION_SOURCE_IP")]
    [InlineData(16389, "NAT_DETECTION_DESTINATION_IP")]
    [InlineData(16390, "COOKIE")]
    [InlineData(16406, "REDIRECT_SUPPORTED")]
    [InlineData(16407, "REDIRECT")]
    [InlineData(16408, "REDIRECTED_FROM")]
    [InlineData(16409, "TICKET_LT_OPAQUE")]
    [InlineData(16410, "TICKET_REQUEST")]
    [InlineData(16411, "TICKET_ACK")]
    [InlineData(16412, "TICKET_NACK")]
    [InlineData(16413, "TICKET_OPAQUE")]
    [InlineData(16415, "USE_WESP_MODE")]
    [InlineData(16417, "EAP_ONLY_AUTHENTICATION")]
    [InlineData(16419, "QUICK_CRASH_DETECTION")]
    [InlineData(16420, "IKEV2_MESSAGE_ID_SYNC_SUPPORTED")]
    [InlineData(16421, "IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED")]
    [InlineData(16422, "IKEV2_MESSAGE_ID_SYNC")]
    [InlineData(16423, "IPSEC_REPLAY_COUNTER_SYNC")]
    [InlineData(16424, "SECURE_PASSWORD_METHODS")]
    [InlineData(16430, "IKEV2_FRAGMENTATION_SUPPORTED")]
    [InlineData(16431, "SIGNATURE_HASH_ALGORITHMS")]
    [InlineData(16438, "INTERMEDIATE_EXCHANGE_SUPPORTED")]
    public void GetName_NotifyType_IanaName(int value, string name) => Assert.Equal(name, IkeNames.GetName((IkeNotifyType)value));

    [Fact]
    public void GetName_UnknownNotify_StableAndCached()
    {
        string first = IkeNames.GetName((IkeNotifyType)40000);
        Assert.Equal("UNKNOWN_40000", first);
        Assert.Same(first, IkeNames.GetName((IkeNotifyType)40000));
        Assert.False(IkeNames.IsKnown((IkeNotifyType)40000));
        Assert.True(IkeNames.IsKnown(IkeNotifyType.Cookie));
        Assert.Equal("UNKNOWN_0", IkeNames.GetName(IkeNotifyType.None));
        Assert.Equal("UNKNOWN_65535", IkeNames.GetName((IkeNotifyType)65535));
    }

    [Fact]
    public void GetName_RepeatedUnknown_DoesNotAllocate()
    {
        IkeNames.GetName((IkeNotifyType)50000);
        IkeNames.GetName((IkeExchangeType)99);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            IkeNames.GetName((IkeNotifyType)50000);
            IkeNames.GetName((IkeExchangeType)99);
            IkeNames.GetName(IkeNotifyType.Redirect);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void GetName_EveryDeclaredValue_IsKnownAndUnique()
    {
        AssertAllNamed<IkeExchangeType>(v => IkeNames.GetName(v), exclude: IkeExchangeType.None);
        AssertAllNamed<IkePayloadType>(v => IkeNames.GetName(v));
        AssertAllNamed<IkeNotifyType>(v => IkeNames.GetName(v), exclude: IkeNotifyType.None);
        AssertAllNamed<TransformType>(v => IkeNames.GetName(v), exclude: TransformType.None);
        AssertAllNamed<EncryptionAlgorithm>(v => IkeNames.GetName(v), exclude: EncryptionAlgorithm.None);
        AssertAllNamed<IntegrityAlgorithm>(v => IkeNames.GetName(v));
        AssertAllNamed<PrfAlgorithm>(v => IkeNames.GetName(v), exclude: PrfAlgorithm.None);
        AssertAllNamed<DhGroup>(v => IkeNames.GetName(v));
        AssertAllNamed<AuthMethod>(v => IkeNames.GetName(v), exclude: AuthMethod.None);
        AssertAllNamed<IdType>(v => IkeNames.GetName(v), exclude: IdType.None);
        AssertAllNamed<ProtocolId>(v => IkeNames.GetName(v), exclude: ProtocolId.None);
    }

    [Theory]
    [InlineData(EncryptionAlgorithm.EncrNull, 11, "ENCR_NULL")]
    [InlineData(EncryptionAlgorithm.AesCbc, 12, "ENCR_AES_CBC")]
    [InlineData(EncryptionAlgorithm.AesCtr, 13, "ENCR_AES_CTR")]
    [InlineData(EncryptionAlgorithm.AesGcm8, 18, "ENCR_AES_GCM_8")]
    [InlineData(EncryptionAlgorithm.AesGcm12, 19, "ENCR_AES_GCM_12")]
    [InlineData(EncryptionAlgorithm.AesGcm16, 20, "ENCR_AES_GCM_16")]
    [InlineData(EncryptionAlgorithm.NullAuthAesGmac, 21, "ENCR_NULL_AUTH_AES_GMAC")]
    [InlineData(EncryptionAlgorithm.ChaCha20Poly1305, 28, "ENCR_CHACHA20_POLY1305")]
    public void GetName_Encryption_ValueAndName(EncryptionAlgorithm algorithm, int value, string name)
    {
        Assert.Equal(value, (int)algorithm);
        Assert.Equal(name, IkeNames.GetName(algorithm));
    }

    [Fact]
    public void GetName_OtherRegistries_SampleNames()
    {
        Assert.Equal("AUTH_HMAC_SHA2_256_128", IkeNames.GetName(IntegrityAlgorithm.HmacSha2_256_128));
        Assert.Equal("PRF_HMAC_SHA2_256", IkeNames.GetName(PrfAlgorithm.HmacSha2_256));
        Assert.Equal("2048-bit MODP Group", IkeNames.GetName(DhGroup.Modp2048));
        Assert.Equal("Curve25519", IkeNames.GetName(DhGroup.Curve25519));
        Assert.Equal("Shared Key Message Integrity Code", IkeNames.GetName(AuthMethod.SharedKeyMessageIntegrityCode));
        Assert.Equal("ID_FQDN", IkeNames.GetName(IdType.Fqdn));
        Assert.Equal("ESP", IkeNames.GetName(ProtocolId.Esp));
        Assert.Equal("ENCR", IkeNames.GetName(TransformType.Encryption));
        Assert.Equal("UNKNOWN_77", IkeNames.GetName((DhGroup)77));
    }

    private static void AssertAllNamed<T>(Func<T, string> name, T? exclude = null)
        where T : struct, Enum
    {
        var names = new HashSet<string>();
        foreach (T value in Enum.GetValues<T>())
        {
            if (exclude is { } e && EqualityComparer<T>.Default.Equals(value, e))
            {
                continue;
            }
            string n = name(value);
            Assert.False(n.StartsWith("UNKNOWN_", StringComparison.Ordinal), $"{typeof(T).Name}.{value} has no name");
            Assert.True(names.Add(n), $"{typeof(T).Name}: duplicate name {n}");
        }
    }
}
