namespace Visibility.Engine.Esp;

/// <summary>IPsec mode told by the ESP Next Header (RFC 4303 §2.6): 4 or 41 is tunnel mode, anything else transport.</summary>
public enum EspMode : byte
{
    /// <summary>Not known yet (no cleartext packet seen, or only dummy packets).</summary>
    None = 0,
    Transport = 1,
    Tunnel = 2,
}
