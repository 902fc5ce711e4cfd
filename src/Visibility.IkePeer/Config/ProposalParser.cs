using Visibility.IkePeer.Crypto;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Config;

/// <summary>Parses strongSwan's proposal syntax: proposals separated by commas, algorithms by dashes.</summary>
/// <remarks>
/// Examples: <c>aes128-sha256-modp2048</c>, <c>aes128gcm16-prfsha256-ecp256</c>, <c>null-sha256</c>,
/// <c>aes256-sha256-modp2048,aes128gcm16</c>. An IKE proposal without a PRF takes the one matching its integrity
/// algorithm; an ESP proposal's D-H groups (PFS) are used only by CREATE_CHILD_SA.
/// </remarks>
internal static class ProposalParser
{
    public static IReadOnlyList<ProposalSpec> Parse(string text, ProtocolId protocolId)
    {
        var specs = new List<ProposalSpec>();
        foreach (var proposal in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            specs.Add(ParseOne(proposal, protocolId));
        }

        if (specs.Count == 0)
        {
            throw new FormatException("empty proposal");
        }

        return specs;
    }

    public static string GroupName(DhGroup group) => group switch
    {
        DhGroup.Modp2048 => "MODP_2048",
        DhGroup.Modp3072 => "MODP_3072",
        DhGroup.Ecp256 => "ECP_256",
        DhGroup.Ecp384 => "ECP_384",
        DhGroup.Ecp521 => "ECP_521",
        DhGroup.Curve25519 => "CURVE_25519",
        _ => $"DH_{(ushort)group}",
    };

    private static ProposalSpec ParseOne(string text, ProtocolId protocolId)
    {
        var encryptions = new List<EncryptionTransform>();
        var integrities = new List<IntegrityTransform>();
        var prfs = new List<Prf>();
        var groups = new List<DhGroup>();
        var esn = new List<bool>();
        foreach (var raw in text.Split('-', StringSplitOptions.RemoveEmptyEntries))
        {
            var token = raw.ToLowerInvariant();
            if (TryEncryption(token, out var encryption))
            {
                encryptions.Add(encryption!);
            }
            else if (TryIntegrity(token, out var integrity))
            {
                integrities.Add(integrity!);
            }
            else if (TryPrf(token, out var prf))
            {
                prfs.Add(prf!);
            }
            else if (TryGroup(token, out var group))
            {
                groups.Add(group);
            }
            else if (token is "esn" or "noesn")
            {
                esn.Add(token == "esn");
            }
            else
            {
                throw new FormatException($"unknown algorithm '{raw}' in proposal '{text}'");
            }
        }

        if (encryptions.Count == 0)
        {
            throw new FormatException($"proposal '{text}' names no encryption algorithm");
        }

        var aead = encryptions[0].IsAead;
        if (encryptions.Any(e => e.IsAead != aead))
        {
            throw new FormatException($"proposal '{text}' mixes AEAD and non-AEAD ciphers (RFC 7296 §3.3)");
        }

        if (aead && integrities.Count > 0)
        {
            throw new FormatException($"proposal '{text}' combines an AEAD cipher with an integrity algorithm");
        }

        if (!aead && integrities.Count == 0)
        {
            throw new FormatException($"proposal '{text}' needs an integrity algorithm");
        }

        if (protocolId == ProtocolId.Ike)
        {
            if (encryptions.Any(e => e.IsIntegrityOnly))
            {
                throw new FormatException("ENCR_NULL and ENCR_NULL_AUTH_AES_GMAC must not protect an IKE SA (RFC 8247 §2.1, RFC 4543 §1)");
            }

            if (prfs.Count == 0)
            {
                foreach (var integrity in integrities)
                {
                    if (integrity.MatchingPrf is { } matching && !prfs.Contains(matching))
                    {
                        prfs.Add(matching);
                    }
                }
            }

            if (prfs.Count == 0)
            {
                throw new FormatException($"IKE proposal '{text}' needs a PRF (e.g. prfsha256)");
            }

            if (groups.Count == 0)
            {
                throw new FormatException($"IKE proposal '{text}' needs a key exchange method (e.g. modp2048)");
            }
        }
        else
        {
            prfs.Clear();
        }

        if (esn.Count == 0)
        {
            esn.Add(false);
        }

        return new ProposalSpec(protocolId, encryptions, integrities, prfs, groups, esn);
    }

    private static bool TryEncryption(string token, out EncryptionTransform? encryption)
    {
        encryption = null;
        if (token == "null")
        {
            encryption = EncryptionTransform.Create(EncryptionAlgorithm.EncrNull, 0);
            return true;
        }

        // strongSwan spells ENCR_NULL_AUTH_AES_GMAC aes128gmac, aes192gmac, aes256gmac; null_ in front is accepted too.
        if (token.StartsWith("null_aes", StringComparison.Ordinal) && token.EndsWith("gmac", StringComparison.Ordinal))
        {
            token = token[5..];
        }

        if (!token.StartsWith("aes", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = token[3..];
        var bits = 128;
        if (rest.StartsWith("128", StringComparison.Ordinal) || rest.StartsWith("192", StringComparison.Ordinal) || rest.StartsWith("256", StringComparison.Ordinal))
        {
            bits = int.Parse(rest.AsSpan(0, 3), System.Globalization.CultureInfo.InvariantCulture);
            rest = rest[3..];
        }

        var id = rest switch
        {
            "" => EncryptionAlgorithm.AesCbc,
            "gcm8" or "gcm64" => EncryptionAlgorithm.AesGcm8,
            "gcm12" or "gcm96" => EncryptionAlgorithm.AesGcm12,
            "gcm" or "gcm16" or "gcm128" => EncryptionAlgorithm.AesGcm16,
            "gmac" => EncryptionAlgorithm.NullAuthAesGmac,
            _ => EncryptionAlgorithm.None,
        };
        if (id == EncryptionAlgorithm.None)
        {
            return false;
        }

        encryption = EncryptionTransform.Create(id, bits);
        return encryption is not null;
    }

    private static bool TryIntegrity(string token, out IntegrityTransform? integrity)
    {
        integrity = token switch
        {
            "sha1" or "sha" => IntegrityTransform.HmacSha1_96,
            "sha256" or "sha2_256" => IntegrityTransform.HmacSha256_128,
            "sha384" or "sha2_384" => IntegrityTransform.HmacSha384_192,
            "sha512" or "sha2_512" => IntegrityTransform.HmacSha512_256,
            _ => null,
        };
        return integrity is not null;
    }

    private static bool TryPrf(string token, out Prf? prf)
    {
        prf = token switch
        {
            "prfsha1" => Prf.HmacSha1,
            "prfsha256" => Prf.HmacSha256,
            "prfsha384" => Prf.HmacSha384,
            "prfsha512" => Prf.HmacSha512,
            _ => null,
        };
        return prf is not null;
    }

    private static bool TryGroup(string token, out DhGroup group)
    {
        group = token switch
        {
            "modp2048" => DhGroup.Modp2048,
            "modp3072" => DhGroup.Modp3072,
            "ecp256" => DhGroup.Ecp256,
            "ecp384" => DhGroup.Ecp384,
            "ecp521" => DhGroup.Ecp521,
            "curve25519" or "x25519" => DhGroup.Curve25519,
            _ => DhGroup.None,
        };
        return group != DhGroup.None;
    }
}
