using System;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Mirascope.Ops.Diagnostics;
using Mirascope.Ops.Llm;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Records extra attributes for results that carry more than a value (an LLM response carries usage, model and
    /// content). Called for every non-primitive, non-null result of a traced method whose span records all data.
    /// </summary>
    internal static class ResultEnrichment
    {
        /// <summary>Records what the result carries; returns true when <c>mirascope.trace.output</c> was also handled.</summary>
        public static bool TryRecord(Activity activity, object result)
        {
            if (result is not ChatResponse response)
            {
                return false;
            }

            try
            {
                // As Python does for its own responses: the readable text is the output, the rest goes in
                // mirascope.response.*. A traced method's span records its result anyway, so content is not gated here.
                activity.SetTag(SpanAttributes.Output, RecordingLimits.Cap(MirascopeResponseJson.Pretty(response)));
                var provider = ResponseProviders.Find(response);
                if (provider is not null) activity.SetTag(GenAiAttributes.MirascopeProviderId, provider);
                if (response.ModelId is not null) activity.SetTag(GenAiAttributes.MirascopeModelId, response.ModelId);
                if (response.Usage is not null) activity.SetTag(GenAiAttributes.MirascopeUsage, MirascopeResponseJson.Usage(response.Usage));
                activity.SetTag(GenAiAttributes.MirascopeContent, MirascopeResponseJson.Content(response.Messages));
                return true;
            }
            catch (Exception ex)
            {
                OpsEventSource.Log.TracingFailed("record chat response of a traced call", ex);
                return false;
            }
        }
    }
}
