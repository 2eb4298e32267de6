using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Diagnostics;
using Mirascope.Ops.Llm;
using Mirascope.Ops.Tracing;

namespace Mirascope.Ops
{
    /// <summary>
    /// The span of one chat call to a model (<c>chat {model}</c>, kind Client), following the OpenTelemetry GenAI
    /// conventions, with Mirascope's <c>mirascope.response.*</c> attributes and the GenAI client metrics.
    /// Start one with <see cref="GenAi.StartChat"/>; dispose it when the call is over. Every member is safe to call
    /// when nothing listens, and none throws: tracing trouble is reported on the <c>Mirascope-Ops</c> EventSource.
    /// </summary>
    public sealed class GenAiChat : IDisposable
    {
        private readonly Activity? _activity;
        private readonly bool _captureContent;
        private readonly string _provider;
        private readonly string? _requestModel;
        private readonly string? _serverAddress;
        private readonly int? _serverPort;
        private readonly long _startTimestamp;
        private string? _responseModel;
        private string? _errorType;
        private long? _inputTokens;
        private long? _outputTokens;
        private long? _cacheReadTokens;
        private long? _cacheWriteTokens;
        private long? _reasoningTokens;
        private bool _finishReasonRecorded;
        private bool _endedEarly;
        private long _lastChunkTimestamp;
        private double? _timeToFirstChunk;
        private List<double>? _timesPerOutputChunk;
        private bool _ended;

        private GenAiChat(Activity? activity, bool captureContent, string provider, string? requestModel, string? serverAddress, int? serverPort)
        {
            _activity = activity;
            _captureContent = captureContent;
            _provider = provider;
            _requestModel = requestModel;
            _serverAddress = serverAddress;
            _serverPort = serverPort;
            _startTimestamp = Stopwatch.GetTimestamp();
        }

        /// <summary>The span, or null when nothing listens. Use it to add attributes of your own.</summary>
        public Activity? Activity => _activity;

        /// <summary>Whether the span records attributes (it exists and is sampled with all data).</summary>
        public bool IsRecording => _activity is { IsAllDataRequested: true };

        internal static GenAiChat Start(string provider, string? model, IEnumerable<ChatMessage>? messages, ChatOptions? options, Uri? endpoint, bool streaming, bool captureContent)
        {
            string? address = null;
            int? port = null;
            if (endpoint is not null && endpoint.IsAbsoluteUri)
            {
                address = endpoint.Host;
                port = endpoint.Port >= 0 ? endpoint.Port : (int?)null;
            }

            Activity? activity = null;
            try
            {
                // Sampling-relevant attributes go in at span start, where a sampler sees them.
                var tags = new List<KeyValuePair<string, object?>>(5)
                {
                    new KeyValuePair<string, object?>(GenAiAttributes.OperationName, GenAiAttributes.ChatOperation),
                    new KeyValuePair<string, object?>(GenAiAttributes.ProviderName, provider),
                };
                if (model is not null) tags.Add(new KeyValuePair<string, object?>(GenAiAttributes.RequestModel, model));
                if (address is not null) tags.Add(new KeyValuePair<string, object?>(GenAiAttributes.ServerAddress, address));
                if (port is not null) tags.Add(new KeyValuePair<string, object?>(GenAiAttributes.ServerPort, port.Value));

                var name = model is null ? GenAiAttributes.ChatOperation : GenAiAttributes.ChatOperation + " " + model;
                activity = OpsActivitySource.Source.StartActivity(name, ActivityKind.Client, default(ActivityContext), tags);
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("start chat span", ex);
            }

            var chat = new GenAiChat(activity, captureContent, provider, model, address, port);
            if (activity is { IsAllDataRequested: true })
            {
                chat.RecordRequest(messages, options, streaming);
            }

            return chat;
        }

