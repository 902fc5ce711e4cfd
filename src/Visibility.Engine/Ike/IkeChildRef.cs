namespace Visibility.Engine.Ike;

/// <summary>Where a negotiated ESP/AH SPI lives: its IKE SA (with serial) and the Child SA's index there.</summary>
internal readonly record struct IkeChildRef(IkeSa Sa, long Serial, int Index)
{
    public bool IsAlive => Sa.IsAlive(Serial);
}
