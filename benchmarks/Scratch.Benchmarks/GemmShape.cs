namespace Scratch.Benchmarks;

/// <summary>
/// The GEMM shapes worth measuring: the VAE's layers at batch 128 (forward, and the two
/// backward products of a dense layer), then squares for comparison with BLAS numbers.
/// </summary>
public sealed record GemmShape(string Name, int M, int N, int K, bool TransA, bool TransB) : IFlopCount
{
    public double Flops => 2.0 * M * N * K;

    public override string ToString() => Name;

    public static readonly GemmShape[] All =
    [
        // x: (128, 784) · W: (784, 400): the VAE's first layer, forward
        new("128x784x400", 128, 400, 784, false, false),
        // h: (128, 400) · W: (400, 20): the mean/log-variance heads
        new("128x400x20", 128, 20, 400, false, false),
        // h: (128, 400) · W: (400, 784): the decoder's last layer
        new("128x400x784", 128, 784, 400, false, false),
        // dW = xᵀ · dy: (784, 128)·(128, 400), A read transposed
        new("AT.B 784x128x400", 784, 400, 128, true, false),
        // dx = dy · Wᵀ: (128, 400)·(400, 784)ᵀ... B stored (784, 400), read transposed
        new("A.BT 128x400x784", 128, 784, 400, false, true),
        // the VAE's head as the engine runs it, μ and log σ² in one 40-wide layer: h · Wᵀ
        new("A.BT 128x400x40", 128, 40, 400, false, true),
        // the decoder's first layer, K = 20: z · Wᵀ, W stored (400, 20)
        new("A.BT 128x20x400", 128, 400, 20, false, true),
        new("256^3", 256, 256, 256, false, false),
        new("512^3", 512, 512, 512, false, false),
        new("1024^3", 1024, 1024, 1024, false, false),
    ];
}