        /// <summary>
        /// Records a response: its id, model, finish reason and usage, and, when message content is captured, its
        /// messages (<c>gen_ai.output.messages</c>, <c>mirascope.response.content</c>).
        /// </summary>
        /// <param name="response">The model's response.</param>
        public void RecordResponse(ChatResponse response)
        {
            if (response is null) return;
            ResponseProviders.Remember(response, _provider);
            _responseModel = response.ModelId ?? _responseModel;
            if (response.Usage is not null)
            {
                RecordUsage(response.Usage);
            }

            var activity = _activity;
            if (activity is not { IsAllDataRequested: true }) return;
            try
            {
                SetIfNotNull(activity, GenAiAttributes.ResponseId, response.ResponseId);
                SetIfNotNull(activity, GenAiAttributes.ResponseModel, response.ModelId);
                var finishReason = response.FinishReason?.Value;
                if (finishReason is not null)
                {
                    _finishReasonRecorded = true;
                    activity.SetTag(GenAiAttributes.ResponseFinishReasons, new[] { finishReason });
                }

                activity.SetTag(GenAiAttributes.MirascopeProviderId, _provider);
                SetIfNotNull(activity, GenAiAttributes.MirascopeModelId, response.ModelId ?? _requestModel);
                if (_captureContent)
                {
                    // finish_reason inside the messages is deprecated (gen_ai.response.finish_reasons says it); v1.41 required it.
                    var finishReasonInMessages = GenAiConventions.EmitV141Names;
                    activity.SetTag(GenAiAttributes.OutputMessages, GenAiMessageJson.OutputMessages(response.Messages, response.FinishReason, finishReasonInMessages));
                    activity.SetTag(GenAiAttributes.MirascopeContent, MirascopeResponseJson.Content(response.Messages));
                }
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("record chat response", ex);
            }
        }

        /// <summary>Records a response described by hand (for models called without Microsoft.Extensions.AI).</summary>
        /// <param name="responseId">The provider's id of the response, if any.</param>
        /// <param name="responseModel">The model that answered, if the provider says.</param>
        /// <param name="finishReasons">Why generation stopped (<c>stop</c>, <c>length</c>, <c>tool_calls</c>, ...), one per choice.</param>
        /// <param name="outputText">The text of the answer; recorded only when message content is captured.</param>
        public void RecordResponse(string? responseId = null, string? responseModel = null, IEnumerable<string>? finishReasons = null, string? outputText = null)
        {
            var reasons = finishReasons?.Where(r => r is not null).ToArray();
            var message = new ChatMessage(ChatRole.Assistant, outputText ?? string.Empty);
            var response = new ChatResponse(message)
            {
                ResponseId = responseId,
                ModelId = responseModel,
                FinishReason = reasons is { Length: > 0 } ? new ChatFinishReason(reasons[0]) : null,
            };
            RecordResponse(response);
            if (reasons is { Length: > 1 } && _activity is { IsAllDataRequested: true })
            {
                _finishReasonRecorded = true;
                _activity.SetTag(GenAiAttributes.ResponseFinishReasons, reasons);
            }
        }

        /// <summary>Records token usage (<c>gen_ai.usage.*</c>, <c>mirascope.response.usage</c> and the token metric).</summary>
        /// <param name="inputTokens">Tokens in the prompt (including cached ones).</param>
        /// <param name="outputTokens">Tokens generated.</param>
        /// <param name="cacheReadInputTokens">Input tokens served from the provider's cache.</param>
        /// <param name="cacheCreationInputTokens">Input tokens written to the provider's cache (<c>gen_ai.usage.cache_write.input_tokens</c>).</param>
        /// <param name="reasoningOutputTokens">Output tokens spent on reasoning.</param>
        public void RecordUsage(long? inputTokens, long? outputTokens, long? cacheReadInputTokens = null, long? cacheCreationInputTokens = null, long? reasoningOutputTokens = null)
        {
            var usage = new UsageDetails
            {
                InputTokenCount = inputTokens,
                OutputTokenCount = outputTokens,
                CachedInputTokenCount = cacheReadInputTokens,
                ReasoningTokenCount = reasoningOutputTokens,
            };
            if (cacheCreationInputTokens is long created)
            {
                usage.AdditionalCounts = new AdditionalPropertiesDictionary<long> { ["CacheCreationInputTokens"] = created };
            }

            RecordUsage(usage);
        }

