using Visibility.IkePeer.Crypto;
using Visibility.IkePeer.Messages;
using Visibility.IkePeer.Protocol;

namespace Visibility.IkePeer.Config;

/// <summary>One configured proposal: for each transform type, the acceptable algorithms in order of preference.</summary>
/// <remarks>Same type repeated = OR, different types = AND [RFC 7296 §3.3].</remarks>
internal sealed class ProposalSpec
{
    public ProposalSpec(byte protocolId, IReadOnlyList<EncryptionTransform> encryptions, IReadOnlyList<IntegrityTransform> integrities, IReadOnlyList<Prf> prfs, IReadOnlyList<ushort> dhGroups, IReadOnlyList<bool> esn)
    {
        ProtocolId = protocolId;
        Encryptions = encryptions;
        Integrities = integrities;
        Prfs = prfs;
        DhGroups = dhGroups;
        Esn = esn;
    }

    public byte ProtocolId { get; }

    public IReadOnlyList<EncryptionTransform> Encryptions { get; }

    public IReadOnlyList<IntegrityTransform> Integrities { get; }

    public IReadOnlyList<Prf> Prfs { get; }

    public IReadOnlyList<ushort> DhGroups { get; }

    public IReadOnlyList<bool> Esn { get; }

    public bool IsAead => Encryptions.Count > 0 && Encryptions[0].IsAead;

    /// <summary>The proposal substructure for this spec; ESP proposals in IKE_AUTH leave out D-H (<paramref name="withDh"/> false).</summary>
    public Proposal ToProposal(byte number, byte[] spi, bool withDh = true)
    {
        var transforms = new List<Transform>();
        foreach (var e in Encryptions)
        {
            transforms.Add(new Transform(PeerIana.TransformEncryption, e.TransformId, e.HasKeyLengthAttribute ? (ushort)e.KeyBits : (ushort)0));
        }

        foreach (var p in Prfs)
        {
            transforms.Add(new Transform(PeerIana.TransformPrf, p.TransformId));
        }

        foreach (var i in Integrities)
        {
            transforms.Add(new Transform(PeerIana.TransformIntegrity, i.TransformId));
        }

        if (withDh)
        {
            foreach (var g in DhGroups)
            {
                transforms.Add(new Transform(PeerIana.TransformDiffieHellman, g));
            }
        }

        if (ProtocolId == PeerIana.ProtocolEsp)
        {
            foreach (var esn in Esn)
            {
                transforms.Add(new Transform(PeerIana.TransformEsn, esn ? (ushort)1 : (ushort)0));
            }
        }

        return new Proposal(number, ProtocolId, spi, transforms);
    }

    /// <summary>Picks one transform of each type that both this spec and <paramref name="offered"/> allow, in our order;
    /// <paramref name="preferredGroup"/> (the group of the KE payload received) wins when both allow it.</summary>
    public NegotiatedSuite? Match(Proposal offered, bool withDh = true, ushort preferredGroup = 0)
    {
        if (offered.ProtocolId != ProtocolId)
        {
            return null;
        }

        var encryption = Encryptions.FirstOrDefault(e => offered.OfType(PeerIana.TransformEncryption).Any(t =>
            t.Id == e.TransformId && (e.IsNull || t.KeyLength == e.KeyBits)));
        if (encryption is null)
        {
            return null;
        }

        var integrity = IntegrityTransform.None;
        var offeredIntegrity = offered.OfType(PeerIana.TransformIntegrity).Where(t => t.Id != PeerIana.IntegNone).ToList();
        if (!encryption.IsAead)
        {
            var chosen = Integrities.FirstOrDefault(i => offeredIntegrity.Any(t => t.Id == i.TransformId));
            if (chosen is null)
            {
                return null;
            }

            integrity = chosen;
        }
        else if (offeredIntegrity.Count > 0 && ProtocolId == PeerIana.ProtocolIke)
        {
            return null;
        }

        Prf? prf = null;
        if (ProtocolId == PeerIana.ProtocolIke)
        {
            prf = Prfs.FirstOrDefault(p => offered.OfType(PeerIana.TransformPrf).Any(t => t.Id == p.TransformId));
            if (prf is null)
            {
                return null;
            }
        }

        ushort group = 0;
        var offeredGroups = offered.OfType(PeerIana.TransformDiffieHellman).Where(t => t.Id != 0).ToList();
        if (withDh && (ProtocolId == PeerIana.ProtocolIke || offeredGroups.Count > 0 || DhGroups.Count > 0))
        {
            group = preferredGroup != 0 && DhGroups.Contains(preferredGroup) && offeredGroups.Any(t => t.Id == preferredGroup)
                ? preferredGroup
                : DhGroups.FirstOrDefault(g => offeredGroups.Any(t => t.Id == g));
            if (group == 0)
            {
                return null;
            }
        }

        var esn = false;
        if (ProtocolId == PeerIana.ProtocolEsp)
        {
            var offeredEsn = offered.OfType(PeerIana.TransformEsn).ToList();
            if (offeredEsn.Count > 0)
            {
                var match = Esn.Where(e => offeredEsn.Any(t => t.Id == (e ? 1 : 0))).Select(e => (bool?)e).FirstOrDefault();
                if (match is null)
                {
                    return null;
                }

                esn = match.Value;
            }
        }

        return new NegotiatedSuite(encryption, integrity, prf, group, esn);
    }

