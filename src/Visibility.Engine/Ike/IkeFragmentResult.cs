namespace Visibility.Engine.Ike;

/// <summary>What <see cref="IkeFragmentReassembler.Add"/> did with a decrypted fragment.</summary>
internal enum IkeFragmentResult : byte
{
    /// <summary>Kept; other fragments are missing.</summary>
    Pending = 0,

    /// <summary>This fragment completed the message: the inner payloads are in the output buffer.</summary>
    Complete = 1,

    /// <summary>Already had this fragment number.</summary>
    Duplicate = 2,

    /// <summary>Out of bounds (numbers, count or size): dropped.</summary>
    Dropped = 3,
}
