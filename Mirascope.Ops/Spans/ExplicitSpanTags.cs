using System.Collections.Generic;
using Mirascope.Ops.Tracing;

namespace Mirascope.Ops.Spans
{
    /// <summary>Attribute keys and constant tags of explicit spans, as Python's Mirascope writes them.</summary>
    internal static class ExplicitSpanTags
    {
        /// <summary>The event attribute holding the level of a log-style event.</summary>
        public const string Level = "level";

        /// <summary>The event attribute holding the message of a log-style event.</summary>
        public const string Message = "message";

        /// <summary><c>mirascope.type</c> = <c>"trace"</c>, Python's value for explicit spans (TypeScript writes "span").</summary>
        public static readonly KeyValuePair<string, object?>[] Constant =
        {
            new KeyValuePair<string, object?>(SpanAttributes.Type, "trace"),
        };
    }
}
