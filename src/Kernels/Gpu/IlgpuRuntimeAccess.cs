using System.Runtime.CompilerServices;

// ILGPU's CPU accelerator runs kernels as IL it emits into a dynamic assembly named
// "ILGPURuntime"; that assembly must see our internal kernel argument structs
// (GemmArguments, AdamArguments), or loading the kernel fails with "Access is denied".
[assembly: InternalsVisibleTo("ILGPURuntime")]
