using System.Buffers.Binary;
using System.Text;

namespace Scratch.Cli.Tests.Convert;

// Builds checkpoint files by hand, so malformed ones can be made one defect at a time.
internal static class CheckpointBytes
{
    public static byte[] Build(string headerJson, int dataBytes, ulong? declaredHeaderLength = null) =>
        Build(Encoding.UTF8.GetBytes(headerJson), new byte[dataBytes], declaredHeaderLength);

    public static byte[] Build(byte[] header, byte[] data, ulong? declaredHeaderLength = null)
    {
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, declaredHeaderLength ?? (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    /// <summary>A well-formed header around the given "tensors" object body.</summary>
    public static string Header(string tensors, string metadata = "{}") =>
        """{"format":"scratch-checkpoint","version":1,"metadata":""" + metadata + ""","tensors":{""" + tensors + "}}";
}