        /// <summary>Records token usage reported by Microsoft.Extensions.AI.</summary>
        /// <param name="usage">The usage.</param>
        public void RecordUsage(UsageDetails usage)
        {
            if (usage is null) return;
            _inputTokens = usage.InputTokenCount ?? _inputTokens;
            _outputTokens = usage.OutputTokenCount ?? _outputTokens;
            _cacheReadTokens = usage.CachedInputTokenCount ?? _cacheReadTokens;
            var cacheWrite = MirascopeResponseJson.CacheWriteTokens(usage);
            _cacheWriteTokens = cacheWrite ?? _cacheWriteTokens;
            _reasoningTokens = usage.ReasoningTokenCount ?? _reasoningTokens;
            var activity = _activity;
            if (activity is not { IsAllDataRequested: true }) return;
            try
            {
                SetIfNotNull(activity, GenAiAttributes.UsageInputTokens, usage.InputTokenCount);
                SetIfNotNull(activity, GenAiAttributes.UsageOutputTokens, usage.OutputTokenCount);
                SetIfNotNull(activity, GenAiAttributes.UsageCacheReadInputTokens, usage.CachedInputTokenCount);
                SetIfNotNull(activity, GenAiAttributes.UsageCacheWriteInputTokens, cacheWrite);
                if (GenAiConventions.EmitV141Names)
                {
                    SetIfNotNull(activity, GenAiAttributes.V141UsageCacheCreationInputTokens, cacheWrite);
                }

                SetIfNotNull(activity, GenAiAttributes.UsageReasoningOutputTokens, usage.ReasoningTokenCount);
                // The modality breakdown Microsoft.Extensions.AI carries (text and audio; it has no image count), as
                // the adapter filled it: each a subset of the input or output total, as the conventions define them.
                // The four properties are marked experimental (MEAI001): read only, so a later removal costs these
                // four attributes, which docs/llm.md says.
#pragma warning disable MEAI001
                SetIfNotNull(activity, GenAiAttributes.UsageTextInputTokens, usage.InputTextTokenCount);
                SetIfNotNull(activity, GenAiAttributes.UsageAudioInputTokens, usage.InputAudioTokenCount);
                SetIfNotNull(activity, GenAiAttributes.UsageTextOutputTokens, usage.OutputTextTokenCount);
                SetIfNotNull(activity, GenAiAttributes.UsageAudioOutputTokens, usage.OutputAudioTokenCount);
#pragma warning restore MEAI001
                activity.SetTag(GenAiAttributes.MirascopeUsage, MirascopeResponseJson.Usage(usage));
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("record chat usage", ex);
            }
        }

        /// <summary>
        /// Marks the call failed: status Error, <c>error.type</c> and an <c>exception</c> event; unless a finish reason
        /// was recorded, <c>gen_ai.response.finish_reasons</c> is <c>["error"]</c> when the span ends.
        /// </summary>
        /// <param name="exception">What the call threw.</param>
        public void RecordError(Exception exception)
        {
            if (exception is null) return;
            _errorType = exception.GetType().FullName ?? exception.GetType().Name;
            var activity = _activity;
            if (activity is not { IsAllDataRequested: true }) return;
            try
            {
                ErrorRecorder.Record(activity, exception);
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("record chat error", ex);
            }
        }

        /// <summary>Ends the span and records the duration and token metrics. Calling it again does nothing.</summary>
        public void Dispose()
        {
            if (_ended) return;
            _ended = true;
            try
            {
                RecordAbnormalFinish();
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("record chat finish reason", ex);
            }

            try
            {
                RecordMetrics();
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("record chat metrics", ex);
            }

            try
            {
                _activity?.Stop();
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("end chat span", ex);
            }
        }

