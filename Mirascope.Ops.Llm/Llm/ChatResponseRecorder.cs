using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Tracing;

namespace Mirascope.Ops.Llm
{
    /// <summary>
    /// Records a traced method's <see cref="ChatResponse"/> result as Python does for its own responses: the readable
    /// text is <c>mirascope.trace.output</c>, the rest goes in <c>mirascope.response.*</c>. A traced method's span
    /// records its result anyway, so content is not gated by the capture setting here.
    /// </summary>
    internal static class ChatResponseRecorder
    {
        private static readonly ResultRecorders.Recorder Instance = TryRecord;

        /// <summary>
        /// Registers with the runtime when this assembly is first used (any call into Mirascope.Ops.Llm: GenAi,
        /// UseMirascopeOps, OpsLlm). Until then a ChatResponse result is recorded by its fields, like any other object.
        /// </summary>
#pragma warning disable CA2255 // A module initializer in a library is the point: the runtime cannot reference this assembly.
        [ModuleInitializer]
#pragma warning restore CA2255
        internal static void Register() => ResultRecorders.Register(Instance);

        private static bool TryRecord(Activity activity, object result)
        {
            if (result is not ChatResponse response)
            {
                return false;
            }

            activity.SetTag(SpanAttributes.Output, RecordingLimits.Cap(MirascopeResponseJson.Pretty(response)));
            var provider = ResponseProviders.Find(response);
            if (provider is not null) activity.SetTag(GenAiAttributes.MirascopeProviderId, provider);
            if (response.ModelId is not null) activity.SetTag(GenAiAttributes.MirascopeModelId, response.ModelId);
            if (response.Usage is not null) activity.SetTag(GenAiAttributes.MirascopeUsage, MirascopeResponseJson.Usage(response.Usage));
            activity.SetTag(GenAiAttributes.MirascopeContent, MirascopeResponseJson.Content(response.Messages));
            return true;
        }
    }
}
