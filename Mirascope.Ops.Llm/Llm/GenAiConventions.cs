using System;
using System.Threading;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Llm
{
    /// <summary>
    /// Which names of the GenAI semantic conventions the chat spans and metrics use. The current ones
    /// (open-telemetry/semantic-conventions-genai) always; the v1.41 names they replaced only when asked, for backends
    /// that still read those: <see cref="LlmInstrumentationOptions.EmitV141Names"/> or
    /// <c>MIRASCOPE_GENAI_EMIT_V1_41_NAMES=true</c>.
    /// </summary>
    /// <remarks>
    /// The conventions define one GenAI value of <c>OTEL_SEMCONV_STABILITY_OPT_IN</c>, <c>gen_ai_latest_experimental</c>:
    /// "emit the latest experimental version and do not emit the old one". That is what this package does by default,
    /// and an app that sets it gets no v1.41 names from the environment variable (only the code option overrides it).
    /// The conventions define no value that keeps older names, hence a variable of our own.
    /// </remarks>
    internal static class GenAiConventions
    {
        public const string StabilityOptInVariable = "OTEL_SEMCONV_STABILITY_OPT_IN";
        public const string LatestExperimental = "gen_ai_latest_experimental";
        public const string EmitV141NamesVariable = "MIRASCOPE_GENAI_EMIT_V1_41_NAMES";

        private static readonly Lazy<bool> FromEnvironment = new Lazy<bool>(
            () => ParseEnvironment(Read(StabilityOptInVariable), Read(EmitV141NamesVariable)), LazyThreadSafetyMode.PublicationOnly);

        // 0 = not set by OpsLlm.Instrument, 1 = off, 2 = on.
        private static int _override;

        /// <summary>Whether the v1.41 names are emitted too (beside the current ones).</summary>
        public static bool EmitV141Names
        {
            get
            {
                var value = Volatile.Read(ref _override);
                return value == 0 ? FromEnvironment.Value : value == 2;
            }
        }

        /// <summary>Sets the process-wide choice; null leaves it to the environment.</summary>
        public static void Set(bool? emitV141Names)
        {
            Volatile.Write(ref _override, emitV141Names is bool on ? (on ? 2 : 1) : 0);
        }

        /// <summary>
        /// The environment's choice: <c>MIRASCOPE_GENAI_EMIT_V1_41_NAMES=true</c>, unless
        /// <c>OTEL_SEMCONV_STABILITY_OPT_IN</c> lists <c>gen_ai_latest_experimental</c> (latest only).
        /// </summary>
        public static bool ParseEnvironment(string? stabilityOptIn, string? emitV141Names)
        {
            if (stabilityOptIn is not null)
            {
                foreach (var value in stabilityOptIn.Split(','))
                {
                    if (string.Equals(value.Trim(), LatestExperimental, StringComparison.OrdinalIgnoreCase))
                    {
                        return false;
                    }
                }
            }

            return emitV141Names is not null && string.Equals(emitV141Names.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        }

        private static string? Read(string name)
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
    }
}
