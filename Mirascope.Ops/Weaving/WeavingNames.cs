// The names the weaver and the runtime must agree on, in one file compiled into both: Mirascope.Ops.Fody links it
// (it may reference nothing but Cecil, so it cannot see the runtime's types) and defines MIRASCOPE_OPS_WEAVER, which
// puts its copy in the weaver's namespace so that code seeing both assemblies (the tests) finds two distinct types.
// Mirascope.Ops.Tests/Weaving/WeavingNamesTests.cs checks the property names against the attributes themselves, and the
// runtime type and member names against the runtime.
#if MIRASCOPE_OPS_WEAVER
namespace Mirascope.Ops.Fody
#else
namespace Mirascope.Ops.Weaving
#endif
{
    /// <summary>The named arguments of <c>[Trace]</c> the weaver reads.</summary>
    internal static class TraceProperties
    {
        public const string Name = "Name";
        public const string Tags = "Tags";
        public const string Metadata = "Metadata";
        public const string IncludeNamespaces = "IncludeNamespaces";
        public const string ExcludeNamespaces = "ExcludeNamespaces";
        public const string Visibility = "Visibility";
        public const string IncludeIterators = "IncludeIterators";
        public const string RecordValues = "RecordValues";
    }

    /// <summary>The properties of <c>[Agent]</c> the weaver reads.</summary>
    internal static class AgentProperties
    {
        public const string Name = "Name";
        public const string Id = "Id";
        public const string Description = "Description";
        public const string Version = "Version";
        public const string Provider = "Provider";
    }

    /// <summary>
    /// The GenAI conventions' keys and values of an in-process agent span (<c>gen_ai.invoke_agent.internal</c> in
    /// semantic-conventions-genai <c>model/gen-ai/spans.yaml</c>), which the weaver writes for an <c>[Agent]</c> method.
    /// </summary>
    internal static class AgentKeys
    {
        public const string OperationName = "gen_ai.operation.name";
        public const string InvokeAgent = "invoke_agent";
        public const string ProviderName = "gen_ai.provider.name";
        public const string AgentName = "gen_ai.agent.name";
        public const string AgentId = "gen_ai.agent.id";
        public const string AgentDescription = "gen_ai.agent.description";
        public const string AgentVersion = "gen_ai.agent.version";

        /// <summary>Followed by the agent's name: the span name.</summary>
        public const string SpanNamePrefix = "invoke_agent ";
    }

    /// <summary>The properties of <c>[Version]</c> the weaver reads (Name) and writes at build time (the others).</summary>
    internal static class VersionProperties
    {
        public const string Name = "Name";
        public const string Hash = "Hash";
        public const string SignatureHash = "SignatureHash";
        public const string Description = "Description";
        public const string Code = "Code";
        public const string Signature = "Signature";
    }

    /// <summary>The <c>mirascope.version.*</c> span attributes of a versioned function.</summary>
    internal static class VersionKeys
    {
        public const string Hash = "mirascope.version.hash";
        public const string SignatureHash = "mirascope.version.signature_hash";
        public const string Version = "mirascope.version.version";
        public const string Name = "mirascope.version.name";
        public const string Description = "mirascope.version.description";
        public const string Tags = "mirascope.version.tags";

        // Registration data the weaver passes in the descriptor; the runtime keeps it off spans (VersionedFunctions).
        public const string Code = "mirascope.version.code";
        public const string Signature = "mirascope.version.signature";

        /// <summary>Newline-separated <c>name version</c> lines.</summary>
        public const string Dependencies = "mirascope.version.dependencies";

        /// <summary>Followed by the metadata key: one attribute per <c>Metadata</c> entry.</summary>
        public const string MetaPrefix = "mirascope.version.meta.";
    }

    /// <summary>
    /// The runtime's types the weaver finds by full name (it cannot reference the runtime, so nameof is not at hand):
    /// the attributes it reads and the two types woven code calls.
    /// </summary>
    internal static class RuntimeTypeNames
    {
        public const string Assembly = "Mirascope.Ops";
        public const string TraceAttribute = "Mirascope.Ops.TraceAttribute";
        public const string NoTraceAttribute = "Mirascope.Ops.NoTraceAttribute";
        public const string RecordToStringAttribute = "Mirascope.Ops.RecordToStringAttribute";
        public const string VersionAttribute = "Mirascope.Ops.VersionAttribute";
        public const string AgentAttribute = "Mirascope.Ops.AgentAttribute";
        public const string TracedMethod = "Mirascope.Ops.Weaving.TracedMethod";
        public const string TraceScope = "Mirascope.Ops.Weaving.TraceScope";
    }

    /// <summary>The methods of <c>TracedMethod</c> woven code calls (its constructors are told apart by arity).</summary>
    internal static class TracedMethodMembers
    {
        public const string Start = "Start";
    }

    /// <summary>The methods of <c>TraceScope</c> woven code calls (overloads are told apart by arity).</summary>
    internal static class TraceScopeMembers
    {
        public const string NeedsArguments = "get_NeedsArguments";
        public const string ResumeIteration = "ResumeIteration";
        public const string SuspendIteration = "SuspendIteration";
        public const string AbortIteration = "AbortIteration";
        public const string DisposeIteration = "DisposeIteration";
        public const string ResumeAsyncIteration = "ResumeAsyncIteration";
        public const string StepAsyncIteration = "StepAsyncIteration";
        public const string Arg = "Arg";
        public const string ArgFormatted = "ArgFormatted";
        public const string ArgRedacted = "ArgRedacted";
        public const string ArgPlaceholder = "ArgPlaceholder";
        public const string ArgText = "ArgText";
        public const string CommitArgs = "CommitArgs";
        public const string Complete = "Complete";
        public const string Fail = "Fail";
        public const string Observe = "Observe";
        public const string End = "End";
        public const string CompleteWhenDone = "CompleteWhenDone";
    }
}
