using System;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The parts of a span its text searches read, as the engines' text indexes keep them (<see cref="SqlDialect.TextCandidates"/>):
    /// the name, and attribute values as stored (JSON text for objects) by what they hold.
    /// </summary>
    [Flags]
    internal enum SpanTextColumns
    {
        Name = 1,

        /// <summary><c>gen_ai.input_messages</c>, <c>gen_ai.input.messages</c>, <c>mirascope.trace.arg_values</c>.</summary>
        Input = 2,

        /// <summary><c>gen_ai.output_messages</c>, <c>gen_ai.output.messages</c>, <c>mirascope.trace.output</c>.</summary>
        Output = 4,

        /// <summary><c>gen_ai.system_instructions</c>.</summary>
        Instructions = 8,

        All = Name | Input | Output | Instructions,
    }

    /// <summary>A condition an index answers and the value of its one parameter (see <see cref="SqlDialect.TextCandidates"/>).</summary>
    internal sealed record IndexedCondition(SqlText Condition, object Value);
}
