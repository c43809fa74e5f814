namespace Scratch.Models.Training;

/// <summary>
/// Reads several scalars that live on a device back to the host in one transfer: each is copied
/// into its slot of one small tensor where it was computed, and that tensor comes back once. On a
/// GPU every read waits for the device, so a step that read its numbers one by one would stall once
/// per number.
/// </summary>
public static class Scalars
{
    /// <summary>The values of <paramref name="scalars"/> (each one element, all of one dtype and device), in order, after one device-to-host copy.</summary>
    public static double[] ReadTogether(params Tensor[] scalars)
    {
        ArgumentNullException.ThrowIfNull(scalars);
        if (scalars.Length == 0) return [];
        var first = scalars[0];
        var gathered = Tensor.Zeros([scalars.Length], first.DType, first.Device);   // (n)
        for (int i = 0; i < scalars.Length; i++)
            gathered.Slice(0, i, 1).CopyFrom(scalars[i].Reshape(1));
        return gathered.To(Device.Cpu).To(DType.Float64).ToArray<double>();         // the one read
    }
}
