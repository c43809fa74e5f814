using System.Reflection;
using System.Text.RegularExpressions;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Scratch.Kernels.Gpu;

namespace Scratch.Kernels.Tests.Gpu;

// Every GPU kernel compiles to PTX, with the backend ILGPU's CudaAccelerator builds at run time,
// without a GPU or CUDA installed. CudaAccelerator (ILGPU 1.5.3) constructs
//   new PTXBackend(context, new CudaCapabilityContext(arch), arch,
//                  GetInstructionSet(capabilities.TargetArchitecture, driverVersion), nvvm)
// where arch is the device's compute capability, the instruction set is the newest PTX ISA the
// installed driver accepts, nvvm is null unless the context names libNVVM (ours does not), and the
// context carries GpuDevice's flags (GpuDevice.Configure). Here: sm_90 (H100, H200) and sm_75 (T4),
// each with the oldest driver that supports it and with the newest driver ILGPU 1.5.3 knows.
// The kernels are found by reflection, not listed by hand: every public static method of a
// static class named *Kernels in Scratch.Kernels.Gpu is a kernel, and each generic kernel is
// closed over every operator struct its constraint admits. A new kernel cannot escape.
public class GpuPtxTests
{
    private Context _context = null!;
    private readonly Dictionary<string, PTXBackend> _backends = [];

    /// <summary>What the CUDA accelerator would run on: a device architecture and an installed driver.</summary>
    public sealed record CudaTarget(string Name, CudaArchitecture Architecture, CudaDriverVersion Driver)
    {
        public override string ToString() => Name;
    }

    private static readonly CudaArchitecture Turing = CudaArchitecture.SM_75;

    public static IEnumerable<CudaTarget> Targets()
    {
        var newestDriver = CudaDriverVersionUtils.GetMinimumDriverVersion(PTXCodeGenerator.SupportedInstructionSets.First());
        foreach (var (name, arch) in new[] { ("sm_90", CudaArchitecture.SM_90), ("sm_75", Turing) })
        {
            yield return new CudaTarget($"{name}, oldest driver", arch, CudaDriverVersionUtils.GetMinimumDriverVersion(arch));
            yield return new CudaTarget($"{name}, newest driver", arch, newestDriver);
        }
    }

    /// <summary>The backend CudaAccelerator's constructor builds for <paramref name="target"/>.</summary>
    private PTXBackend BackendFor(CudaTarget target)
    {
        if (_backends.TryGetValue(target.Name, out var backend)) return backend;
        var capabilities = new CudaCapabilityContext(target.Architecture);
        var instructionSet = CudaAccelerator.GetInstructionSet(capabilities.TargetArchitecture, target.Driver);
        backend = new PTXBackend(_context, capabilities, target.Architecture, instructionSet, nvvmAPI: null);
        _backends[target.Name] = backend;
        return backend;
    }

    [OneTimeSetUp]
    public void CreateContext() => _context = Context.Create(builder => GpuDevice.Configure(builder));

    [OneTimeTearDown]
    public void DisposeBackends()
    {
        foreach (var backend in _backends.Values) backend.Dispose();
        _context.Dispose();
    }

    public static IEnumerable<TestCaseData> Kernels() =>
        from target in Targets()
        from method in KernelMethods()
        from closed in CloseOverOperators(method)
        select new TestCaseData(target, closed).SetArgDisplayNames(target.Name, DisplayName(closed));

    [TestCaseSource(nameof(Kernels))]
    public void Kernel_CompilesToPtx(CudaTarget target, MethodInfo kernel)
    {
        var backend = BackendFor(target);
        var entry = IsImplicitlyGrouped(kernel)
            ? EntryPointDescription.FromImplicitlyGroupedKernel(kernel)
            : EntryPointDescription.FromExplicitlyGroupedKernel(kernel);
        var compiled = (PTXCompiledKernel)backend.Compile(entry, default(KernelSpecialization));
        Assert.That(compiled.PTXAssembly, Does.Contain(".entry").And.Contain($".version {backend.InstructionSet}"));
        // Static shared memory, as declared in the PTX: CUDA's limit per block without an opt-in is 48 KiB.
        Assert.That(StaticSharedBytes(compiled.PTXAssembly), Is.LessThanOrEqualTo(48 * 1024), "static shared memory in bytes");
    }

