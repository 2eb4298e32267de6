using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Mirascope.Ops.Benchmarks.Infrastructure
{
    /// <summary>
    /// An ActivityListener on the given sources that answers every span with one fixed
    /// <see cref="ActivitySamplingResult"/> and exports nothing, like <see cref="RecordingListener"/>: the cost measured
    /// is creating (and, for AllDataAndRecorded, filling) the spans. It keeps stopped spans only while
    /// <see cref="Capture"/> runs (the setup checks), never while measuring.
    /// </summary>
    internal sealed class SamplingListener : IDisposable
    {
        private readonly ActivityListener _listener;
        private List<Activity>? _kept;

        public SamplingListener(ActivitySamplingResult result, params string[] sourceNames)
        {
            var names = new HashSet<string>(sourceNames);
            _listener = new ActivityListener
            {
                ShouldListenTo = source => names.Contains(source.Name),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => result,
                ActivityStopped = activity => _kept?.Add(activity),
            };
            ActivitySource.AddActivityListener(_listener);
        }

        /// <summary>Runs <paramref name="call"/> and returns every span that stopped meanwhile.</summary>
        public List<Activity> Capture(Action call)
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

            return kept;
        }

        public void Dispose() => _listener.Dispose();
    }
}
