using Scratch.Autograd;

namespace Scratch.Experiments.Robustness;

/// <summary>The norm of the ball an attack stays in: L∞ (every pixel moves at most ε) or L2 (the whole image moves at most ε).</summary>
public enum AttackNorm
{
    /// <summary>max |δᵢ| ≤ ε; steps are signs of the gradient.</summary>
    LInf,
    /// <summary>‖δ‖₂ ≤ ε; steps follow the normalised gradient.</summary>
    L2,
}

/// <summary>
/// One attack's settings. Defaults: 20 steps of 2.5·ε/20 each (a common rule of thumb: the steps
/// together could cross the ball 2.5 times over, so the projection, not the step budget, bounds δ),
/// from a random start in the ball.
/// </summary>
public sealed record PgdSettings
{
    /// <summary>Which ball δ stays in.</summary>
    public AttackNorm Norm { get; init; } = AttackNorm.LInf;
    /// <summary>The ball's radius ε ≥ 0, in pixel units (pixels are in [0, 1]).</summary>
    public double Epsilon { get; init; }
    /// <summary>Gradient steps (≥ 1).</summary>
    public int Steps { get; init; } = 20;
    /// <summary>Each step's length is StepFactor·ε/Steps (&gt; 0).</summary>
    public double StepFactor { get; init; } = 2.5;
    /// <summary>
    /// Start from a random δ in the ball (default). Needed, not optional, for this objective:
    /// ‖μ(x + δ) − μ(x)‖² has a zero gradient at δ = 0, so an attack started there never moves.
    /// </summary>
    public bool RandomStart { get; init; } = true;

    /// <summary>α = StepFactor·ε/Steps: the length of one step (L2) or of one step per pixel (L∞).</summary>
    public double StepSize => StepFactor * Epsilon / Steps;

    /// <summary>"L∞ ε 0.1, 20 steps of 0.0125".</summary>
    public string Describe() => FormattableString.Invariant($"{Name(Norm)} ε {Epsilon:G4}, {Steps} steps of {StepSize:G4}{(RandomStart ? ", random start" : "")}");

    /// <summary>"L∞" or "L2".</summary>
    public static string Name(AttackNorm norm) => norm == AttackNorm.LInf ? "L∞" : "L2";

    /// <summary>Refuses a negative or non-finite ε, no steps, or a step factor that is not positive.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        if (!(Epsilon >= 0) || !double.IsFinite(Epsilon))
            throw new ArgumentException($"attack: ε {Epsilon} must be a finite number ≥ 0");
        if (Steps < 1) throw new ArgumentException($"attack: {Steps} steps; at least 1");
        if (!(StepFactor > 0) || !double.IsFinite(StepFactor))
            throw new ArgumentException($"attack: step factor {StepFactor} must be a finite number > 0");
        if (!Enum.IsDefined(Norm)) throw new ArgumentException($"attack: unknown norm {Norm}");
    }
}

