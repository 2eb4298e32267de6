namespace Mirascope.Ops.Tracing
{
    /// <summary>Attribute keys, Mirascope's own so anything that reads Mirascope spans reads ours.</summary>
    internal static class SpanAttributes
    {
        public const string Type = "mirascope.type";
        public const string FnQualname = "mirascope.fn.qualname";
        public const string FnModule = "mirascope.fn.module";
        public const string FnIsAsync = "mirascope.fn.is_async";
        public const string ArgTypes = "mirascope.trace.arg_types";
        public const string ArgValues = "mirascope.trace.arg_values";
        public const string Output = "mirascope.trace.output";

        /// <summary>On a span whose arguments and output were not recorded: why (see <see cref="SkippedValues"/>).</summary>
        public const string ValuesSkipped = "mirascope.trace.values_skipped";

        /// <summary>On the trace's top span in this process: how many of the trace's calls skipped their values.</summary>
        public const string ValuesSkippedCalls = "mirascope.trace.values_skipped_calls";
        public const string Tags = "mirascope.trace.tags";
        public const string Metadata = "mirascope.trace.metadata";
        public const string CodeFunctionName = "code.function.name";
        public const string ErrorType = "error.type";
        public const string ExceptionEvent = "exception";
        public const string ExceptionType = "exception.type";
        public const string ExceptionMessage = "exception.message";
        public const string ExceptionStacktrace = "exception.stacktrace";
    }
}
