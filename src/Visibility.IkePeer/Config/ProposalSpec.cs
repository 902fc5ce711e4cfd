using Visibility.IkePeer.Crypto;
using Visibility.IkePeer.Messages;
using Visibility.Wire.Ike;

namespace Visibility.IkePeer.Config;

/// <summary>One configured proposal: for each transform type, the acceptable algorithms in order of preference.</summary>
/// <remarks>Same type repeated = OR, different types = AND [RFC 7296 §3.3].</remarks>
internal sealed class ProposalSpec
{
    public ProposalSpec(ProtocolId protocolId, IReadOnlyList<EncryptionTransform> encryptions, IReadOnlyList<IntegrityTransform> integrities, IReadOnlyList<Prf> prfs, IReadOnlyList<DhGroup> dhGroups, IReadOnlyList<bool> esn)
    {
        ProtocolId = protocolId;
        Encryptions = encryptions;
        Integrities = integrities;
        Prfs = prfs;
        DhGroups = dhGroups;
        Esn = esn;
    }

    public ProtocolId ProtocolId { get; }

    public IReadOnlyList<EncryptionTransform> Encryptions { get; }

    public IReadOnlyList<IntegrityTransform> Integrities { get; }

    public IReadOnlyList<Prf> Prfs { get; }

    public IReadOnlyList<DhGroup> DhGroups { get; }

    public IReadOnlyList<bool> Esn { get; }

    public bool IsAead => Encryptions.Count > 0 && Encryptions[0].IsAead;

    /// <summary>The proposal substructure for this spec; ESP proposals in IKE_AUTH leave out D-H (<paramref name="withDh"/> false).</summary>
    public Proposal ToProposal(byte number, byte[] spi, bool withDh = true)
    {
        var transforms = new List<Transform>();
        foreach (var e in Encryptions)
        {
            transforms.Add(new Transform(TransformType.Encryption, (ushort)e.TransformId, e.HasKeyLengthAttribute ? (ushort)e.KeyBits : (ushort)0));
        }

        foreach (var p in Prfs)
        {
            transforms.Add(new Transform(TransformType.PseudorandomFunction, (ushort)p.TransformId));
        }

        foreach (var i in Integrities)
        {
            transforms.Add(new Transform(TransformType.Integrity, (ushort)i.TransformId));
        }

        if (withDh)
        {
            foreach (var g in DhGroups)
            {
                transforms.Add(new Transform(TransformType.DiffieHellman, (ushort)g));
            }
        }

        if (ProtocolId == ProtocolId.Esp)
        {
            foreach (var esn in Esn)
            {
                transforms.Add(new Transform(TransformType.ExtendedSequenceNumbers, esn ? (ushort)1 : (ushort)0));
            }
        }

        return new Proposal(number, ProtocolId, spi, transforms);
    }

