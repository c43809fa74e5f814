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

    public IEnumerable<Variable> Parameters() => NamedParameters().Select(np => np.Parameter);

    public IEnumerable<(string Name, Module Child)> Children() => _children;

    public long ParameterCount() => Parameters().Sum(p => (long)p.Data.Numel);

    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    public void Train(bool training = true)
    {
        IsTraining = training;
        foreach (var (_, child) in _children) child.Train(training);
    }

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

    private void MoveBuffers(Device device)
    {
        foreach (var (_, b) in _buffers) b.Data = b.Data.To(device);
        foreach (var (_, child) in _children) child.MoveBuffers(device);
    }
}

/// <summary>A module with one input and one output: the unit a <see cref="Sequential"/> chains.</summary>
public abstract class Layer : Module
{
    public abstract Variable Forward(Variable x);
}
