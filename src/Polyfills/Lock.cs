// System.Threading.Lock arrived in .NET 9. On .NET 8 this stand-in keeps the same source compiling:
// the compiler turns `lock (gate)` on a type of this name into EnterScope and Dispose, a Monitor lock here.
#if !NET9_0_OR_GREATER
// CS9216 warns that a Lock used as an object takes a Monitor lock: on .NET 8 that is the point.
#pragma warning disable CS9216

namespace System.Threading;

/// <summary>A mutual-exclusion lock for .NET 8 with the shape of .NET 9's <c>System.Threading.Lock</c>.</summary>
internal sealed class Lock
{
    /// <summary>Gets whether the current thread holds the lock.</summary>
    public bool IsHeldByCurrentThread => Monitor.IsEntered(this);

    /// <summary>Enters the lock; disposing the scope exits it.</summary>
    public Scope EnterScope()
    {
        Monitor.Enter(this);
        return new Scope(this);
    }

    /// <summary>Holds the lock until disposed.</summary>
    public readonly ref struct Scope
    {
        private readonly Lock _owner;

        internal Scope(Lock owner) => _owner = owner;

        /// <summary>Exits the lock.</summary>
        public void Dispose() => Monitor.Exit(_owner);
    }
}
#endif