    /// <summary>The single-transform proposal a responder returns for <paramref name="suite"/>.</summary>
    public static Proposal Selected(byte number, byte protocolId, byte[] spi, NegotiatedSuite suite)
    {
        var e = suite.Encryption;
        var transforms = new List<Transform>
        {
            new(PeerIana.TransformEncryption, e.TransformId, e.HasKeyLengthAttribute ? (ushort)e.KeyBits : (ushort)0),
        };
        if (suite.Prf is not null)
        {
            transforms.Add(new Transform(PeerIana.TransformPrf, suite.Prf.TransformId));
        }

        if (!suite.Integrity.IsNone)
        {
            transforms.Add(new Transform(PeerIana.TransformIntegrity, suite.Integrity.TransformId));
        }

        if (suite.DhGroup != 0)
        {
            transforms.Add(new Transform(PeerIana.TransformDiffieHellman, suite.DhGroup));
        }

        if (protocolId == PeerIana.ProtocolEsp)
        {
            transforms.Add(new Transform(PeerIana.TransformEsn, suite.Esn ? (ushort)1 : (ushort)0));
        }

        return new Proposal(number, protocolId, spi, transforms);
    }

    /// <summary>Reads the suite out of a responder's single chosen proposal; null when it holds unknown or missing transforms.</summary>
    public static NegotiatedSuite? FromChosen(Proposal chosen)
    {
        var encTransform = chosen.OfType(PeerIana.TransformEncryption).FirstOrDefault();
        if (encTransform is null)
        {
            return null;
        }

        var encryption = EncryptionTransform.Create(encTransform.Id, encTransform.KeyLength);
        if (encryption is null)
        {
            return null;
        }

        var integTransform = chosen.OfType(PeerIana.TransformIntegrity).FirstOrDefault();
        var integrity = integTransform is null ? IntegrityTransform.None : IntegrityTransform.FromTransformId(integTransform.Id);
        if (integrity is null || (!encryption.IsAead && integrity.IsNone))
        {
            return null;
        }

        Prf? prf = null;
        var prfTransform = chosen.OfType(PeerIana.TransformPrf).FirstOrDefault();
        if (chosen.ProtocolId == PeerIana.ProtocolIke)
        {
            prf = prfTransform is null ? null : Prf.FromTransformId(prfTransform.Id);
            if (prf is null)
            {
                return null;
            }
        }

        var group = chosen.OfType(PeerIana.TransformDiffieHellman).FirstOrDefault()?.Id ?? 0;
        var esn = chosen.OfType(PeerIana.TransformEsn).FirstOrDefault()?.Id == 1;
        return new NegotiatedSuite(encryption, integrity, prf, group, esn);
    }
}
