using System;
using System.Diagnostics;
using System.Threading;
using Mirascope.Ops.Diagnostics;
using Mirascope.Ops.Propagation;
using Mirascope.Ops.Spans;
using Mirascope.Ops.Tracing;

namespace Mirascope.Ops
{
    /// <summary>
    /// An explicit span (<see cref="MirascopeOps.Span"/>) or the span of the traced method you are in
    /// (<see cref="MirascopeOps.CurrentSpan"/>): set attributes, add events and log-style messages. When nothing records the
    /// span every member is a no-op: nothing throws, nothing is allocated. Not thread-safe, like the
    /// <see cref="System.Diagnostics.Activity"/> it wraps.
    /// </summary>
    public sealed class Span : IDisposable
    {
        /// <summary>The one no-op span, handed out when nothing listens or the sampler drops the span.</summary>
        internal static readonly Span Noop = new Span(null, owned: false);

        private readonly Activity? _activity;
        private readonly bool _owned;
        private int _finished;

        private Span(Activity? activity, bool owned)
        {
            _activity = activity;
            _owned = owned;
        }

        /// <summary>
        /// The underlying activity, or <c>null</c> for a no-op span. Use it to interoperate with other
        /// <see cref="System.Diagnostics.Activity"/> based code.
        /// </summary>
        public Activity? Activity => _activity;

        /// <summary>Whether nothing this span records is kept: tracing is off, or the span was not sampled.</summary>
        public bool IsNoop => _activity is null || !_activity.IsAllDataRequested;

        /// <summary>The span id as 16 lowercase hex digits, or an empty string when there is no span.</summary>
        public string SpanId => _activity?.SpanId.ToHexString() ?? string.Empty;

        /// <summary>The trace id as 32 lowercase hex digits, or an empty string when there is no span.</summary>
        public string TraceId => _activity?.TraceId.ToHexString() ?? string.Empty;

        /// <summary>Sets one attribute. Strings, booleans and numbers are recorded as they are, anything else as JSON.</summary>
        /// <param name="key">The attribute key.</param>
        /// <param name="value">The value; null records nothing.</param>
        public void Set(string key, object? value)
        {
            var activity = Recording();
            if (activity is null || key is null)
            {
                return;
            }

            try
            {
                var attribute = AttributeValues.From(value);
                if (attribute is not null)
                {
                    activity.SetTag(key, attribute);
                }
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("set span attribute", ex);
            }
        }

        /// <summary>Sets several attributes, given as an anonymous object (<c>new { rows = 3 }</c>) or a dictionary.</summary>
        /// <param name="attributes">The attributes.</param>
        public void Set(object attributes)
        {
            var activity = Recording();
            if (activity is not null)
            {
                SetAll(activity, attributes);
            }
        }

        /// <summary>Adds an event.</summary>
        /// <param name="name">The event name.</param>
        /// <param name="attributes">Event attributes as an anonymous object or a dictionary, or null.</param>
        public void Event(string name, object? attributes = null)
        {
            var activity = Recording();
            if (activity is not null)
            {
                AddEvent(activity, name, null, null, attributes);
            }
        }

        /// <summary>Adds a <c>debug</c> event with <c>level</c> = <c>"debug"</c> and the message.</summary>
        /// <param name="message">The message.</param>
        /// <param name="attributes">More event attributes, or null.</param>
        public void Debug(string message, object? attributes = null) => Log("debug", message, attributes, failed: false);

        /// <summary>Adds an <c>info</c> event with <c>level</c> = <c>"info"</c> and the message.</summary>
        /// <param name="message">The message.</param>
        /// <param name="attributes">More event attributes, or null.</param>
        public void Info(string message, object? attributes = null) => Log("info", message, attributes, failed: false);

        /// <summary>Adds a <c>warning</c> event with <c>level</c> = <c>"warning"</c> and the message.</summary>
        /// <param name="message">The message.</param>
        /// <param name="attributes">More event attributes, or null.</param>
        public void Warning(string message, object? attributes = null) => Log("warning", message, attributes, failed: false);

        /// <summary>
        /// Adds an <c>error</c> event with <c>level</c> = <c>"error"</c> and the message, and sets the span status to
        /// Error with the message as its description.
        /// </summary>
        /// <param name="message">The message.</param>
        /// <param name="attributes">More event attributes, or null.</param>
        public void Error(string message, object? attributes = null) => Log("error", message, attributes, failed: true);

