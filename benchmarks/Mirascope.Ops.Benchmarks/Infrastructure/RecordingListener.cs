using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Mirascope.Ops.Benchmarks.Infrastructure
{
    /// <summary>
    /// An ActivityListener that samples every span of the given sources as AllDataAndRecorded and exports nothing: the
    /// cost measured is creating and filling the span, not shipping it. It keeps stopped spans only while
    /// <see cref="CaptureOne"/> runs (the setup checks), never while measuring.
    /// </summary>
    internal sealed class RecordingListener : IDisposable
    {
        private readonly ActivityListener _listener;
        private List<Activity>? _kept;

        public RecordingListener(params string[] sourceNames)
        {
            var names = new HashSet<string>(sourceNames);
            _listener = new ActivityListener
            {
                ShouldListenTo = source => names.Contains(source.Name),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity => _kept?.Add(activity),
            };
            ActivitySource.AddActivityListener(_listener);
        }

        /// <summary>Runs <paramref name="call"/> and returns the one span it produced.</summary>
        public Activity CaptureOne(Action call, string what)
        {
            var kept = new List<Activity>();
            _kept = kept;
            try
            {
                call();
            }
            finally
            {
                _kept = null;
            }

            return kept.Count == 1 ? kept[0] : throw new InvalidOperationException($"{what}: expected one span, got {kept.Count}");
        }

        public void Dispose() => _listener.Dispose();
    }
}
