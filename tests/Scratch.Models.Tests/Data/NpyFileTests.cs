using System.Text;
using Scratch.Models.Data;

namespace Scratch.Models.Tests.Data;

public class NpyFileTests
{
    // A .npy file byte by byte: magic, version, little-endian header length, the header padded
    // with spaces and a newline to a multiple of 64 bytes (as numpy pads it), then the data.
    internal static byte[] Build(string dict, byte[] data, int major = 1, bool pad = true)
    {
        int lengthBytes = major == 1 ? 2 : 4;
        int preamble = 8 + lengthBytes;
        string header = dict;
        if (pad) header += new string(' ', (64 - (preamble + dict.Length + 1) % 64) % 64);
        header += "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.Add((byte)major);
        bytes.Add(0);
        bytes.AddRange(major == 1 ? BitConverter.GetBytes((ushort)header.Length) : BitConverter.GetBytes(header.Length));
        bytes.AddRange(Encoding.Latin1.GetBytes(header));
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    private static string Write(TempFolder dir, byte[] bytes, string name = "a.npy")
    {
        var path = dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Test]
    public void Read_HandWrittenNumpyHeader_Uint8()
    {
        using var dir = new TempFolder();
        var data = Enumerable.Range(0, 24).Select(i => (byte)i).ToArray();
        var bytes = Build("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3, 4), }", data);
        Assert.That(bytes.Length - 24, Is.EqualTo(128)); // preamble + dict + padding + newline: two 64-byte lines, as np.save writes it
        var array = NpyFile.Read(Write(dir, bytes));
        Assert.That(array.Shape, Is.EqualTo(new[] { 2, 3, 4 }));
        Assert.That(array.DType, Is.EqualTo(NpyDType.UInt8));
        Assert.That(array.UInt8, Is.EqualTo(data));
        Assert.That(array.Float32, Is.Null);
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Read_Float32_EveryVersion(int major)
    {
        using var dir = new TempFolder();
        float[] values = [0f, 0.5f, 1f, -2.25f, float.MaxValue];
        var data = values.SelectMany(BitConverter.GetBytes).ToArray();
        var array = NpyFile.Read(Write(dir, Build("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }", data, major)));
        Assert.That(array.Shape, Is.EqualTo(new[] { 5 }));
        Assert.That(array.Float32, Is.EqualTo(values));
    }

    [Test]
    public void Read_UnpaddedDoubleQuotedHeader_AndPython2Longs()
    {
        using var dir = new TempFolder();
        var array = NpyFile.Read(Write(dir, Build("{\"shape\": (1L, 2L), \"fortran_order\": False, \"descr\": \"|u1\"}", [7, 9], pad: false)));
        Assert.That(array.Shape, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(array.UInt8, Is.EqualTo(new byte[] { 7, 9 }));
    }

    [Test]
    public void WriteUInt8_ThenRead_RoundTrips_WithNumpysHeader()
    {
        using var dir = new TempFolder();
        var path = dir.File("w.npy");
        var data = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 11)).ToArray();
        NpyFile.WriteUInt8(path, data, [2, 3, 4]);
        var bytes = File.ReadAllBytes(path);
        // What numpy 1.x's np.save writes for np.zeros((2, 3, 4), np.uint8), byte for byte.
        var expected = Build("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3, 4), }", data);
        Assert.That(bytes, Is.EqualTo(expected));
        var array = NpyFile.Read(path);
        Assert.That(array.Shape, Is.EqualTo(new[] { 2, 3, 4 }));
        Assert.That(array.UInt8, Is.EqualTo(data));
    }

    [Test]
    public void WriteFloat32_ThenRead_RoundTrips_OneDimension()
    {
        using var dir = new TempFolder();
        var path = dir.File("f.npy");
        float[] data = [1.5f, -0f, float.Epsilon, 3e38f, 0.1f];
        NpyFile.WriteFloat32(path, data, [5]);
        var bytes = File.ReadAllBytes(path);
        Assert.That(Encoding.Latin1.GetString(bytes, 10, 118), Is.EqualTo("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }" + new string(' ', 60) + "\n"));
        Assert.That(bytes.Length, Is.EqualTo(128 + 20));
        Assert.That(NpyFile.Read(path).Float32, Is.EqualTo(data));
    }

    [Test]
    public void Write_ShapeNotMatchingData_Throws()
    {
        using var dir = new TempFolder();
        Assert.Throws<ArgumentException>(() => NpyFile.WriteUInt8(dir.File("x.npy"), new byte[5], [2, 3]));
        Assert.That(File.Exists(dir.File("x.npy")), Is.False);
    }

    [TestCase("'<i4'", "header field 'descr' is '<i4'; only uint8 ('|u1') and float32 ('<f4') are read")]
    [TestCase("'<f8'", "header field 'descr' is '<f8'")]
    [TestCase("'>f4'", "header field 'descr' is '>f4', big-endian float32")]
    public void Read_OtherDtype_IsRefusedNamingTheField(string descr, string message)
    {
        using var dir = new TempFolder();
        var path = Write(dir, Build($"{{'descr': {descr}, 'fortran_order': False, 'shape': (2,), }}", new byte[16]));
        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path))!;
        Assert.That(e.Message, Does.StartWith($"{path}: {message}"));
    }

    [Test]
    public void Read_StructuredDtype_IsRefusedNamingTheField()
    {
        using var dir = new TempFolder();
        var path = Write(dir, Build("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", new byte[8]));
        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path))!;
        Assert.That(e.Message, Does.StartWith(path + ": header is not a valid .npy dict").And.Contain("'descr'"));
    }

    [Test]
    public void Read_FortranOrder_IsRefused()
    {
        using var dir = new TempFolder();
        var path = Write(dir, Build("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3), }", new byte[6]));
        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path))!;
        Assert.That(e.Message, Does.StartWith(path + ": header field 'fortran_order' is True"));
    }

    [TestCase(5, "declares 6 elements of uint8 (6 bytes) but the file holds 5 bytes of data")]
    [TestCase(7, "declares 6 elements of uint8 (6 bytes) but the file holds 7 bytes of data")]
    public void Read_LengthNotMatchingShape_IsRefused(int dataBytes, string message)
    {
        using var dir = new TempFolder();
        var path = Write(dir, Build("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }", new byte[dataBytes]));
        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path))!;
        Assert.That(e.Message, Is.EqualTo($"{path}: header field 'shape' (2, 3) {message}"));
    }

    [Test]
    public void Read_TinyFileClaimingATrillionElements_FailsAtOnce()
    {
        using var dir = new TempFolder();
        var path = Write(dir, Build("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000, 1000), }", new byte[12]));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path))!;
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(1 << 20));
        Assert.That(e.Message, Does.Contain("declares more elements than one array can hold"));
    }

    [Test]
    public void Read_ShapeThatFitsButIsLongerThanTheFile_FailsBeforeAllocating()
    {
        using var dir = new TempFolder();
        var path = Write(dir, Build("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 28, 28), }", new byte[12]));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path))!;
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(1 << 20));
        Assert.That(e.Message, Does.Contain("declares 78400000 elements of float32 (313600000 bytes) but the file holds 12 bytes"));
    }

    [TestCase("(2, -3)", "has the negative size -3 on axis 1")]
    [TestCase("(3000000000, 1)", "has the size 3000000000 on axis 0, more than 2^31-1")]
    [TestCase("(99999999999999999999999, 1)", "has the size 99999999999999999999999, too large")]
    public void Read_BadDims_AreRefusedNamingTheShape(string shape, string message)
    {
        using var dir = new TempFolder();
        var path = Write(dir, Build($"{{'descr': '|u1', 'fortran_order': False, 'shape': {shape}, }}", new byte[6]));
        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path))!;
        Assert.That(e.Message, Does.StartWith(path + ": header field 'shape'").And.Contain(message));
    }

    [TestCase(new byte[] { }, "not a .npy file")]
    [TestCase(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'X', 1, 0, 0, 0 }, "not a .npy file")]
    [TestCase(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 4, 0, 0, 0 }, ".npy version 4.0 is not supported")]
    [TestCase(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 200, 0 }, "declares a header of 200 bytes but the file ends after 0")]
    [TestCase(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 0, 0, 0, 0x7F }, "declares a header of 2130706432 bytes")]
    public void Read_BadPreamble_IsRefused(byte[] bytes, string message)
    {
        using var dir = new TempFolder();
        var path = Write(dir, bytes);
        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path))!;
        Assert.That(e.Message, Does.StartWith(path + ": " + message));
    }

    [TestCase("{'descr': '|u1', 'shape': (2,), }", "header has no 'fortran_order' field")]
    [TestCase("{'descr': '|u1', 'fortran_order': 0, 'shape': (2,), }", "header is not a valid .npy dict: expected a string, True, False or a tuple as the value of 'fortran_order'")]
    [TestCase("{'descr': '|u1', 'fortran_order': False, 'shape': '2', }", "header field 'shape' is '2'; expected a tuple of integers")]
    [TestCase("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), 'extra': 'x', }", "header has the unknown field 'extra'")]
    [TestCase("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), 'shape': (2,)}", "header has the field 'shape' twice")]
    [TestCase("{'descr': '|u1', 'fortran_order': False, 'shape': (2,) ", "header is not a valid .npy dict: expected ',' or '}' after the value of 'shape', found the end")]
    [TestCase("print('hello')", "header is not a valid .npy dict: expected the header to start with '{'")]
    public void Read_BadHeaderDict_IsRefusedNamingWhat(string dict, string message)
    {
        using var dir = new TempFolder();
        var path = Write(dir, Build(dict, new byte[2]));
        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path))!;
        Assert.That(e.Message, Does.StartWith(path + ": " + message));
    }

    [Test]
    public void Read_Missing_IsFileNotFound()
    {
        using var dir = new TempFolder();
        Assert.Throws<FileNotFoundException>(() => NpyFile.Read(dir.File("none.npy")));
    }
}
