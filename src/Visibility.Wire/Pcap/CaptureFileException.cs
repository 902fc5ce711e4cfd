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
}
