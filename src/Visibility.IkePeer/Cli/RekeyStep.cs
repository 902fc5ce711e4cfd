namespace Visibility.IkePeer.Cli;

/// <summary>One rekey of <c>--rekey</c>: the Child SA or the IKE SA (RFC 7296 §1.3.2, §1.3.3).</summary>
internal enum RekeyStep
{
    Child = 0,
    Ike = 1,
}
