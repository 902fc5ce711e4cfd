namespace Visibility.IkePeer.Eap;

/// <summary>EAP method types the peer speaks (IANA "EAP Method Types"; RFC 3748 §5, RFC 5216 §3).</summary>
internal enum EapMethod : byte
{
    None = 0,
    Identity = 1,
    Nak = 3,
    Tls = 13,
}
