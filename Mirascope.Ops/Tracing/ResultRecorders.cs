using System;
using System.Diagnostics;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Records results that carry more than a value (an LLM response carries usage, model and content) with the
    /// attributes of their own kind. The runtime knows no such type itself — it depends on nothing but
    /// System.Diagnostics.DiagnosticSource — so the package that knows one (Mirascope.Ops.Llm for
    /// Microsoft.Extensions.AI's <c>ChatResponse</c>) registers a recorder when it is first used.
    /// </summary>
    internal static class ResultRecorders
    {
        /// <summary>A recorder: records what the result carries and returns true when it also recorded the output.</summary>
        internal delegate bool Recorder(Activity activity, object result);

        // Written once per registering package, read on every non-primitive result: a copy-on-write array.
        private static volatile Recorder[] _recorders = Array.Empty<Recorder>();

        /// <summary>Adds a recorder (once: adding the same delegate again does nothing).</summary>
        public static void Register(Recorder recorder)
        {
            lock (typeof(ResultRecorders))
            {
                if (Array.IndexOf(_recorders, recorder) >= 0) return;
                var grown = new Recorder[_recorders.Length + 1];
                _recorders.CopyTo(grown, 0);
                grown[grown.Length - 1] = recorder;
                _recorders = grown;
            }
        }

        /// <summary>Lets the registered recorders record <paramref name="result"/>; true when one recorded the output.</summary>
        public static bool TryRecord(Activity activity, object result)
        {
            foreach (var recorder in _recorders)
            {
                try
                {
                    if (recorder(activity, result)) return true;
                }
                catch (Exception ex)
                {
                    OpsEventSource.Log.TracingFailed("record the result of a traced call", ex);
                }
            }

            return false;
        }
    }
}