        /// <summary>
        /// Notes one streamed update as it arrives: the first sets <c>gen_ai.response.time_to_first_chunk</c> and,
        /// when anyone listens, the <c>gen_ai.client.inference.time_to_first_chunk</c> histogram; each later one the
        /// time since the previous (<c>gen_ai.client.inference.time_per_output_chunk</c>: "from the end of the previous
        /// chunk to the end of the current chunk"). The histograms are recorded at <see cref="Dispose"/>, when the
        /// response model, one of their attributes, is known.
        /// </summary>
        internal void RecordChunk()
        {
            var now = Stopwatch.GetTimestamp();
            var v141 = GenAiConventions.EmitV141Names;
            if (_timeToFirstChunk is null)
            {
                var seconds = (now - _startTimestamp) / (double)Stopwatch.Frequency;
                _timeToFirstChunk = seconds;
                if (_activity is { IsAllDataRequested: true })
                {
                    _activity.SetTag(GenAiAttributes.ResponseTimeToFirstChunk, seconds);
                }
            }
            else if (GenAiMetrics.TimePerOutputChunkEnabled(v141))
            {
                // Kept only while someone listens: nobody listening costs no list.
                (_timesPerOutputChunk ??= new List<double>()).Add((now - _lastChunkTimestamp) / (double)Stopwatch.Frequency);
            }

            _lastChunkTimestamp = now;
        }

        /// <summary>
        /// The consumer stopped reading a stream before its end: unless a finish reason already arrived, the choice
        /// ended without one (the conventions' <c>error</c>).
        /// </summary>
        internal void RecordEndedEarly() => _endedEarly = true;

        // client-inference.md, gen_ai.response.finish_reasons: "If a finish reason was expected but not received, for
        // example because generation failed, was cancelled, or a stream ended before the final event, instrumentations
        // SHOULD report `error` for that position instead of omitting it." A call that completed without the provider
        // naming a reason keeps none: nothing ended abnormally there.
        private void RecordAbnormalFinish()
        {
            if (_finishReasonRecorded || (_errorType is null && !_endedEarly)) return;
            if (_activity is { IsAllDataRequested: true } activity)
            {
                activity.SetTag(GenAiAttributes.ResponseFinishReasons, new[] { GenAiAttributes.ErrorFinishReason });
            }
        }

        private void RecordRequest(IEnumerable<ChatMessage>? messages, ChatOptions? options, bool streaming)
        {
            var activity = _activity!;
            try
            {
                SpanEnrichment.OnStart(activity);
                EnclosingVersion.Record(activity, LlmInstrumentation.RecordPromptVariables);
                if (streaming)
                {
                    activity.SetTag(GenAiAttributes.RequestStream, true);
                }

                if (options is not null)
                {
                    SetIfNotNull(activity, GenAiAttributes.RequestTemperature, AsDouble(options.Temperature));
                    SetIfNotNull(activity, GenAiAttributes.RequestMaxTokens, options.MaxOutputTokens);
                    SetIfNotNull(activity, GenAiAttributes.RequestTopP, AsDouble(options.TopP));
                    if (options.TopK is int topK)
                    {
                        // An int now; v1.41 typed it double (one key cannot carry both: the v1.41 choice keeps v1.41's type).
                        activity.SetTag(GenAiAttributes.RequestTopK, GenAiConventions.EmitV141Names ? (object)(double)topK : topK);
                    }

                    SetIfNotNull(activity, GenAiAttributes.RequestFrequencyPenalty, AsDouble(options.FrequencyPenalty));
                    SetIfNotNull(activity, GenAiAttributes.RequestPresencePenalty, AsDouble(options.PresencePenalty));
                    SetIfNotNull(activity, GenAiAttributes.RequestSeed, options.Seed);
                    SetIfNotNull(activity, GenAiAttributes.ConversationId, options.ConversationId);
                    if (options.StopSequences is { Count: > 0 } stops)
                    {
                        activity.SetTag(GenAiAttributes.RequestStopSequences, stops.ToArray());
                    }

                    var outputType = options.ResponseFormat switch
                    {
                        ChatResponseFormatJson => "json",
                        ChatResponseFormatText => "text",
                        _ => null,
                    };
                    SetIfNotNull(activity, GenAiAttributes.OutputType, outputType);
                    if (options.AdditionalProperties is { Count: > 0 } untracked)
                    {
                        RecordUntrackedParameters(activity, untracked);
                    }
                }

                if (!_captureContent)
                {
                    return;
                }

                if (options?.Instructions is { Length: > 0 } instructions)
                {
                    activity.SetTag(GenAiAttributes.SystemInstructions, GenAiMessageJson.SystemInstructions(instructions));
                }

                // Only a materialised collection: enumerating a one-shot sequence here would take it from the model.
                if (messages is ICollection<ChatMessage> or IReadOnlyCollection<ChatMessage>)
                {
                    activity.SetTag(GenAiAttributes.InputMessages, GenAiMessageJson.InputMessages(messages!));
                    activity.SetTag(GenAiAttributes.MirascopeMessages, MirascopeResponseJson.Messages(messages!));
                }

                if (options?.Tools is { Count: > 0 } tools)
                {
                    activity.SetTag(GenAiAttributes.ToolDefinitions, GenAiMessageJson.ToolDefinitions(tools));
                }
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("record chat request", ex);
            }
        }

