using Visibility.Engine.Esp;
using Visibility.Wire;

namespace Visibility.Engine.Tests.Esp;

/// <summary>An inner payload for ESP-NULL tests: the ESP Next Header, the payload, and the outer addresses.</summary>
internal sealed record EspSample(string Name, byte NextHeader, byte[] Payload, NetworkAddress Source, NetworkAddress Destination, EspMode Mode);
