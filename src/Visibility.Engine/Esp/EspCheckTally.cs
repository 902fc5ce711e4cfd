namespace Visibility.Engine.Esp;

/// <summary>Evidence gathered for one packet at one layout: check bits and how many 16-bit fields were verified
/// against the data (a checksum, or a length field equal to the length the trailer implies).</summary>
internal struct EspCheckTally
{
    /// <summary>Bits credited for one verified 16-bit field.</summary>
    public const int VerifiedFieldBits = 16;

    public int Bits;

    public int Verified;

    public void Add(int bits) => Bits += bits;

    public void AddVerified()
    {
        Bits += VerifiedFieldBits;
        Verified++;
    }
}
