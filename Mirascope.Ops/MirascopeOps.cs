using System;
using System.Threading.Tasks;
using Mirascope.Ops.Tracing;

namespace Mirascope.Ops
{
    /// <summary>The entry point of Mirascope.Ops: wrapped calls and, later, configuration.</summary>
    public static partial class MirascopeOps
    {
        /// <summary>
        /// Runs <paramref name="call"/> and returns its result with the span of the first traced call made directly
        /// inside it. Span and trace ids are empty when tracing is off or nothing traced ran.
        /// </summary>
        /// <typeparam name="T">The result type.</typeparam>
        /// <param name="call">The call to run, typically a lambda calling one <c>[Trace]</c> method.</param>
        /// <returns>The result and the span identity.</returns>
        public static Trace<T> Wrapped<T>(Func<T> call)
        {
            if (call is null) throw new ArgumentNullException(nameof(call));
            using var capture = WrappedCallCapture.Begin();
            var result = call();
            return new Trace<T>(result, capture.Activity);
        }

        /// <summary>Runs <paramref name="call"/> and returns the span of the first traced call made directly inside it.</summary>
        /// <param name="call">The call to run.</param>
        /// <returns>The span identity.</returns>
        public static TracedCall Wrapped(Action call)
        {
            if (call is null) throw new ArgumentNullException(nameof(call));
            using var capture = WrappedCallCapture.Begin();
            call();
            return new TracedCall(capture.Activity);
        }

        /// <summary>
        /// Awaits <paramref name="call"/> and returns its result with the span of the first traced call made directly
        /// inside it.
        /// </summary>
        /// <typeparam name="T">The result type.</typeparam>
        /// <param name="call">The asynchronous call to run.</param>
        /// <returns>The awaited result and the span identity.</returns>
        public static async Task<Trace<T>> WrappedAsync<T>(Func<Task<T>> call)
        {
            if (call is null) throw new ArgumentNullException(nameof(call));
            using var capture = WrappedCallCapture.Begin();
            var result = await call().ConfigureAwait(false);
            return new Trace<T>(result, capture.Activity);
        }

        /// <summary>Awaits <paramref name="call"/> and returns the span of the first traced call made directly inside it.</summary>
        /// <param name="call">The asynchronous call to run.</param>
        /// <returns>The span identity.</returns>
        public static async Task<TracedCall> WrappedAsync(Func<Task> call)
        {
            if (call is null) throw new ArgumentNullException(nameof(call));
            using var capture = WrappedCallCapture.Begin();
            await call().ConfigureAwait(false);
            return new TracedCall(capture.Activity);
        }
    }
}
