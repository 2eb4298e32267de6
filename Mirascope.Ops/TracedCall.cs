using System.Diagnostics;

namespace Mirascope.Ops
{
    /// <summary>
    /// The identity of the span of a traced call made directly inside <see cref="MirascopeOps.Wrapped(System.Action)"/>.
    /// </summary>
    public class TracedCall
    {
        internal TracedCall(Activity? activity)
        {
            Activity = activity;
        }

        /// <summary>The span, or <c>null</c> when tracing was off or no traced method ran.</summary>
        public Activity? Activity { get; }

        /// <summary>The span id as 16 lowercase hex digits, or an empty string.</summary>
        public string SpanId => Activity?.SpanId.ToHexString() ?? string.Empty;

        /// <summary>The trace id as 32 lowercase hex digits, or an empty string.</summary>
        public string TraceId => Activity?.TraceId.ToHexString() ?? string.Empty;
    }

    /// <summary>
    /// The result of a call together with the span of the first traced call made directly inside it
    /// (see <see cref="MirascopeOps.Wrapped{T}(System.Func{T})"/>).
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    public sealed class Trace<T> : TracedCall
    {
        internal Trace(T result, Activity? activity)
            : base(activity)
        {
            Result = result;
        }

        /// <summary>What the wrapped delegate returned.</summary>
        public T Result { get; }
    }
}
