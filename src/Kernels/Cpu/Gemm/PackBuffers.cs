using System.Runtime.InteropServices;

namespace Scratch.Kernels.Cpu.Gemm;

/// <summary>
/// Each thread's packing space: the A block, the B panel and one scratch tile for edges, in
/// 64-byte-aligned native memory (one cache line, one Vector512) so packed panels start on a
/// line and vector loads never straddle two. Grown on demand and then reused, so a GEMM in a
/// training loop allocates nothing in steady state.
/// </summary>
/// <remarks>
/// One instance per thread ([ThreadStatic]), so the threads of one GEMM never share a buffer.
/// The finalizer gives the memory back when the thread, and with it the instance, is gone.
/// </remarks>
internal sealed unsafe class PackBuffers
{
    [ThreadStatic] private static PackBuffers? _ofThisThread;

    public static PackBuffers OfThisThread => _ofThisThread ??= new PackBuffers();

    private readonly Slot[] _slots = [new(), new(), new()];

    /// <summary>Packed block of op(A): (MC, KC) as MC/MR micro-panels.</summary>
    public T* PackedA<T>(long count) where T : unmanaged => (T*)_slots[0].Get(count * sizeof(T));

    /// <summary>Packed panel of op(B): (KC, NC) as NC/NR micro-panels.</summary>
    public T* PackedB<T>(long count) where T : unmanaged => (T*)_slots[1].Get(count * sizeof(T));

    /// <summary>An MR × NR tile that edge tiles are computed into before the valid part is copied.</summary>
    public T* Tile<T>(long count) where T : unmanaged => (T*)_slots[2].Get(count * sizeof(T));

    ~PackBuffers()
    {
        foreach (var slot in _slots) slot.Free();
    }

    private sealed class Slot
    {
        private void* _memory;
        private long _bytes;

        public void* Get(long bytes)
        {
            if (bytes > _bytes)
            {
                Free();
                _memory = NativeMemory.AlignedAlloc((nuint)bytes, 64);
                _bytes = bytes;
            }
            return _memory;
        }

        public void Free()
        {
            if (_memory != null) NativeMemory.AlignedFree(_memory);
            _memory = null;
            _bytes = 0;
        }
    }
}
