namespace Scratch.TorchSharpSupport;

/// <summary>What <see cref="TorchSharpLoader.EnsureLoadable()"/> found and did.</summary>
/// <param name="LibStdCxx">path of the libstdc++ this process uses (null off Linux).</param>
/// <param name="MissingVersions">versions libLibTorchSharp.so needs that this libstdc++ lacks; empty means no fix was needed.</param>
/// <param name="PatchedFiles">copies rewritten by this call (empty when they were already patched).</param>
/// <param name="CheckedFiles">every copy of libLibTorchSharp.so in the build output that was examined.</param>
/// <param name="ShimLibrary">path of the symbol shim opened with RTLD_GLOBAL, or null when none was needed.</param>
/// <param name="LoadedLibrary">the copy of libLibTorchSharp.so opened to prove it loads (null off Linux).</param>
public sealed record TorchSharpLoadReport(
    string? LibStdCxx,
    IReadOnlyList<string> MissingVersions,
    IReadOnlyList<string> PatchedFiles,
    IReadOnlyList<string> CheckedFiles,
    string? ShimLibrary,
    string? LoadedLibrary)
{
    public bool FixNeeded => MissingVersions.Count > 0;

    public override string ToString() =>
        LibStdCxx is null
            ? "TorchSharp loader: not linux-x64, nothing to do."
            : $"TorchSharp loader: libstdc++ {LibStdCxx}; " +
              (FixNeeded ? $"missing {string.Join(", ", MissingVersions)} (made weak); " : "no missing versions; ") +
              $"patched now: {PatchedFiles.Count} of {CheckedFiles.Count} copies; " +
              $"shim: {ShimLibrary ?? "not needed"}; loaded {LoadedLibrary}.";
}