/// <summary>
/// Projected gradient ascent (PGD; Madry et al., "Towards Deep Learning Models Resistant to
/// Adversarial Attacks", ICLR 2018) on an encoder: for each image x it looks for the δ in the
/// ε-ball that moves the code furthest,
/// <code>
/// maximise L(δ) = ‖μ(x + δ) − μ(x)‖²   subject to ‖δ‖ ≤ ε and x + δ ∈ [0, 1]ⁿ
/// </code>
/// — an attack on the representation that needs no labels and no classifier: whatever reads the
/// code sees it move. The gradient ∂L/∂x comes from Scratch's own autograd: x + δ is a leaf
/// <see cref="Variable"/> that requires a gradient, the encoder runs forward on it and
/// <see cref="Variable.Backward()"/> fills its <see cref="Variable.Grad"/>.
/// </summary>
/// <remarks>
/// <para>One step, per image: L∞: δ ← δ + α·sign(∇δL); L2: δ ← δ + α·∇δL/‖∇δL‖₂ (no move where the
/// gradient is zero). Then δ is projected onto the ball (L∞: clip each δᵢ to [−ε, ε]; L2: scale δ
/// down to length ε when longer) and x + δ onto the pixel range (clip to [0, 1]). For L∞ the two
/// clips are the exact projection onto the intersection. For L2 clipping after the ball is not the
/// Euclidean projection onto the intersection, but it stays inside both sets: x ∈ [0, 1] makes each
/// clip move x + δ towards x, so every |δᵢ| and hence ‖δ‖₂ only shrinks.</para>
/// <para>The steps are done in double on the host; the encoder sees x + δ in its own dtype, so a
/// float32 model's input can sit outside the ball by the rounding of a float32 pixel (≤ 6e-8).</para>
/// <para>The returned image is the last iterate (as Madry et al.), not the best one seen.</para>
/// <para>The encoder's parameters also receive gradients during the attack (Scratch's parameters
/// always require them); <see cref="Attack"/> clears them before it returns, so an attack leaves a
/// model as it found it.</para>
/// </remarks>
public static class EncoderAttack
{
    /// <summary>
    /// Attacks a batch x: (B, n) with pixels in [0, 1] against <paramref name="encode"/>: (B, n) → (B, L),
    /// which must treat rows independently (eval mode for BatchNorm). Returns x + δ: (B, n), in x's
    /// dtype and on its device. The random start is drawn from <paramref name="rng"/>.
    /// </summary>
    /// <param name="parameters">The encoder's parameters, whose gradients the attack leaves cleared (may be empty).</param>
    /// <exception cref="ArgumentException">The settings are invalid, x is not 2-D, or a pixel is outside [0, 1].</exception>
    public static Tensor Attack(Func<Variable, Variable> encode, Tensor x, PgdSettings settings, Rng rng, IEnumerable<Variable>? parameters = null)
    {
        settings.Validate();
        if (x.Rank != 2) throw new ArgumentException($"attack: images must be (B, n), not {Shapes.Format(x.Shape)}");
        var clean = Host(x);                                                   // (B, n)
        int pixels = x.Size(1);
        if (Array.FindIndex(clean, v => !(v >= 0 && v <= 1)) is int bad and >= 0)
            throw new ArgumentException($"attack: pixel {bad % pixels} of image {bad / pixels} is {clean[bad]}; images must be in [0, 1]");
        Tensor target;
        using (TensorPool.IsActive ? null : TensorPool.Scope())
        using (NoGrad.Scope())
            target = Persist(encode(x).Data);                                  // μ(x): (B, L)
        var delta = settings.RandomStart ? RandomStart(clean.Length, pixels, settings, rng) : new double[clean.Length];
        Project(delta, clean, pixels, settings.Norm, settings.Epsilon);
        for (int step = 0; step < settings.Steps; step++)
            delta = Step(encode, clean, pixels, target, delta, settings, x.DType, x.Device);
        foreach (var p in parameters ?? []) p.ZeroGrad();
        return Image(clean, delta, pixels, x.DType, x.Device);
    }

    /// <summary>
    /// One PGD step from δ: the gradient of Σ_b ‖μ(x_b + δ_b) − target_b‖² at x + δ, the step of
    /// <paramref name="settings"/>' norm, then the projections. clean and δ: (B, n) row-major;
    /// target: (B, L), the clean codes. Returns the new δ (a new array).
    /// </summary>
    public static double[] Step(Func<Variable, Variable> encode, double[] clean, int pixels, Tensor target, double[] delta, PgdSettings settings,
        DType dtype, Device device)
    {
        var gradient = Gradient(encode, clean, pixels, target, delta, dtype, device);   // (B, n)
        if (Array.FindIndex(gradient, g => !double.IsFinite(g)) is int bad and >= 0)
            throw new ArgumentException($"attack: the encoder's gradient at image {bad / pixels} is {gradient[bad]}; its outputs are not finite");
        var next = (double[])delta.Clone();
        double alpha = settings.StepSize;
        for (int b = 0; b < clean.Length / pixels; b++)
        {
            var g = gradient.AsSpan(b * pixels, pixels);
            var d = next.AsSpan(b * pixels, pixels);
            if (settings.Norm == AttackNorm.LInf)
                for (int i = 0; i < pixels; i++) d[i] += alpha * Math.Sign(g[i]);
            else
            {
                double norm = Norm2(g);
                if (norm > 0)
                    for (int i = 0; i < pixels; i++) d[i] += alpha * g[i] / norm;
            }
        }
        Project(next, clean, pixels, settings.Norm, settings.Epsilon);
        return next;
    }

