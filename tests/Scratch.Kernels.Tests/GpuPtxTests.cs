using System.Reflection;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Scratch.Kernels.Gpu;

namespace Scratch.Kernels.Tests.Gpu;

// Every GPU kernel compiles to PTX for an H100 (sm_90) without a GPU or CUDA installed.
// The kernels are found by reflection, not listed by hand: every public static method of a
// static class named *Kernels in Scratch.Kernels.Gpu is a kernel, and each generic kernel is
// closed over every operator struct its constraint admits. A new kernel cannot escape.
public class GpuPtxTests
{
    private Context _context = null!;
    private PTXBackend _backend = null!;

    [OneTimeSetUp]
    public void CreateBackend()
    {
        _context = Context.Create(builder => builder.EnableAlgorithms());
        // nvvmAPI null: ILGPU's own PTX generator, no NVIDIA library needed.
        _backend = new PTXBackend(_context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, nvvmAPI: null!);
    }

    [OneTimeTearDown]
    public void DisposeBackend()
    {
        _backend.Dispose();
        _context.Dispose();
    }

    public static IEnumerable<TestCaseData> Kernels() =>
        from method in KernelMethods()
        from closed in CloseOverOperators(method)
        select new TestCaseData(closed).SetArgDisplayNames(DisplayName(closed));

    [TestCaseSource(nameof(Kernels))]
    public void Kernel_CompilesToPtx(MethodInfo kernel)
    {
        var entry = IsImplicitlyGrouped(kernel)
            ? EntryPointDescription.FromImplicitlyGroupedKernel(kernel)
            : EntryPointDescription.FromExplicitlyGroupedKernel(kernel);
        var compiled = (PTXCompiledKernel)_backend.Compile(entry, default(KernelSpecialization));
        // ILGPU 1.5.3 writes ".target sm_80" even for SM_90; the driver JITs sm_80 PTX on an H100.
        Assert.That(compiled.PTXAssembly, Does.Contain(".entry").And.Contain(".target sm_"));
    }

    [Test]
    public void PtxHeader_SaysWhatTheDriverGets()
    {
        // What README and Kernels/Gpu/README.md state about the PTX target, checked: the PTX ISA
        // version and the .target line ILGPU 1.5.3 writes when asked for SM_90 with ISA_80.
        var fill = typeof(LayoutKernels).GetMethod(nameof(LayoutKernels.Fill))!;
        var ptx = ((PTXCompiledKernel)_backend.Compile(
            EntryPointDescription.FromImplicitlyGroupedKernel(fill), default(KernelSpecialization))).PTXAssembly;
        var header = ptx.Split('\n').Where(l => l.StartsWith(".version") || l.StartsWith(".target") || l.StartsWith(".address_size")).ToArray();
        Assert.That(header, Is.EqualTo(new[] { ".version 8.0", ".target sm_80", ".address_size 64" }));
    }

    [Test]
    public void Gemm_KeepsItsMicroTileInRegisters_AndSyncsTheGroup()
    {
        var gemm = typeof(GemmKernels).GetMethod(nameof(GemmKernels.Gemm))!;
        var ptx = ((PTXCompiledKernel)_backend.Compile(
            EntryPointDescription.FromExplicitlyGroupedKernel(gemm), default(KernelSpecialization))).PTXAssembly;
        // 16 named accumulators, not an array: nothing spills to (off-chip) local memory.
        Assert.That(ptx, Does.Not.Contain(".local"));
        Assert.That(ptx, Does.Contain("ld.shared").And.Contain("bar.sync"));
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
