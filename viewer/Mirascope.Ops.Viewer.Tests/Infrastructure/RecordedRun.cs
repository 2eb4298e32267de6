using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using TracedBookshop;

namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>
    /// Runs the woven <see cref="Bookshop"/> in a session and keeps the finished spans of that one trace (tests run in
    /// parallel, so spans are picked by trace id). The spans are what the Mirascope.Ops source really produces.
    /// </summary>
    internal sealed class RecordedRun
    {
        public const string SessionId = "session-42";

        private RecordedRun(string traceId, IReadOnlyList<Activity> spans)
        {
            TraceId = traceId;
            Spans = spans;
        }

        public string TraceId { get; }

        /// <summary>RecommendAsync (root) > SearchAsync, Price, Lookup (failed), in end order.</summary>
        public IReadOnlyList<Activity> Spans { get; }

        public Activity Span(string name) => Spans.Single(s => s.DisplayName == name);

        public static async Task<RecordedRun> RecommendAsync(string genre = "fantasy", int budget = 100)
        {
            var finished = new ConcurrentQueue<Activity>();
            using var listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Mirascope.Ops",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = finished.Enqueue,
            };
            ActivitySource.AddActivityListener(listener);

            string traceId;
            using (MirascopeOps.Session(SessionId, new { user = "alice" }))
            {
                var run = await MirascopeOps.WrappedAsync(() => new Bookshop().RecommendAsync(genre, budget));
                traceId = run.TraceId;
            }

            if (string.IsNullOrEmpty(traceId))
            {
                throw new InvalidOperationException("The woven Bookshop produced no span: is TracedBookshop woven?");
            }

            var spans = finished.Where(s => s.TraceId.ToHexString() == traceId).ToList();
            return new RecordedRun(traceId, spans);
        }
    }
}