        /// <summary>
        /// Adds a <c>critical</c> event with <c>level</c> = <c>"critical"</c> and the message, and sets the span status
        /// to Error with the message as its description. (Python's Mirascope writes level <c>"error"</c> here.)
        /// </summary>
        /// <param name="message">The message.</param>
        /// <param name="attributes">More event attributes, or null.</param>
        public void Critical(string message, object? attributes = null) => Log("critical", message, attributes, failed: true);

        /// <summary>
        /// Records an exception the OpenTelemetry way (an <c>exception</c> event, <c>error.type</c>, status Error with
        /// the message). A <c>using</c> block cannot see exceptions, so call this from your <c>catch</c>.
        /// </summary>
        /// <param name="exception">The exception.</param>
        public void RecordException(Exception exception)
        {
            var activity = Recording();
            if (activity is null || exception is null)
            {
                return;
            }

            try
            {
                ErrorRecorder.Record(activity, exception);
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("record span exception", ex);
            }
        }

        /// <summary>
        /// Ends the span (once); later calls record nothing. A span from <see cref="MirascopeOps.CurrentSpan"/> belongs to its
        /// traced method, which ends it: finishing it here does nothing.
        /// </summary>
        public void Finish()
        {
            if (!_owned || _activity is null || Interlocked.Exchange(ref _finished, 1) != 0)
            {
                return;
            }

            try
            {
                _activity.Stop();
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("end explicit span", ex);
            }
        }

        /// <summary>Ends the span; see <see cref="Finish"/>.</summary>
        public void Dispose() => Finish();

        internal static Span Start(string name, object? attributes) => Start(name, ExplicitSpanTags.Constant, attributes);

        /// <summary>Starts an explicit span with <paramref name="startTags"/> set before it starts (a sampler sees them).</summary>
        internal static Span Start(string name, System.Collections.Generic.IEnumerable<System.Collections.Generic.KeyValuePair<string, object?>> startTags, object? attributes)
        {
            try
            {
                var activity = OpsActivitySource.Source.StartActivity(
                    name ?? string.Empty,
                    ActivityKind.Internal,
                    PropagatedParent.ForNewSpan(),
                    startTags);
                if (activity is null)
                {
                    return Noop;
                }

                if (activity.IsAllDataRequested)
                {
                    SpanEnrichment.OnStart(activity);
                    if (attributes is not null)
                    {
                        SetAll(activity, attributes);
                    }
                }

                return new Span(activity, owned: true);
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("start explicit span", ex);
                return Noop;
            }
        }

        internal static Span Wrap(Activity activity) => new Span(activity, owned: false);

        /// <summary>The activity when this span still records all data, else null.</summary>
        private Activity? Recording()
        {
            var activity = _activity;
            if (activity is null || !activity.IsAllDataRequested || Volatile.Read(ref _finished) != 0 || activity.IsStopped)
            {
                return null;
            }

            return activity;
        }

        private void Log(string level, string message, object? attributes, bool failed)
        {
            var activity = Recording();
            if (activity is null)
            {
                return;
            }

            AddEvent(activity, level, level, message, attributes);
            if (failed)
            {
                try
                {
                    activity.SetStatus(ActivityStatusCode.Error, message);
                }
                catch (Exception ex)
                {
                    OpsEventSource.Log.TracingFailed("set span status", ex);
                }
            }
        }

        private static void AddEvent(Activity activity, string name, string? level, string? message, object? attributes)
        {
            try
            {
                var tags = new ActivityTagsCollection();
                if (level is not null)
                {
                    tags[ExplicitSpanTags.Level] = level;
                    tags[ExplicitSpanTags.Message] = RecordingLimits.Cap(message ?? string.Empty);
                }

                var pairs = AttributeReader.Read(attributes);
                if (pairs is not null)
                {
                    foreach (var pair in pairs)
                    {
                        var value = AttributeValues.From(pair.Value);
                        if (value is not null)
                        {
                            tags[pair.Key] = value;
                        }
                    }
                }

                activity.AddEvent(new ActivityEvent(name ?? string.Empty, default, tags));
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("add span event", ex);
            }
        }

        private static void SetAll(Activity activity, object attributes)
        {
            try
            {
                var pairs = AttributeReader.Read(attributes);
                if (pairs is null)
                {
                    return;
                }

                foreach (var pair in pairs)
                {
                    var value = AttributeValues.From(pair.Value);
                    if (value is not null)
                    {
                        activity.SetTag(pair.Key, value);
                    }
                }
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("set span attributes", ex);
            }
        }
    }
}
