using System;
using System.Diagnostics;
using System.Threading;
using Mirascope.Ops.Propagation;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Remembers the first span started directly under the caller of <see cref="MirascopeOps.Wrapped{T}(Func{T})"/>.
    /// </summary>
    /// <remarks>
    /// A process-wide counter keeps the cost for traced calls at one volatile read while no wrapped call runs.
    /// "Directly inside" means the span's parent is whatever was current when the wrapped call began.
    /// </remarks>
    internal sealed class WrappedCallCapture : IDisposable
    {
        private static readonly AsyncLocal<WrappedCallCapture?> Current = new AsyncLocal<WrappedCallCapture?>();
        private static int _active;

        private readonly WrappedCallCapture? _outer;
        private readonly Activity? _parent;
        private readonly ActivitySpanId _remoteParent;
        private Activity? _activity;

        private WrappedCallCapture(WrappedCallCapture? outer, Activity? parent, ActivitySpanId remoteParent)
        {
            _outer = outer;
            _parent = parent;
            _remoteParent = remoteParent;
        }

        public Activity? Activity => _activity;

        public static WrappedCallCapture Begin()
        {
            // Inside MirascopeOps.PropagatedContext a direct child's parent is the remote span, not an Activity object.
            var capture = new WrappedCallCapture(Current.Value, Activity.Current, PropagatedParent.ForNewSpan().SpanId);
            Current.Value = capture;
            Interlocked.Increment(ref _active);
            return capture;
        }

        /// <summary>Called for each started span; claims it when it is the first direct child.</summary>
        public static void Offer(Activity activity)
        {
            if (Volatile.Read(ref _active) == 0)
            {
                return;
            }

            var capture = Current.Value;
            if (capture is null || capture._activity is not null || !capture.IsDirectChild(activity))
            {
                return;
            }

            Interlocked.CompareExchange(ref capture._activity, activity, null);
        }

        private bool IsDirectChild(Activity activity) =>
            _remoteParent == default
                ? ReferenceEquals(activity.Parent, _parent)
                : activity.Parent is null && activity.ParentSpanId == _remoteParent;

        public void Dispose()
        {
            Interlocked.Decrement(ref _active);
            Current.Value = _outer;
        }
    }
}
