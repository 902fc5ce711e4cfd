namespace Visibility.Wire.Pcap;

/// <summary>A capture file that cannot be read: bad magic, a damaged or truncated record, inconsistent lengths.</summary>
/// <remarks>The message is one line meant for the user, naming what is wrong and where (byte offset, record number).</remarks>
public sealed class CaptureFileException : Exception
{
    public CaptureFileException()
    {
    }

    public CaptureFileException(string message)
        : base(message)
    {
    }

    public CaptureFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for damage found at a known place in the file.</summary>
    /// <param name="message">One line for the user; it already names the place.</param>
    /// <param name="byteOffset">Offset from the start of the stream of the header, record or block at fault.</param>
    /// <param name="recordNumber">1-based number of the packet record at fault, or 0 when the damage is not in a packet record.</param>
    public CaptureFileException(string message, long byteOffset, long recordNumber)
        : base(message)
    {
        ByteOffset = byteOffset;
        RecordNumber = recordNumber;
    }

    /// <summary>Offset from the start of the stream of the header, record or block at fault; -1 when unknown.</summary>
    public long ByteOffset { get; } = -1;

    /// <summary>1-based number of the packet record at fault; 0 when the damage is not in a packet record.</summary>
    public long RecordNumber { get; }
}