        private static void RecordUntrackedParameters(Activity activity, AdditionalPropertiesDictionary parameters)
        {
            var keys = new string[parameters.Count];
            var i = 0;
            foreach (var parameter in parameters)
            {
                keys[i++] = parameter.Key;
            }

            // Value by value, as Python does: one value that cannot be serialized becomes its text, not the whole object.
            var json = JsonText.Write(writer =>
            {
                writer.WriteStartObject();
                foreach (var parameter in parameters)
                {
                    writer.WritePropertyName(parameter.Key);
                    JsonText.WriteValue(writer, parameter.Value);
                }

                writer.WriteEndObject();
            });
            activity.AddEvent(new ActivityEvent(GenAiAttributes.UntrackedParamsEvent, tags: new ActivityTagsCollection
            {
                { GenAiAttributes.UntrackedParamsCount, keys.Length },
                { GenAiAttributes.UntrackedParamsKeys, keys },
                { GenAiAttributes.UntrackedParamsJson, json },
            }));
        }

        private void RecordMetrics()
        {
            var v141 = GenAiConventions.EmitV141Names;
            if (!GenAiMetrics.AnyEnabled(v141)) return;

            var tags = new TagList
            {
                { GenAiAttributes.OperationName, GenAiAttributes.ChatOperation },
                { GenAiAttributes.ProviderName, _provider },
            };
            if (_requestModel is not null) tags.Add(GenAiAttributes.RequestModel, _requestModel);
            if (_responseModel is not null) tags.Add(GenAiAttributes.ResponseModel, _responseModel);
            if (_serverAddress is not null) tags.Add(GenAiAttributes.ServerAddress, _serverAddress);
            if (_serverPort is not null) tags.Add(GenAiAttributes.ServerPort, _serverPort.Value);
            RecordChunkMetrics(tags, v141);

            // The usage counters, once per call, failed ones included: what the provider reported, else 0. The
            // providers report no modality breakdown through Microsoft.Extensions.AI, which the conventions call unknown.
            var usageTags = tags;
            usageTags.Add(GenAiAttributes.TokenModality, GenAiAttributes.UnknownModality);
            Count(GenAiMetrics.UsageInputTokens, _inputTokens, usageTags);
            Count(GenAiMetrics.UsageOutputTokens, _outputTokens, usageTags);
            Count(GenAiMetrics.UsageCacheReadInputTokens, _cacheReadTokens, usageTags);
            Count(GenAiMetrics.UsageCacheWriteInputTokens, _cacheWriteTokens, usageTags);
            Count(GenAiMetrics.UsageReasoningOutputTokens, _reasoningTokens, usageTags);

            if (v141 && GenAiMetrics.V141TokenUsage.Enabled)
            {
                // v1.41 recorded only the counts the provider reported, and no error type.
                if (_inputTokens is long input)
                {
                    var inputTags = tags;
                    inputTags.Add(GenAiAttributes.V141TokenType, "input");
                    GenAiMetrics.V141TokenUsage.Record(input, inputTags);
                }

                if (_outputTokens is long output)
                {
                    var outputTags = tags;
                    outputTags.Add(GenAiAttributes.V141TokenType, "output");
                    GenAiMetrics.V141TokenUsage.Record(output, outputTags);
                }
            }

            if (_errorType is not null) tags.Add(GenAiAttributes.ErrorType, _errorType);
            if (GenAiMetrics.OperationInputTokens.Enabled) GenAiMetrics.OperationInputTokens.Record(_inputTokens ?? 0, tags);
            if (GenAiMetrics.OperationOutputTokens.Enabled) GenAiMetrics.OperationOutputTokens.Record(_outputTokens ?? 0, tags);

            var duration = GenAiMetrics.InferenceDuration.Enabled || (v141 && GenAiMetrics.V141OperationDuration.Enabled) ? ElapsedSeconds() : 0;
            if (GenAiMetrics.InferenceDuration.Enabled) GenAiMetrics.InferenceDuration.Record(duration, tags);
            if (v141 && GenAiMetrics.V141OperationDuration.Enabled) GenAiMetrics.V141OperationDuration.Record(duration, tags);
        }

