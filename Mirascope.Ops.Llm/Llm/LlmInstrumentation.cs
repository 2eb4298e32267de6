using System;
using System.Collections.Generic;
using System.Threading;
using Mirascope.Ops.Diagnostics;

using Mirascope.Ops.Tracing;

namespace Mirascope.Ops.Llm
{
    /// <summary>
    /// What <see cref="OpsLlm.Instrument"/> turns on, and the ActivitySource and Meter names the provider setup adds
    /// (<see cref="LlmTelemetryNames"/>: <c>AddMirascopeOps()</c> on the app's tracer and meter providers adds them).
    /// Listening alone records nothing: each library emits only when its own switch is on (which OpsLlm.Instrument
    /// flips) or when the app put its telemetry client in the pipeline (M.E.AI's <c>UseOpenTelemetry()</c>).
    /// </summary>
    internal static class LlmInstrumentation
    {
        public const string CaptureContentVariable = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";
        public const string OpenAISwitch = "OpenAI.Experimental.EnableOpenTelemetry";
        public const string SemanticKernelSwitch = "Microsoft.SemanticKernel.Experimental.GenAI.EnableOTelDiagnostics";
        public const string SemanticKernelSensitiveSwitch = "Microsoft.SemanticKernel.Experimental.GenAI.EnableOTelDiagnosticsSensitive";
        public const string AnthropicContentModeVariable = "ANTHROPIC_OPEN_TELEMETRY_TRACES_CONTENT_MODE";

        private static readonly Lazy<bool> CaptureFromEnvironment = new Lazy<bool>(
            () => ParseCaptureSetting(ReadEnvironment(CaptureContentVariable)), LazyThreadSafetyMode.PublicationOnly);

        // 0 = not set by OpsLlm.Instrument, 1 = off, 2 = on.
        private static int _captureOverride;
        private static int _recordPromptVariables;
        private static int _instrumented;

        /// <summary>Whether <see cref="OpsLlm.Instrument"/> has run.</summary>
        public static bool IsInstrumented => Volatile.Read(ref _instrumented) == 1;

        /// <summary>Whether chat spans inside a <c>[Version]</c> function record its arguments as <c>gen_ai.prompt.variable.*</c> (off unless OpsLlm.Instrument turned it on).</summary>
        public static bool RecordPromptVariables => Volatile.Read(ref _recordPromptVariables) == 1;

        /// <summary>The process-wide content capture setting: OpsLlm.Instrument's option, else the environment variable.</summary>
        public static bool CaptureContent
        {
            get
            {
                var value = Volatile.Read(ref _captureOverride);
                return value == 0 ? CaptureFromEnvironment.Value : value == 2;
            }
        }

        public static void Instrument(LlmInstrumentationOptions options)
        {
            if (options.CaptureMessageContent is bool capture)
            {
                Volatile.Write(ref _captureOverride, capture ? 2 : 1);
            }

            if (options.RecordPromptVariables is bool variables)
            {
                Volatile.Write(ref _recordPromptVariables, variables ? 1 : 0);
            }

            if (options.EmitV141Names is bool v141)
            {
                GenAiConventions.Set(v141);
            }

            var captureContent = CaptureContent;
            if (options.EnableOpenAITelemetry)
            {
                AppContext.SetSwitch(OpenAISwitch, true);
            }

            if (options.EnableSemanticKernelTelemetry)
            {
                AppContext.SetSwitch(SemanticKernelSwitch, true);
                if (captureContent)
                {
                    AppContext.SetSwitch(SemanticKernelSensitiveSwitch, true);
                }
            }

            if (captureContent)
            {
                // The Anthropic SDK reads its content mode from the environment when a client is made. Like Python's
                // instrumentors, only fill it in when the app has not chosen.
                SetEnvironmentDefault(AnthropicContentModeVariable, "content");
            }

            if (Interlocked.Exchange(ref _instrumented, 1) == 0)
            {
                // Mirascope.Ops.Export reads these from the runtime and rebuilds a configured export to include them.
                AdditionalSources.Add(LlmTelemetryNames.ActivitySources);
            }
        }

        /// <summary>The capture setting of a client: its own option, else the process-wide one.</summary>
        public static bool ResolveCapture(bool? clientOption) => clientOption ?? CaptureContent;

        /// <summary><c>true</c> (any case, surrounding blanks ignored) turns capture on; anything else leaves it off.</summary>
        public static bool ParseCaptureSetting(string? value) =>
            value is not null && string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);

        private static string? ReadEnvironment(string name)
        {
            try
            {
                return Environment.GetEnvironmentVariable(name);
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("read " + name, ex);
                return null;
            }
        }

        private static void SetEnvironmentDefault(string name, string value)
        {
            try
            {
                if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
                {
                    Environment.SetEnvironmentVariable(name, value);
                }
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("set " + name, ex);
            }
        }
    }
}