    /// <summary>Picks one transform of each type that both this spec and <paramref name="offered"/> allow, in our order;
    /// <paramref name="preferredGroup"/> (the group of the KE payload received) wins when both allow it.</summary>
    public NegotiatedSuite? Match(Proposal offered, bool withDh = true, DhGroup preferredGroup = DhGroup.None)
    {
        if (offered.ProtocolId != ProtocolId)
        {
            return null;
        }

        var encryption = Encryptions.FirstOrDefault(e => offered.OfType(TransformType.Encryption).Any(t =>
            t.Id == (ushort)e.TransformId && (e.IsNull || t.KeyLength == e.KeyBits)));
        if (encryption is null)
        {
            return null;
        }

        var integrity = IntegrityTransform.None;
        var offeredIntegrity = offered.OfType(TransformType.Integrity).Where(t => t.Id != (ushort)IntegrityAlgorithm.None).ToList();
        if (!encryption.IsAead)
        {
            var chosen = Integrities.FirstOrDefault(i => offeredIntegrity.Any(t => t.Id == (ushort)i.TransformId));
            if (chosen is null)
            {
                return null;
            }

            integrity = chosen;
        }
        else if (offeredIntegrity.Count > 0 && ProtocolId == ProtocolId.Ike)
        {
            return null;
        }

        Prf? prf = null;
        if (ProtocolId == ProtocolId.Ike)
        {
            prf = Prfs.FirstOrDefault(p => offered.OfType(TransformType.PseudorandomFunction).Any(t => t.Id == (ushort)p.TransformId));
            if (prf is null)
            {
                return null;
            }
        }

        var group = DhGroup.None;
        var offeredGroups = offered.OfType(TransformType.DiffieHellman).Where(t => t.Id != 0).ToList();
        if (withDh && (ProtocolId == ProtocolId.Ike || offeredGroups.Count > 0 || DhGroups.Count > 0))
        {
            group = preferredGroup != DhGroup.None && DhGroups.Contains(preferredGroup) && offeredGroups.Any(t => t.Id == (ushort)preferredGroup)
                ? preferredGroup
                : DhGroups.FirstOrDefault(g => offeredGroups.Any(t => t.Id == (ushort)g));
            if (group == DhGroup.None)
            {
                return null;
            }
        }

        var esn = false;
        if (ProtocolId == ProtocolId.Esp)
        {
            var offeredEsn = offered.OfType(TransformType.ExtendedSequenceNumbers).ToList();
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
    public static Proposal Selected(byte number, ProtocolId protocolId, byte[] spi, NegotiatedSuite suite)
    {
        var e = suite.Encryption;
        var transforms = new List<Transform>
        {
            new(TransformType.Encryption, (ushort)e.TransformId, e.HasKeyLengthAttribute ? (ushort)e.KeyBits : (ushort)0),
        };
        if (suite.Prf is not null)
        {
            transforms.Add(new Transform(TransformType.PseudorandomFunction, (ushort)suite.Prf.TransformId));
        }

        if (!suite.Integrity.IsNone)
        {
            transforms.Add(new Transform(TransformType.Integrity, (ushort)suite.Integrity.TransformId));
        }

        if (suite.DhGroup != DhGroup.None)
        {
            transforms.Add(new Transform(TransformType.DiffieHellman, (ushort)suite.DhGroup));
        }

        if (protocolId == ProtocolId.Esp)
        {
            transforms.Add(new Transform(TransformType.ExtendedSequenceNumbers, suite.Esn ? (ushort)1 : (ushort)0));
        }

        return new Proposal(number, protocolId, spi, transforms);
    }

    /// <summary>Reads the suite out of a responder's single chosen proposal; null when it holds unknown or missing transforms.</summary>
    public static NegotiatedSuite? FromChosen(Proposal chosen)
    {
        var encTransform = chosen.OfType(TransformType.Encryption).FirstOrDefault();
        if (encTransform is null)
        {
            return null;
        }

        var encryption = EncryptionTransform.Create((EncryptionAlgorithm)encTransform.Id, encTransform.KeyLength);
        if (encryption is null)
        {
            return null;
        }

        var integTransform = chosen.OfType(TransformType.Integrity).FirstOrDefault();
        var integrity = integTransform is null ? IntegrityTransform.None : IntegrityTransform.FromTransformId((IntegrityAlgorithm)integTransform.Id);
        if (integrity is null || (!encryption.IsAead && integrity.IsNone))
        {
            return null;
        }

        Prf? prf = null;
        var prfTransform = chosen.OfType(TransformType.PseudorandomFunction).FirstOrDefault();
        if (chosen.ProtocolId == ProtocolId.Ike)
        {
            prf = prfTransform is null ? null : Prf.FromTransformId((PrfAlgorithm)prfTransform.Id);
            if (prf is null)
            {
                return null;
            }
        }

        var group = (DhGroup)(chosen.OfType(TransformType.DiffieHellman).FirstOrDefault()?.Id ?? 0);
        var esn = chosen.OfType(TransformType.ExtendedSequenceNumbers).FirstOrDefault()?.Id == 1;
        return new NegotiatedSuite(encryption, integrity, prf, group, esn);
    }
}
