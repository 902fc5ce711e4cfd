namespace Visibility.IkePeer.Crypto;

/// <summary>Child SA keys from KEYMAT.</summary>
/// <remarks>
/// RFC 7296 §2.17: <c>KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr)</c>; all keys of the initiator-to-responder SA
/// come first, then responder-to-initiator; within each SA the encryption key first, then the integrity key.
/// </remarks>
internal static class ChildKeyMaterial
{
    public static (EspKeys InitiatorToResponder, EspKeys ResponderToInitiator) Derive(
        Prf prf,
        ReadOnlySpan<byte> skD,
        ReadOnlySpan<byte> nonceI,
        ReadOnlySpan<byte> nonceR,
        EncryptionTransform encryption,
        IntegrityTransform integrity,
        ReadOnlySpan<byte> sharedSecret = default)
    {
        var encrLength = encryption.KeyMaterialLength;
        var integLength = encryption.IsAead ? 0 : integrity.KeyLength;
        var seed = new byte[sharedSecret.Length + nonceI.Length + nonceR.Length];
        sharedSecret.CopyTo(seed);
        nonceI.CopyTo(seed.AsSpan(sharedSecret.Length));
        nonceR.CopyTo(seed.AsSpan(sharedSecret.Length + nonceI.Length));
        var keymat = prf.Expand(skD, seed, 2 * (encrLength + integLength));
        var perSa = encrLength + integLength;
        var ir = new EspKeys(keymat.AsSpan(0, encrLength).ToArray(), keymat.AsSpan(encrLength, integLength).ToArray());
        var ri = new EspKeys(keymat.AsSpan(perSa, encrLength).ToArray(), keymat.AsSpan(perSa + encrLength, integLength).ToArray());
        return (ir, ri);
    }
}
