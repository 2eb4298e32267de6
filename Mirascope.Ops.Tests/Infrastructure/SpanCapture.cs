using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Xunit;

namespace Mirascope.Ops.Tests.Infrastructure
{
    /// <summary>
    /// Collects the Mirascope.Ops spans of one test. Tests run in parallel, so each capture opens its own root span
    /// and keeps only the spans of that trace.
    /// </summary>
    public sealed class SpanCapture : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _stopped = new ConcurrentQueue<Activity>();
        private readonly ConcurrentQueue<IReadOnlyDictionary<string, object?>> _sampled = new ConcurrentQueue<IReadOnlyDictionary<string, object?>>();
        private readonly Activity? _previous;
        private int _started;

        public SpanCapture(ActivitySamplingResult sampling = ActivitySamplingResult.AllDataAndRecorded)
        {
            _previous = Activity.Current;
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Mirascope.Ops",
                Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                {
                    if (Root is not null && options.Parent.TraceId == Root.TraceId)
                    {
                        _sampled.Enqueue((options.Tags ?? Enumerable.Empty<KeyValuePair<string, object?>>()).ToDictionary(t => t.Key, t => t.Value));
                    }

                    return sampling;
                },
                ActivityStarted = activity =>
                {
                    if (Root is not null && activity.TraceId == Root.TraceId && activity != Root)
                    {
                        System.Threading.Interlocked.Increment(ref _started);
                    }
                },
                ActivityStopped = activity =>
                {
                    if (Root is not null && activity.TraceId == Root.TraceId && activity != Root)
                    {
                        _stopped.Enqueue(activity);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
            // A plain Activity needs no listener, so the root exists whatever other tests' listeners are doing.
            Root = new Activity("test-root").SetIdFormat(ActivityIdFormat.W3C).Start();
            Root.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        }

        public Activity Root { get; }

        public IReadOnlyList<Activity> Spans => _stopped.ToArray();

        /// <summary>The tags of each span of the trace as the sampler saw them, when the span was about to start.</summary>
        public IReadOnlyList<IReadOnlyDictionary<string, object?>> SampledTags => _sampled.ToArray();

        /// <summary>
        /// Waits (up to <paramref name="timeout"/>) until every span of the trace that started has stopped: a traced method
        /// that returns a task without being async ends its span in a continuation of that task, which may run after the
        /// caller's await has already resumed.
        /// </summary>
        public void WaitUntilStartedSpansStopped(TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (_stopped.Count < System.Threading.Volatile.Read(ref _started) && clock.Elapsed < timeout)
            {
                System.Threading.Thread.Sleep(5);
            }
        }

        public Activity Single(string name)
        {
            var matches = Spans.Where(s => s.DisplayName == name).ToList();
            Assert.True(matches.Count == 1, $"expected one span named '{name}', found {matches.Count}: {string.Join(", ", Spans.Select(s => s.DisplayName))}");
            return matches[0];
        }

        public void Dispose()
        {
            Root.Stop();
            Activity.Current = _previous;
            _listener.Dispose();
        }
    }

    public static class ActivityAssertions
    {
        public static object? Tag(this Activity activity, string key) => activity.GetTagItem(key);
    }
}
