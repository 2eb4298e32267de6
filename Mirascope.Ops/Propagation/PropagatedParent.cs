using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Mirascope.Ops.Propagation
{
    /// <summary>
    /// The remote parent applied by <see cref="MirascopeOps.PropagatedContext(ExtractedContext)"/>. An
    /// <see cref="Activity"/> cannot take a remote span id as its own, so the parent is kept here and every
    /// Mirascope.Ops span start asks <see cref="ForNewSpan"/> for it: a span started directly in the scope (while the
    /// activity that was current when the scope opened is still current) gets the remote parent; spans started inside
    /// those nest under them as usual.
    /// </summary>
    internal static class PropagatedParent
    {
        private static readonly AsyncLocal<Frame?> Slot = new AsyncLocal<Frame?>();

        // Live scopes in the process: while there are none, a span start pays one volatile read here.
        private static int _open;

        public static Frame Enter(ActivityContext remote)
        {
            var frame = new Frame(remote, Activity.Current, Slot.Value);
            Interlocked.Increment(ref _open);
            Slot.Value = frame;
            return frame;
        }

        /// <summary>The parent to pass to <c>StartActivity</c>: the remote parent, or <c>default</c> (Activity.Current).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ActivityContext ForNewSpan() => Volatile.Read(ref _open) == 0 ? default : Lookup();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ActivityContext Lookup()
        {
            var frame = Slot.Value;
            return frame is not null && ReferenceEquals(Activity.Current, frame.Ambient) ? frame.Remote : default;
        }

        internal sealed class Frame : IDisposable
        {
            private readonly Frame? _previous;
            private int _disposed;

            public Frame(ActivityContext remote, Activity? ambient, Frame? previous)
            {
                Remote = remote;
                Ambient = ambient;
                _previous = previous;
            }

            public ActivityContext Remote { get; }

            public Activity? Ambient { get; }

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    Slot.Value = _previous;
                    Interlocked.Decrement(ref _open);
                }
            }
        }
    }
}