    /// <summary>∇δ Σ_b ‖μ(x_b + δ_b) − target_b‖² through the engine's autograd. → (B, n) on the host.</summary>
    public static double[] Gradient(Func<Variable, Variable> encode, double[] clean, int pixels, Tensor target, double[] delta, DType dtype, Device device)
    {
        using (TensorPool.IsActive ? null : TensorPool.Scope())
        {
            // x + δ as a leaf that requires a gradient: the input, not a parameter, is what we differentiate by.
            var input = new Variable(Image(clean, delta, pixels, dtype, device), requiresGrad: true);   // (B, n)
            var shift = (encode(input) - target).Square().Sum();                                       // scalar
            shift.Backward();
            return Host(input.Grad!);
        }
    }

    /// <summary>
    /// Projects δ: (B, n) in place onto the ε-ball of <paramref name="norm"/> around each image, then
    /// x + δ onto [0, 1] (see the class remarks for why the result lies in both).
    /// </summary>
    public static void Project(double[] delta, double[] clean, int pixels, AttackNorm norm, double epsilon)
    {
        for (int b = 0; b < delta.Length / pixels; b++)
        {
            var d = delta.AsSpan(b * pixels, pixels);
            var x = clean.AsSpan(b * pixels, pixels);
            if (norm == AttackNorm.LInf)
                for (int i = 0; i < pixels; i++) d[i] = Math.Clamp(d[i], -epsilon, epsilon);
            else
            {
                double length = Norm2(d);
                if (length > epsilon)
                    for (int i = 0; i < pixels; i++) d[i] *= epsilon / length;
            }
            for (int i = 0; i < pixels; i++) d[i] = Math.Clamp(x[i] + d[i], 0, 1) - x[i];
        }
    }

    /// <summary>
    /// A random δ in the ball (before the pixel clip): L∞ uniform in [−ε, ε]ⁿ; L2 uniform in the
    /// ball, a Gaussian direction at radius ε·u^(1/n), u ~ U(0, 1).
    /// </summary>
    public static double[] RandomStart(int length, int pixels, PgdSettings settings, Rng rng)
    {
        var delta = new double[length];
        double eps = settings.Epsilon;
        for (int b = 0; b < length / pixels; b++)
        {
            var d = delta.AsSpan(b * pixels, pixels);
            if (settings.Norm == AttackNorm.LInf)
                for (int i = 0; i < pixels; i++) d[i] = eps * (2 * rng.NextDouble() - 1);
            else
            {
                for (int i = 0; i < pixels; i++) d[i] = rng.NextNormal();
                double norm = Norm2(d), radius = eps * Math.Pow(rng.NextDouble(), 1.0 / pixels);
                if (norm > 0)
                    for (int i = 0; i < pixels; i++) d[i] *= radius / norm;
            }
        }
        return delta;
    }

    /// <summary>Per image, ‖δ‖ in the attack's norm: δ: (B, n) → (B).</summary>
    public static double[] Norms(double[] delta, int pixels, AttackNorm norm)
    {
        var result = new double[delta.Length / pixels];
        for (int b = 0; b < result.Length; b++)
        {
            var d = delta.AsSpan(b * pixels, pixels);
            result[b] = norm == AttackNorm.L2 ? Norm2(d) : MaxAbs(d);
        }
        return result;
    }

    // x + δ: (B, n) as a tensor of the model's dtype on its device.
    private static Tensor Image(double[] clean, double[] delta, int pixels, DType dtype, Device device)
    {
        var sum = new double[clean.Length];
        for (int i = 0; i < sum.Length; i++) sum[i] = clean[i] + delta[i];
        return Tensor.FromArray(sum, clean.Length / pixels, pixels).To(dtype).To(device);
    }

    private static double[] Host(Tensor t) => t.To(Device.Cpu).To(DType.Float64).Contiguous().ToArray<double>();

    // A copy that outlives the pooling scope it was made in.
    private static Tensor Persist(Tensor t)
    {
        using (TensorPool.Persistent()) return t.Clone();
    }

    private static double Norm2(ReadOnlySpan<double> v)
    {
        double sum = 0;
        foreach (var x in v) sum += x * x;
        return Math.Sqrt(sum);
    }

    private static double MaxAbs(ReadOnlySpan<double> v)
    {
        double max = 0;
        foreach (var x in v) max = Math.Max(max, Math.Abs(x));
        return max;
    }
}