    [Test]
    public void Targets_AreWhatTheCudaAcceleratorWouldPick()
    {
        // ILGPU 1.5.3 targets at most sm_80 (the newest architecture it has capabilities for), and
        // below that the device's own; the ISA is the newest the driver accepts.
        var header = Targets().ToDictionary(t => t.Name, t =>
        {
            var fill = typeof(LayoutKernels).GetMethod(nameof(LayoutKernels.Fill))!;
            var ptx = ((PTXCompiledKernel)BackendFor(t).Compile(
                EntryPointDescription.FromImplicitlyGroupedKernel(fill), default(KernelSpecialization))).PTXAssembly;
            return string.Join(" | ", ptx.Split('\n').Where(l => l.StartsWith(".version") || l.StartsWith(".target")));
        });
        TestContext.Out.WriteLine(string.Join("\n", header.Select(h => $"{h.Key}: {h.Value}")));
        // What README and Kernels/Gpu/README.md state about the PTX the driver gets, checked.
        Assert.That(header, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["sm_90, oldest driver"] = ".version 7.8 | .target sm_80",   // CUDA 11.8, the first driver for sm_90
            ["sm_90, newest driver"] = ".version 8.8 | .target sm_80",   // CUDA 12.9 and later
            ["sm_75, oldest driver"] = ".version 6.3 | .target sm_75",
            ["sm_75, newest driver"] = ".version 8.8 | .target sm_75",
        }));
    }

    [Test]
    public void Gemm_KeepsItsMicroTileInRegisters_AndSyncsTheGroup()
    {
        var gemm = typeof(GemmKernels).GetMethod(nameof(GemmKernels.Gemm))!;
        var h100 = Targets().First(t => t.Architecture == CudaArchitecture.SM_90);
        var ptx = ((PTXCompiledKernel)BackendFor(h100).Compile(
            EntryPointDescription.FromExplicitlyGroupedKernel(gemm), default(KernelSpecialization))).PTXAssembly;
        // 16 named accumulators, not an array: nothing spills to (off-chip) local memory.
        Assert.That(ptx, Does.Not.Contain(".local"));
        Assert.That(ptx, Does.Contain("ld.shared").And.Contain("bar.sync"));
        // Two tiles of BlockK × (Block + 1) floats: what the kernel allocates is what the PTX declares.
        Assert.That(StaticSharedBytes(ptx), Is.EqualTo(4 * GemmKernels.BlockK * (GemmKernels.BlockM + 1 + GemmKernels.BlockN + 1)));
    }

    [Test]
    public void Catalog_FindsEveryKernelFamily()
    {
        var names = KernelMethods().Select(m => $"{m.DeclaringType!.Name}.{m.Name}").ToHashSet();
        Assert.That(names, Is.SupersetOf(new[]
        {
            "ElementwiseKernels.Unary", "ElementwiseKernels.Binary", "ElementwiseKernels.Clamp",
            "ReductionKernels.ReduceAll", "ReductionKernels.ReduceRows", "ReductionKernels.ColumnSums",
            "GemmKernels.Gemm", "FusedKernels.AdamStep", "FusedKernels.KlNormalBackward",
            "LayoutKernels.StridedCopy", "LayoutKernels.BiasActivation",
            "ConvKernels.Im2Col", "ConvKernels.Col2Im", "ConvKernels.ChannelsFirst", "ConvKernels.ChannelsLast",
            "PoolKernels.MaxPoolForward", "PoolKernels.MaxPoolBackward", "PoolKernels.AvgPoolForward", "PoolKernels.AvgPoolBackward",
            "BatchNormKernels.Statistics", "BatchNormKernels.Apply", "BatchNormKernels.Backward",
            "RandomKernels.FillNormal", "RandomKernels.FillWords",
        }));
    }

    [Test]
    public void EveryOpEnumValue_HasAnOperatorTheCatalogCompiles()
    {
        var unaryTypes = OperatorsImplementing(typeof(IGpuUnaryOperator));
        var binaryTypes = OperatorsImplementing(typeof(IGpuBinaryOperator));
        foreach (var op in Enum.GetValues<UnaryOp>())
            Assert.That(unaryTypes, Does.Contain(OperatorDispatch.Unary(op, new TypeOfUnary())), $"{op}");
        foreach (var op in Enum.GetValues<BinaryOp>())
            Assert.That(binaryTypes, Does.Contain(OperatorDispatch.Binary(op, new TypeOfBinary())), $"{op}");
        // And no operator struct is left without an enum value that reaches it.
        Assert.That(unaryTypes, Has.Count.EqualTo(Enum.GetValues<UnaryOp>().Length));
        Assert.That(binaryTypes, Has.Count.EqualTo(Enum.GetValues<BinaryOp>().Length));
    }

    // Sum of the ".shared ... .b8 name[bytes];" declarations ILGPU writes for SharedMemory.Allocate.
    private static int StaticSharedBytes(string ptx) =>
        Regex.Matches(ptx, @"\.shared\s[^;\[]*\[(\d+)\]").Sum(m => int.Parse(m.Groups[1].Value));

    private static IEnumerable<MethodInfo> KernelMethods() =>
        from type in typeof(GpuDevice).Assembly.GetTypes()
        where type.Namespace == typeof(GpuDevice).Namespace && type.IsAbstract && type.IsSealed
              && type.Name.EndsWith("Kernels", StringComparison.Ordinal)
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
        orderby type.Name, method.Name
        select method;

    private static IEnumerable<MethodInfo> CloseOverOperators(MethodInfo method)
    {
        if (!method.IsGenericMethodDefinition) return [method];
        var parameter = method.GetGenericArguments().Single();
        var constraint = parameter.GetGenericParameterConstraints().Single(t => t.IsInterface);
        return OperatorsImplementing(constraint).Select(op => method.MakeGenericMethod(op));
    }

    private static List<Type> OperatorsImplementing(Type contract) =>
        typeof(GpuDevice).Assembly.GetTypes()
            .Where(t => t.IsValueType && contract.IsAssignableFrom(t))
            .OrderBy(t => t.Name)
            .ToList();

    private static bool IsImplicitlyGrouped(MethodInfo kernel)
    {
        var first = kernel.GetParameters().FirstOrDefault()?.ParameterType;
        return first == typeof(Index1D) || first == typeof(Index2D) || first == typeof(Index3D);
    }

    private static string DisplayName(MethodInfo m) =>
        m.IsGenericMethod ? $"{m.DeclaringType!.Name}.{m.Name}<{m.GetGenericArguments()[0].Name}>" : $"{m.DeclaringType!.Name}.{m.Name}";

    private sealed class TypeOfUnary : IUnaryOperatorVisitor<Type>
    {
        public Type Visit<TOp>() where TOp : struct, IGpuUnaryOperator => typeof(TOp);
    }

    private sealed class TypeOfBinary : IBinaryOperatorVisitor<Type>
    {
        public Type Visit<TOp>() where TOp : struct, IGpuBinaryOperator => typeof(TOp);
    }
}
