namespace Mirascope.Ops.Tracing
{
    /// <summary>How a value of one runtime type is recorded.</summary>
    internal enum ValueKind
    {
        /// <summary>A BCL scalar (number, string, date, GUID, ...) or System.Text.Json document: written by its own case.</summary>
        Scalar,

        /// <summary><c>"&lt;TypeName&gt;"</c>: recording it would run code (a task, a lazy sequence, a stream), or it has nothing recordable.</summary>
        Placeholder,

        /// <summary>Its name (several names for a flags combination), as the enum's own <c>ToString()</c> gives.</summary>
        Enum,

        /// <summary>A one-dimensional array: its elements.</summary>
        Array,

        /// <summary>A BCL collection whose enumeration runs only BCL code (<c>List&lt;T&gt;</c>, <c>HashSet&lt;T&gt;</c>, ...): its elements.</summary>
        Sequence,

        /// <summary>A BCL dictionary: a JSON object when its keys are strings, numbers or enums, else <c>[{"key":..,"value":..}]</c>.</summary>
        Dictionary,

        /// <summary>A BCL wrapper (<c>ReadOnlyCollection&lt;T&gt;</c>, <c>ReadOnlyDictionary&lt;,&gt;</c>): recorded as what it wraps.</summary>
        Wrapper,

        /// <summary><c>Tuple&lt;...&gt;</c> or <c>ValueTuple&lt;...&gt;</c>: a JSON array of its items.</summary>
        Tuple,

        /// <summary><c>KeyValuePair&lt;,&gt;</c>: <c>{"Key":..,"Value":..}</c>.</summary>
        KeyValuePair,

        /// <summary>An exception: its type, and its message when the message is the BCL's own.</summary>
        Exception,

        /// <summary>A user type (class, struct, record, anonymous type): its public auto-properties and public fields.</summary>
        Object,

        /// <summary>Opted in: <c>[RecordToString]</c> on the type, or a registered formatter.</summary>
        Formatted,
    }
}
