using Scratch.TorchSharpSupport;
using static TorchSharp.torch;
Console.WriteLine(TorchSharpLoader.EnsureLoadable());
var a = ones(2, 2, requires_grad: true);
var l = a.matmul(a).sum();
l.backward();
Console.WriteLine(l.item<float>());
Console.WriteLine(string.Join(",", a.grad!.data<float>().ToArray()));
