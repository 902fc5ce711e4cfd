using Visibility.IkePeer.Crypto;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Config;

/// <summary>The transforms chosen for one SA: one of each type [RFC 7296 §3.3].</summary>
/// <param name="Encryption">The cipher, with its key size.</param>
/// <param name="Integrity">NONE with an AEAD cipher.</param>
/// <param name="Prf">IKE SAs only.</param>
/// <param name="DhGroup">0 when none (ESP without PFS).</param>
/// <param name="Esn">Extended Sequence Numbers (ESP only); the peer always chooses 0 (no ESN).</param>
internal sealed record NegotiatedSuite(EncryptionTransform Encryption, IntegrityTransform Integrity, Prf? Prf, DhGroup DhGroup, bool Esn)
{
    public override string ToString()
    {
        var parts = new List<string> { Encryption.Name };
        if (!Integrity.IsNone)
        {
            parts.Add(Integrity.Name);
        }

        if (Prf is not null)
        {
            parts.Add(Prf.Name);
        }

        if (DhGroup != DhGroup.None)
        {
            parts.Add(ProposalParser.GroupName(DhGroup));
        }

        return string.Join('/', parts);
    }
}
