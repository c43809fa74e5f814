using Scratch.Autograd;

namespace Scratch.Models.Nn;

/// <summary>
/// A piece of a network that owns parameters and child modules, as in torch.nn.Module: named
/// parameters ("encoder.0.weight"), train/eval mode, ZeroGrad. Subclasses register what they own
/// in their constructor; nothing is discovered by reflection.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Variable Parameter)> _parameters = [];
    private readonly List<(string Name, Module Child)> _children = [];
    private readonly List<(string Name, Variable Holder)> _buffers = [];

    /// <summary>True while training (e.g. the denoising AE corrupts its input only then).</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>
    /// Creates a trainable parameter (requires_grad) holding <paramref name="value"/> and registers it
    /// under <paramref name="name"/>, as torch.nn.Module.register_parameter; call it from the constructor.
    /// </summary>
    /// <returns>The parameter, to keep in a field and use in Forward.</returns>
    /// <exception cref="ArgumentException">The name is empty, contains a dot, or is already registered here.</exception>
    protected Variable RegisterParameter(string name, Tensor value)
    {
        CheckName(name);
        var p = new Variable(value, requiresGrad: true, name: name);
        _parameters.Add((name, p));
        return p;
    }

    /// <summary>
    /// State that is not trained by gradients but belongs to the model (BatchNorm's running_mean,
    /// running_var, num_batches_tracked): saved in checkpoints and moved by <see cref="To"/>, as
    /// PyTorch's register_buffer. The holder's Data is the buffer (it may be replaced, e.g. on a move).
    /// </summary>
    protected Variable RegisterBuffer(string name, Tensor value)
    {
        CheckName(name);
        var holder = new Variable(value, requiresGrad: false, name: name);
        _buffers.Add((name, holder));
        return holder;
    }

    /// <summary>
    /// Registers a child module under <paramref name="name"/>, so its parameters and buffers appear as
    /// "name.weight" and it follows Train/Eval and To (torch.nn.Module.add_module).
    /// </summary>
    /// <returns><paramref name="child"/>, for assignment in the constructor.</returns>
    /// <exception cref="ArgumentException">The name is empty, contains a dot, or is already registered here.</exception>
    protected T RegisterModule<T>(string name, T child) where T : Module
    {
        CheckName(name);
        _children.Add((name, child));
        return child;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"module: '{name}' is not a valid name (non-empty, no dots)");
        if (_parameters.Any(p => p.Name == name) || _children.Any(c => c.Name == name) || _buffers.Any(b => b.Name == name))
            throw new ArgumentException($"module: the name '{name}' is registered twice in {GetType().Name}");
    }

    /// <summary>Every parameter of this module and its children, with dotted path names, in registration order.</summary>
    public IEnumerable<(string Name, Variable Parameter)> NamedParameters()
    {
        foreach (var (name, p) in _parameters) yield return (name, p);
        foreach (var (childName, child) in _children)
        foreach (var (name, p) in child.NamedParameters())
            yield return ($"{childName}.{name}", p);
    }

    /// <summary>Every buffer of this module and its children, with dotted path names ("encoder.1.running_mean").</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        foreach (var (name, b) in _buffers) yield return (name, b.Data);
        foreach (var (childName, child) in _children)
        foreach (var (name, b) in child.NamedBuffers())
            yield return ($"{childName}.{name}", b);
    }

    /// <summary>Parameters then buffers, by name: what a checkpoint holds (PyTorch's state_dict, in its own order).</summary>
    public IEnumerable<(string Name, Tensor Value)> NamedState() =>
        NamedParameters().Select(p => (p.Name, p.Parameter.Data)).Concat(NamedBuffers());

    /// <summary>Every trainable parameter, recursively, in <see cref="NamedParameters"/> order: what an optimizer is given (torch.nn.Module.parameters).</summary>
    public IEnumerable<Variable> Parameters() => NamedParameters().Select(np => np.Parameter);

    /// <summary>The direct child modules with their names, in registration order (torch.nn.Module.named_children).</summary>
    public IEnumerable<(string Name, Module Child)> Children() => _children;

    /// <summary>The total number of parameter elements, recursively (buffers not counted).</summary>
    public long ParameterCount() => Parameters().Sum(p => (long)p.Data.Numel);

    /// <summary>Clears the gradient of every parameter, recursively (torch.nn.Module.zero_grad); call before each backward pass.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>Sets training mode (or eval mode with false) on this module and every child (torch.nn.Module.train): Dropout, BatchNorm and input corruption depend on it.</summary>
    public void Train(bool training = true)
    {
        IsTraining = training;
        foreach (var (_, child) in _children) child.Train(training);
    }

    /// <summary>Eval mode, recursively: Train(false) (torch.nn.Module.eval). Dropout becomes the identity and BatchNorm uses its running statistics.</summary>
    public void Eval() => Train(false);

    /// <summary>Moves every parameter and buffer to a device (the gradients are dropped).</summary>
    public void To(Device device)
    {
        foreach (var p in Parameters())
        {
            p.Data = p.Data.To(device);
            p.ZeroGrad();
        }
        MoveBuffers(device);
    }

    /// <summary>
    /// PyTorch's state_dict: every parameter's and buffer's tensor by dotted name, in <see cref="NamedState"/>
    /// order. The tensors are the module's own (not copies); save them with Safetensors.Save.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in NamedState()) state[name] = value;
        return state;
    }

    /// <summary>
    /// PyTorch's load_state_dict: copies each tensor of <paramref name="state"/> into the parameter
    /// or buffer of that name (cast to its dtype, on its device). With <paramref name="strict"/>, keys
    /// the module lacks (unexpected) or has but the dict lacks (missing) are an error naming them all;
    /// without it they are returned. A shape mismatch is an error either way, as in PyTorch.
    /// </summary>
    public (IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected) LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = NamedState().ToList();
        var names = own.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var missing = own.Where(o => !state.ContainsKey(o.Name)).Select(o => o.Name).ToList();
        var unexpected = state.Keys.Where(k => !names.Contains(k)).ToList();
        if (strict && (missing.Count > 0 || unexpected.Count > 0))
            throw new ArgumentException($"load_state_dict for {GetType().Name}: " + string.Join("; ", new[]
            {
                missing.Count > 0 ? $"missing key(s): {string.Join(", ", missing)}" : null,
                unexpected.Count > 0 ? $"unexpected key(s): {string.Join(", ", unexpected)}" : null,
            }.Where(m => m is not null)));
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out var source)) continue;
            if (!source.Shape.SequenceEqual(target.Shape))
                throw new ArgumentException($"load_state_dict for {GetType().Name}: size mismatch for {name}: the dict has {Shapes.Format(source.ShapeArray)}, the module {Shapes.Format(target.ShapeArray)}");
            target.CopyFrom(source.To(target.DType).To(target.Device));
        }
        return (missing, unexpected);
    }

    private void MoveBuffers(Device device)
    {
        foreach (var (_, b) in _buffers) b.Data = b.Data.To(device);
        foreach (var (_, child) in _children) child.MoveBuffers(device);
    }
}

/// <summary>A module with one input and one output: the unit a <see cref="Sequential"/> chains.</summary>
public abstract class Layer : Module
{
    /// <summary>Computes the layer's output from <paramref name="x"/>, recording the ops for backward (torch's forward / __call__).</summary>
    public abstract Variable Forward(Variable x);
}
