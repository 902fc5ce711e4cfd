namespace Visibility.Engine.Ike;

/// <summary>A reference to a pooled <see cref="IkeSa"/> that can tell when the object was reused (serials differ).</summary>
internal readonly record struct IkeSaRef(IkeSa Sa, long Serial)
{
    public bool IsAlive => Sa.IsAlive(Serial);
}
