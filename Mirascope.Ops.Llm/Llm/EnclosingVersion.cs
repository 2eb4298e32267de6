using System;
using System.Diagnostics;
using System.Text.Json;
using Mirascope.Ops.Tracing;
using Mirascope.Ops.Weaving;

namespace Mirascope.Ops.Llm
{
    /// <summary>
    /// The prompt a chat call belongs to: the nearest enclosing <c>[Version]</c> span in the process, read from the
    /// attributes the weaver put on it (<c>mirascope.version.*</c>) and the arguments it recorded.
    /// </summary>
    internal static class EnclosingVersion
    {
        /// <summary>
        /// Sets <c>gen_ai.prompt.name</c> (the versioned function's span name, the name it is registered under),
        /// <c>gen_ai.prompt.version</c> (its code hash, else its version number), and, when asked, one
        /// <c>gen_ai.prompt.variable.&lt;arg&gt;</c> per recorded argument. Does nothing outside a versioned function.
        /// </summary>
        public static void Record(Activity chat, bool recordVariables)
        {
            // Parent is the in-process parent only: a chat under a remote parent has no enclosing version here.
            for (var span = chat.Parent; span is not null; span = span.Parent)
            {
                var number = span.GetTagItem(VersionKeys.Version) as string;
                var hash = span.GetTagItem(VersionKeys.Hash) as string;
                if (number is null && hash is null)
                {
                    continue;
                }

                chat.SetTag(GenAiAttributes.PromptName, span.OperationName);
                chat.SetTag(GenAiAttributes.PromptVersion, hash ?? number);
                if (recordVariables && span.GetTagItem(SpanAttributes.ArgValues) is string arguments)
                {
                    RecordVariables(chat, arguments);
                }

                return;
            }
        }

        // The arguments as recorded ([NoTrace] ones as "[redacted]"), not recorded again: a string is the variable's
        // value as the conventions show it, anything else its JSON text.
        private static void RecordVariables(Activity chat, string argumentsJson)
        {
            try
            {
                using var document = JsonDocument.Parse(argumentsJson);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return;
                }

                foreach (var argument in document.RootElement.EnumerateObject())
                {
                    var value = argument.Value.ValueKind == JsonValueKind.String ? argument.Value.GetString() : argument.Value.GetRawText();
                    chat.SetTag(GenAiAttributes.PromptVariablePrefix + argument.Name, value);
                }
            }
            catch (JsonException)
            {
                // Recorded values are valid JSON; a span whose attribute was replaced by other code just has no variables.
            }
        }
    }
}
