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

    /// <summary>True while training (e.g. the denoising AE corrupts its input only then).</summary>
    public bool IsTraining { get; private set; } = true;

    protected Variable RegisterParameter(string name, Tensor value)
    {
        CheckName(name);
        var p = new Variable(value, requiresGrad: true, name: name);
        _parameters.Add((name, p));
        return p;
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
        if (_parameters.Any(p => p.Name == name) || _children.Any(c => c.Name == name))
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

    /// <summary>Moves every parameter to a device (their gradients are dropped).</summary>
    public void To(Device device)
    {
        foreach (var p in Parameters())
        {
            p.Data = p.Data.To(device);
            p.ZeroGrad();
        }
    }
}

/// <summary>A module with one input and one output: the unit a <see cref="Sequential"/> chains.</summary>
public abstract class Layer : Module
{
    public abstract Variable Forward(Variable x);
}
