using System.Runtime.InteropServices;

namespace Scratch.TorchSharpSupport;

/// <summary>
/// dlopen with the flags .NET does not expose. NativeLibrary.Load opens with RTLD_LAZY and local
/// scope, so its symbols never satisfy another library; RTLD_GLOBAL puts them in the global scope
/// that every library loaded afterwards (TorchSharp's among them) searches.
/// </summary>
internal static unsafe class Libc
{
    public const int RtldNow = 0x2;
    public const int RtldGlobal = 0x100;

    // glibc ≥ 2.34 exports dlopen from libc.so.6; older glibc only from libdl.so.2.
    private static readonly string[] Providers = ["libc.so.6", "libdl.so.2"];

    public static void OpenGlobal(string path)
    {
        var dlopen = (delegate* unmanaged<byte*, int, nint>)Export("dlopen");
        var dlerror = (delegate* unmanaged<byte*>)Export("dlerror");
        nint pathUtf8 = Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            if (dlopen((byte*)pathUtf8, RtldNow | RtldGlobal) == 0)
                throw new DllNotFoundException(
                    $"Libc.OpenGlobal: dlopen('{path}', RTLD_NOW | RTLD_GLOBAL) failed: {Marshal.PtrToStringUTF8((nint)dlerror())}");
        }
        finally
        {
            Marshal.FreeCoTaskMem(pathUtf8);
        }
    }

    private static nint Export(string name)
    {
        foreach (var provider in Providers)
            if (NativeLibrary.TryLoad(provider, out var handle) && NativeLibrary.TryGetExport(handle, name, out var address))
                return address;
        throw new EntryPointNotFoundException($"Libc: no '{name}' export in any of {string.Join(", ", Providers)}.");
    }
}
