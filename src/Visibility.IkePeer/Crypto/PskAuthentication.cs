using System.Text;

namespace Visibility.IkePeer.Crypto;

/// <summary>The AUTH value of a shared-key MIC (auth method 2).</summary>
/// <remarks>
/// RFC 7296 §2.15: <c>AUTH = prf(prf(SharedSecret, "Key Pad for IKEv2"), &lt;SignedOctets&gt;)</c> with
/// <c>InitiatorSignedOctets = RealMessage1 | NonceRData | prf(SK_pi, IDi')</c> and
/// <c>ResponderSignedOctets = RealMessage2 | NonceIData | prf(SK_pr, IDr')</c>; IDx' is the ID payload body
/// (ID Type, 3 reserved octets, data); the pad is 17 ASCII octets without NUL.
/// </remarks>
internal static class PskAuthentication
{
    private static readonly byte[] s_keyPad = Encoding.ASCII.GetBytes("Key Pad for IKEv2");

    public static byte[] Compute(
        Prf prf,
        ReadOnlySpan<byte> sharedSecret,
        ReadOnlySpan<byte> realMessage,
        ReadOnlySpan<byte> peerNonce,
        ReadOnlySpan<byte> skP,
        ReadOnlySpan<byte> identificationBody)
    {
        var macedId = prf.Compute(skP, identificationBody);
        var signed = new byte[realMessage.Length + peerNonce.Length + macedId.Length];
        realMessage.CopyTo(signed);
        peerNonce.CopyTo(signed.AsSpan(realMessage.Length));
        macedId.CopyTo(signed, realMessage.Length + peerNonce.Length);
        var padded = prf.Compute(sharedSecret, s_keyPad);
        return prf.Compute(padded, signed);
    }
}
