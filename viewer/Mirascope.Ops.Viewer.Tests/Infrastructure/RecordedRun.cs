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

        public static Task<RecordedRun> RecommendAsync(string genre = "fantasy", int budget = 100) =>
            RunAsync(() => new Bookshop().RecommendAsync(genre, budget));

        /// <summary>Stocktake.Count (root) > three Stocktake.CopiesOf calls that record no values.</summary>
        public static Task<RecordedRun> StocktakeAsync() =>
            RunAsync(() => Task.FromResult(new Stocktake().Count(new[] { "978-0765311788", "978-0441013593", "978-0553293357" })));

        private static async Task<RecordedRun> RunAsync<T>(Func<Task<T>> call)
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
                var run = await MirascopeOps.WrappedAsync(call);
                traceId = run.TraceId;
            }

            if (string.IsNullOrEmpty(traceId))
            {
                throw new InvalidOperationException("The woven TracedBookshop produced no span: is it woven?");
            }

            var spans = finished.Where(s => s.TraceId.ToHexString() == traceId).ToList();
            return new RecordedRun(traceId, spans);
        }
    }
}
