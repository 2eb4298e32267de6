using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Mirascope.Ops.Diagnostics;
using Mirascope.Ops.Propagation;
using Mirascope.Ops.Tracing;

namespace Mirascope.Ops.Weaving
{
    /// <summary>
    /// The build-time description of one traced method. Infrastructure for code the Mirascope.Ops weaver emits;
    /// public only because woven IL in another assembly must reach it. Not for direct use.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed class TracedMethod
    {
        private static readonly object True = true;
        private static readonly object False = false;

        private readonly string _spanName;
        private readonly KeyValuePair<string, object?>[] _constantTags;

        /// <summary>Creates the descriptor; called once per traced method from the weaver's generated static constructor.</summary>
        /// <param name="spanName">The span name.</param>
        /// <param name="qualifiedName"><c>{Type}.{Method}</c>.</param>
        /// <param name="module">The namespace.</param>
        /// <param name="functionName"><c>Namespace.Type.Method</c>.</param>
        /// <param name="isAsync">Whether the method is async.</param>
        /// <param name="argumentNames">Names of the recorded parameters, in the order the woven code records them.</param>
        /// <param name="argumentTypesJson">The <c>mirascope.trace.arg_types</c> JSON object.</param>
        /// <param name="tags">Sorted, distinct tags, or null.</param>
        /// <param name="metadataJson">The <c>mirascope.trace.metadata</c> JSON object, or null.</param>
        public TracedMethod(
            string spanName,
            string qualifiedName,
            string module,
            string functionName,
            bool isAsync,
            string[] argumentNames,
            string argumentTypesJson,
            string[]? tags,
            string? metadataJson)
            : this(spanName, qualifiedName, module, functionName, isAsync, argumentNames, argumentTypesJson, tags, metadataJson, null)
        {
        }

        /// <summary>Creates the descriptor of a <see cref="VersionAttribute"/> method: the trace attributes plus <c>mirascope.version.*</c>.</summary>
        /// <param name="spanName">The span name.</param>
        /// <param name="qualifiedName"><c>{Type}.{Method}</c>.</param>
        /// <param name="module">The namespace.</param>
        /// <param name="functionName"><c>Namespace.Type.Method</c>.</param>
        /// <param name="isAsync">Whether the method is async.</param>
        /// <param name="argumentNames">Names of the recorded parameters.</param>
        /// <param name="argumentTypesJson">The <c>mirascope.trace.arg_types</c> JSON object.</param>
        /// <param name="tags">Sorted, distinct tags, or null.</param>
        /// <param name="metadataJson">The metadata JSON object, or null.</param>
        /// <param name="version">Name/value pairs of the <c>mirascope.version.*</c> attributes computed at build time, flattened.</param>
        public TracedMethod(
            string spanName,
            string qualifiedName,
            string module,
            string functionName,
            bool isAsync,
            string[] argumentNames,
            string argumentTypesJson,
            string[]? tags,
            string? metadataJson,
            string[]? version)
            : this(spanName, qualifiedName, module, functionName, isAsync, argumentNames, argumentTypesJson, tags, metadataJson, version, 0)
        {
        }

        /// <summary>Creates the descriptor of a method that records fewer values (<c>[Trace(RecordValues = false)]</c>, <c>[return: NoTrace]</c>).</summary>
        /// <param name="spanName">The span name.</param>
        /// <param name="qualifiedName"><c>{Type}.{Method}</c>.</param>
        /// <param name="module">The namespace.</param>
        /// <param name="functionName"><c>Namespace.Type.Method</c>.</param>
        /// <param name="isAsync">Whether the method is async.</param>
        /// <param name="argumentNames">Names of the recorded parameters.</param>
        /// <param name="argumentTypesJson">The <c>mirascope.trace.arg_types</c> JSON object.</param>
        /// <param name="tags">Sorted, distinct tags, or null.</param>
        /// <param name="metadataJson">The metadata JSON object, or null.</param>
        /// <param name="version">The <c>mirascope.version.*</c> pairs of a <see cref="VersionAttribute"/> method, or null.</param>
        /// <param name="valueOptions"><see cref="NoValues"/> and/or <see cref="RedactedOutput"/>.</param>
        public TracedMethod(
            string spanName,
            string qualifiedName,
            string module,
            string functionName,
            bool isAsync,
            string[] argumentNames,
            string argumentTypesJson,
            string[]? tags,
            string? metadataJson,
            string[]? version,
            int valueOptions)
            : this(spanName, qualifiedName, module, functionName, isAsync, argumentNames, argumentTypesJson, tags, metadataJson, version, valueOptions, null)
        {
        }

        /// <summary>
        /// Creates the descriptor of an <see cref="AgentAttribute"/> method: the trace attributes plus the GenAI
        /// conventions' constant attributes of an agent span, which the span carries from its start.
        /// </summary>
        /// <param name="spanName">The span name (<c>invoke_agent {name}</c>).</param>
        /// <param name="qualifiedName"><c>{Type}.{Method}</c>.</param>
        /// <param name="module">The namespace.</param>
        /// <param name="functionName"><c>Namespace.Type.Method</c>.</param>
        /// <param name="isAsync">Whether the method is async.</param>
        /// <param name="argumentNames">Names of the recorded parameters.</param>
        /// <param name="argumentTypesJson">The <c>mirascope.trace.arg_types</c> JSON object.</param>
        /// <param name="tags">Sorted, distinct tags, or null.</param>
        /// <param name="metadataJson">The metadata JSON object, or null.</param>
        /// <param name="version">The <c>mirascope.version.*</c> pairs, or null (the weaver never combines <c>[Agent]</c> with <c>[Version]</c>).</param>
        /// <param name="valueOptions"><see cref="NoValues"/> and/or <see cref="RedactedOutput"/>.</param>
        /// <param name="genAi">Name/value pairs of the <c>gen_ai.*</c> attributes computed at build time, flattened.</param>
        public TracedMethod(
            string spanName,
            string qualifiedName,
            string module,
            string functionName,
            bool isAsync,
            string[] argumentNames,
            string argumentTypesJson,
            string[]? tags,
            string? metadataJson,
            string[]? version,
            int valueOptions,
            string[]? genAi)
        {
            _recordsNoValues = (valueOptions & NoValues) != 0;
            _redactsOutput = (valueOptions & RedactedOutput) != 0;
            _spanName = spanName;
            ArgumentNames = argumentNames;
            _recordedNames = RecordedNames.Of(argumentNames);
            var constant = new List<KeyValuePair<string, object?>>(9)
            {
                new KeyValuePair<string, object?>(SpanAttributes.Type, "trace"),
                new KeyValuePair<string, object?>(SpanAttributes.FnQualname, qualifiedName),
                new KeyValuePair<string, object?>(SpanAttributes.FnModule, module),
                new KeyValuePair<string, object?>(SpanAttributes.FnIsAsync, isAsync ? True : False),
                new KeyValuePair<string, object?>(SpanAttributes.CodeFunctionName, functionName),
                new KeyValuePair<string, object?>(SpanAttributes.ArgTypes, argumentTypesJson),
            };
            if (tags is { Length: > 0 })
            {
                constant.Add(new KeyValuePair<string, object?>(SpanAttributes.Tags, tags));
            }

            if (metadataJson is not null)
            {
                constant.Add(new KeyValuePair<string, object?>(SpanAttributes.Metadata, metadataJson));
            }

            if (version is not null)
            {
                for (var i = 0; i + 1 < version.Length; i += 2)
                {
                    if (!VersionedFunctions.IsRegistrationKey(version[i]))
                    {
                        constant.Add(new KeyValuePair<string, object?>(version[i], version[i + 1]));
                    }
                }

                VersionedFunctions.Add(spanName, version, tags);

                if (tags is { Length: > 0 })
                {
                    constant.Add(new KeyValuePair<string, object?>(VersionKeys.Tags, tags));
                }
            }

            if (genAi is not null)
            {
                // Constant, and given to StartActivity with the others: a sampler sees the agent (the conventions mark
                // gen_ai.operation.name and gen_ai.agent.name sampling-relevant).
                for (var i = 0; i + 1 < genAi.Length; i += 2)
                {
                    constant.Add(new KeyValuePair<string, object?>(genAi[i], genAi[i + 1]));
                }
            }

            _constantTags = constant.ToArray();
        }

        private readonly RecordedNames _recordedNames;

        /// <summary>Value option: the method records no argument or output values (<c>[Trace(RecordValues = false)]</c>).</summary>
        internal const int NoValues = 1;

        /// <summary>Value option: the method's output is recorded as <c>"[redacted]"</c> (<c>[return: NoTrace]</c>).</summary>
        internal const int RedactedOutput = 2;

        private static readonly string Redacted = "[redacted]";

        private readonly bool _recordsNoValues;
        private readonly bool _redactsOutput;

        internal string[] ArgumentNames { get; }

        internal string SpanName => _spanName;

        /// <summary>
        /// Starts the span of one call into <paramref name="scope"/>, which must be empty (a fresh local or state
        /// machine field). Costs one check, and writes nothing, when nobody listens.
        /// </summary>
        /// <param name="scope">The scope the woven code completes or fails.</param>
        // The scope is filled in place rather than returned: a returned struct costs the woven method a zeroed
        // temporary and a copy on every call, listened or not.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Start(ref TraceScope scope)
        {
            // No span for a call made by opted-in recording code (a [RecordToString] ToString() calling a traced
            // method): recording it would record again, without end.
            if (OpsActivitySource.Source.HasListeners() && !RecordingGuard.IsActive)
            {
                StartListened(ref scope);
            }
        }

        /// <summary>Whether this call may record its values (see <see cref="TraceRecordingBudget"/>), and if not, why.</summary>
        private SkipReason TakeRecording(Activity activity)
        {
            var settings = RecordingSettings.Current;
            if (settings.RecordsEveryCall)
            {
                return SkipReason.None;
            }

            // The span's start time is already read: the budget's clock costs nothing more.
            var now = activity.StartTimeUtc.Ticks;
            var trace = activity.TraceId.ToHexString();

            // The budget this method used last, if it is this trace's (the spans of a trace share one id string): a
            // hot method skips the table lookup. One reference, read and written whole: another trace's call in
            // between only costs the lookup.
            var budget = _lastBudget;
            if (budget is null || !ReferenceEquals(budget.TraceId, trace))
            {
                budget = TraceRecordingBudgets.For(trace, now);
                _lastBudget = budget;
            }

            return budget.Take(settings, this, now);
        }

        private TraceRecordingBudget? _lastBudget;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void StartListened(ref TraceScope scope)
        {
            try
            {
                var remoteParent = PropagatedParent.ForNewSpan();
                var isLocalChild = remoteParent == default;

                // A span started under the ambient activity records it as its Parent: read Activity.Current (an
                // async-local lookup) only when a remote parent hides it, and never for a span that is sampled out.
                var ambient = isLocalChild ? null : Activity.Current;
                var activity = OpsActivitySource.Source.StartActivity(_spanName, ActivityKind.Internal, remoteParent, _constantTags);
                if (activity is null)
                {
                    return;
                }

                // In the scope first: whatever fails below, the woven code still ends the span.
                scope = new TraceScope(activity, isLocalChild ? activity.Parent : ambient);
                if (activity.IsAllDataRequested)
                {
                    SpanEnrichment.OnStart(activity);
                    var skipped = _recordsNoValues ? SkipReason.Disabled : TakeRecording(activity);
                    if (skipped != SkipReason.None)
                    {
                        // Past the trace's recording budget: the span stays (sampled, exported, errors recorded) but
                        // records no arguments or output, and says why.
                        scope.SkipValues();
                        activity.SetTag(SpanAttributes.ValuesSkipped, SkippedValues.Reason(skipped));
                    }
                    else
                    {
                        if (_redactsOutput)
                        {
                            // The output's place says it was withheld; nothing recorded at the end replaces it.
                            scope.SkipValues();
                            activity.SetTag(SpanAttributes.Output, Redacted);
                        }

                        if (ArgumentNames.Length > 0)
                        {
                            scope.ExpectArguments(_recordedNames);
                        }
                    }
                }

                WrappedCallCapture.Offer(activity);
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("start span", ex);
            }
        }
    }
}
