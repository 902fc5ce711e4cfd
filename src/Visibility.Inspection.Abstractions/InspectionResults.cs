namespace Visibility.Inspection.Abstractions;

/// <summary>Where an <see cref="IPacketInspector"/> raises its signatures for the packet being inspected: one flag
/// per declared signature, on the caller's stack.</summary>
/// <remarks>The host builds one per inspector and packet. Tests of a plugin build their own over a
/// <c>stackalloc</c> or array of flags and read them back with <see cref="IsRaised"/>.</remarks>
public readonly ref struct InspectionResults
{
    /// <summary>Most signatures one inspector may declare.</summary>
    public const int MaxSignatures = 256;

    private readonly ReadOnlySpan<SignatureDeclaration> _declared;
    private readonly Span<bool> _raised;

    /// <param name="declared">The inspector's signatures, in the order of its <see cref="IPacketInspector.Signatures"/>.</param>
    /// <param name="raised">One flag per declared signature, cleared by the caller.</param>
    /// <exception cref="ArgumentException"><paramref name="raised"/> is shorter than <paramref name="declared"/>.</exception>
    public InspectionResults(ReadOnlySpan<SignatureDeclaration> declared, Span<bool> raised)
    {
        if (raised.Length < declared.Length)
        {
            throw new ArgumentException("one flag per declared signature is needed", nameof(raised));
        }
        _declared = declared;
        _raised = raised;
    }

    /// <summary>Reports that <paramref name="signature"/> (one of the inspector's declared signatures, the same
    /// instance) matches this packet. Raising it twice for one packet reports it once.</summary>
    /// <exception cref="ArgumentException">The signature was not declared by this inspector.</exception>
    public void Raise(SignatureDeclaration signature)
    {
        int i = IndexOf(signature);
        if (i < 0)
        {
            throw new ArgumentException($"signature {signature} is not declared by this inspector", nameof(signature));
        }
        _raised[i] = true;
    }

    /// <summary>True when <paramref name="signature"/> was raised for this packet.</summary>
    public bool IsRaised(SignatureDeclaration signature)
    {
        int i = IndexOf(signature);
        return i >= 0 && _raised[i];
    }

    /// <summary>How many declared signatures were raised for this packet.</summary>
    public int Count
    {
        get
        {
            int n = 0;
            for (int i = 0; i < _declared.Length; i++)
            {
                if (_raised[i])
                {
                    n++;
                }
            }
            return n;
        }
    }

    private int IndexOf(SignatureDeclaration signature)
    {
        for (int i = 0; i < _declared.Length; i++)
        {
            if (ReferenceEquals(_declared[i], signature))
            {
                return i;
            }
        }
        return -1;
    }
}
