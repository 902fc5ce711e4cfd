using System.Collections.Frozen;
using System.Globalization;

namespace Visibility.Engine.Inspection.Parsing;

/// <summary>IANA names of IKEv2 exchange types (RFC 7296 §3.1 and extensions) and Notify Message Types
/// (RFC 7296 §3.10.1 and extensions) accepted by <c>ike.exchange</c> and <c>ike.notify</c>.</summary>
internal static class IkeNames
{
    private static readonly FrozenDictionary<string, byte> s_exchanges = new Dictionary<string, byte>(StringComparer.OrdinalIgnoreCase)
    {
        ["IKE_SA_INIT"] = 34,
        ["IKE_AUTH"] = 35,
        ["CREATE_CHILD_SA"] = 36,
        ["INFORMATIONAL"] = 37,
        ["IKE_SESSION_RESUME"] = 38,
        ["IKE_INTERMEDIATE"] = 43,
        ["IKE_FOLLOWUP_KE"] = 44,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, ushort> s_notifies = new Dictionary<string, ushort>(StringComparer.OrdinalIgnoreCase)
    {
        ["UNSUPPORTED_CRITICAL_PAYLOAD"] = 1,
        ["INVALID_IKE_SPI"] = 4,
        ["INVALID_MAJOR_VERSION"] = 5,
        ["INVALID_SYNTAX"] = 7,
        ["INVALID_MESSAGE_ID"] = 9,
        ["INVALID_SPI"] = 11,
        ["NO_PROPOSAL_CHOSEN"] = 14,
        ["INVALID_KE_PAYLOAD"] = 17,
        ["AUTHENTICATION_FAILED"] = 24,
        ["SINGLE_PAIR_REQUIRED"] = 34,
        ["NO_ADDITIONAL_SAS"] = 35,
        ["INTERNAL_ADDRESS_FAILURE"] = 36,
        ["FAILED_CP_REQUIRED"] = 37,
        ["TS_UNACCEPTABLE"] = 38,
        ["INVALID_SELECTORS"] = 39,
        ["TEMPORARY_FAILURE"] = 43,
        ["CHILD_SA_NOT_FOUND"] = 44,
        ["INITIAL_CONTACT"] = 16384,
        ["SET_WINDOW_SIZE"] = 16385,
        ["ADDITIONAL_TS_POSSIBLE"] = 16386,
        ["IPCOMP_SUPPORTED"] = 16387,
        ["NAT_DETECTION_SOURCE_IP"] = 16388,
        ["NAT_DETECTION_DESTINATION_IP"] = 16389,
        ["COOKIE"] = 16390,
        ["USE_TRANSPORT_MODE"] = 16391,
        ["HTTP_CERT_LOOKUP_SUPPORTED"] = 16392,
        ["REKEY_SA"] = 16393,
        ["ESP_TFC_PADDING_NOT_SUPPORTED"] = 16394,
        ["NON_FIRST_FRAGMENTS_ALSO"] = 16395,
        ["REDIRECT_SUPPORTED"] = 16406,
        ["REDIRECT"] = 16407,
        ["REDIRECTED_FROM"] = 16408,
        ["TICKET_LT_OPAQUE"] = 16409,
        ["TICKET_REQUEST"] = 16410,
        ["TICKET_ACK"] = 16411,
        ["TICKET_NACK"] = 16412,
        ["TICKET_OPAQUE"] = 16413,
        ["LINK_ID"] = 16414,
        ["USE_WESP_MODE"] = 16415,
        ["EAP_ONLY_AUTHENTICATION"] = 16417,
        ["QUICK_CRASH_DETECTION"] = 16419,
        ["IKEV2_MESSAGE_ID_SYNC_SUPPORTED"] = 16420,
        ["IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED"] = 16421,
        ["IKEV2_MESSAGE_ID_SYNC"] = 16422,
        ["IPSEC_REPLAY_COUNTER_SYNC"] = 16423,
        ["SECURE_PASSWORD_METHODS"] = 16424,
        ["PSK_PERSIST"] = 16425,
        ["PSK_CONFIRM"] = 16426,
        ["IKEV2_FRAGMENTATION_SUPPORTED"] = 16430,
        ["SIGNATURE_HASH_ALGORITHMS"] = 16431,
        ["INTERMEDIATE_EXCHANGE_SUPPORTED"] = 16438,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static bool TryParseExchange(string text, out byte value) =>
        s_exchanges.TryGetValue(text, out value) || byte.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static bool TryParseNotify(string text, out ushort value) =>
        s_notifies.TryGetValue(text, out value) || ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
