using System.Collections.Generic;
using Mirascope.Ops.Fody.Emit;
using Mirascope.Ops.Fody.Weavers;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Targets
{
    /// <summary>How a method runs, which decides where the scope calls go.</summary>
    internal enum MethodShape
    {
        Sync,
        Async,

        /// <summary>A .NET 11 runtime-async method: no state machine, woven in place like a synchronous one.</summary>
        RuntimeAsync,
        Iterator,
        AsyncIterator,
    }

    /// <summary>One method to weave, with everything constant about its span computed at build time.</summary>
    internal sealed class TraceTarget
    {
        public TraceTarget(MethodDefinition method, MethodShape shape, TypeDefinition? stateMachine, TraceSettings settings, CustomAttribute? versionAttribute, AgentSettings? agent = null)
        {
            Method = method;
            Agent = agent;
            VersionAttribute = versionAttribute;
            Shape = shape;
            StateMachine = stateMachine;
            Settings = settings;
            QualifiedName = MethodNames.QualifiedName(method);
            Module = MethodNames.Namespace(method.DeclaringType);
            FunctionName = Module.Length == 0 ? QualifiedName : Module + "." + QualifiedName;
            SpanName = agent?.SpanName ?? settings.Name ?? QualifiedName;
            Arguments = ArgumentPlan.For(method);
        }

        private TraceTarget(TraceTarget target, IReadOnlyList<string> versionTags)
        {
            Method = target.Method;
            Shape = target.Shape;
            StateMachine = target.StateMachine;
            Settings = target.Settings;
            QualifiedName = target.QualifiedName;
            Module = target.Module;
            FunctionName = target.FunctionName;
            SpanName = target.SpanName;
            Arguments = target.Arguments;
            VersionAttribute = target.VersionAttribute;
            VersionTags = versionTags;
            Agent = target.Agent;
        }

        public MethodDefinition Method { get; }

        public MethodShape Shape { get; }

        /// <summary>The compiler-generated state machine of async methods and iterators.</summary>
        public TypeDefinition? StateMachine { get; }

        public TraceSettings Settings { get; }

        public string SpanName { get; }

        public string QualifiedName { get; }

        public string Module { get; }

        public string FunctionName { get; }

        public IReadOnlyList<ArgumentRecording> Arguments { get; }

        /// <summary>Async methods (state machine or runtime-async) and async iterators, and methods that return a task without being async.</summary>
        public bool IsAsync => Shape is MethodShape.Async or MethodShape.RuntimeAsync or MethodShape.AsyncIterator || ReturnsAwaitable(Method.ReturnType);

        private static bool ReturnsAwaitable(TypeReference type) =>
            type.GetElementType().FullName is "System.Threading.Tasks.Task" or "System.Threading.Tasks.Task`1"
                or "System.Threading.Tasks.ValueTask" or "System.Threading.Tasks.ValueTask`1";

        /// <summary>The method's validated <c>[Agent]</c>, when it is an agent's entry point.</summary>
        public AgentSettings? Agent { get; }

        /// <summary>The method's <c>[Version]</c>, when it is a versioned function.</summary>
        public CustomAttribute? VersionAttribute { get; }

        /// <summary>The <c>mirascope.version.*</c> attributes computed at build time, as flattened name/value pairs.</summary>
        public IReadOnlyList<string>? VersionTags { get; }

        /// <summary>This target with the span attributes <see cref="Versioning.VersionStamp"/> computed for its <c>[Version]</c>.</summary>
        public TraceTarget WithVersionTags(IReadOnlyList<string> versionTags) => new TraceTarget(this, versionTags);
    }

    /// <summary>The validated options of a <c>[Trace]</c>: name, sorted distinct tags, metadata JSON.</summary>
    internal sealed class TraceSettings
    {
        public TraceSettings(string? name, IReadOnlyList<string> tags, IReadOnlyList<KeyValuePair<string, string>> metadata, string? metadataJson, bool recordValues = true)
        {
            RecordValues = recordValues;
            Name = name;
            Tags = tags;
            Metadata = metadata;
            MetadataJson = metadataJson;
        }

        /// <summary>The metadata entries in declaration order (inner levels override outer keys).</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; }

        public string? Name { get; }

        public IReadOnlyList<string> Tags { get; }

        public string? MetadataJson { get; }

        /// <summary><c>[Trace(RecordValues = false)]</c> on the method, its class or its assembly (the innermost level that says wins).</summary>
        public bool RecordValues { get; }
    }
}