        // The streaming histograms' attributes are the common ones (no error.type); only streamed calls record them.
        private void RecordChunkMetrics(in TagList tags, bool v141)
        {
            if (_timeToFirstChunk is double first)
            {
                if (GenAiMetrics.TimeToFirstChunk.Enabled) GenAiMetrics.TimeToFirstChunk.Record(first, tags);
                if (v141 && GenAiMetrics.V141TimeToFirstChunk.Enabled) GenAiMetrics.V141TimeToFirstChunk.Record(first, tags);
            }

            if (_timesPerOutputChunk is null) return;
            foreach (var seconds in _timesPerOutputChunk)
            {
                if (GenAiMetrics.TimePerOutputChunk.Enabled) GenAiMetrics.TimePerOutputChunk.Record(seconds, tags);
                if (v141 && GenAiMetrics.V141TimePerOutputChunk.Enabled) GenAiMetrics.V141TimePerOutputChunk.Record(seconds, tags);
            }
        }

        private static void Count(System.Diagnostics.Metrics.Counter<long> counter, long? tokens, in TagList tags)
        {
            if (counter.Enabled)
            {
                counter.Add(tokens ?? 0, tags);
            }
        }

        private double ElapsedSeconds() => (Stopwatch.GetTimestamp() - _startTimestamp) / (double)Stopwatch.Frequency;

        // A float widened to double shows its binary error (0.7f is 0.699999988...); decimal keeps the digits written.
        private static double? AsDouble(float? value)
        {
            if (value is not float f) return null;
            return float.IsNaN(f) || float.IsInfinity(f) || Math.Abs(f) > 1e15f ? f : (double)(decimal)f;
        }

        private static void SetIfNotNull(Activity activity, string key, string? value)
        {
            if (value is not null) activity.SetTag(key, value);
        }

        private static void SetIfNotNull(Activity activity, string key, long? value)
        {
            if (value is long v) activity.SetTag(key, v);
        }

        private static void SetIfNotNull(Activity activity, string key, int? value)
        {
            if (value is int v) activity.SetTag(key, v);
        }

        private static void SetIfNotNull(Activity activity, string key, double? value)
        {
            if (value is double v) activity.SetTag(key, v);
        }
    }
}
