using System.Collections.Generic;
using Mono.Cecil;

namespace Mirascope.Ops.Fody
{
    /// <summary>How a method runs, which decides where the scope calls go.</summary>
    internal enum MethodShape
    {
        Sync,
        Async,
        Iterator,
        AsyncIterator,
    }

    /// <summary>One method to weave, with everything constant about its span computed at build time.</summary>
    internal sealed class TraceTarget
    {
        public TraceTarget(MethodDefinition method, MethodShape shape, TypeDefinition? stateMachine, TraceSettings settings)
        {
            Method = method;
            Shape = shape;
            StateMachine = stateMachine;
            Settings = settings;
            QualifiedName = MethodNames.QualifiedName(method);
            Module = MethodNames.Namespace(method.DeclaringType);
            FunctionName = Module.Length == 0 ? QualifiedName : Module + "." + QualifiedName;
            SpanName = settings.Name ?? QualifiedName;
            Arguments = ArgumentPlan.For(method);
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

        public bool IsAsync => Shape == MethodShape.Async || Shape == MethodShape.AsyncIterator;
    }

    /// <summary>The validated options of a <c>[Trace]</c>: name, sorted distinct tags, metadata JSON.</summary>
    internal sealed class TraceSettings
    {
        public TraceSettings(string? name, IReadOnlyList<string> tags, string? metadataJson)
        {
            Name = name;
            Tags = tags;
            MetadataJson = metadataJson;
        }

        public string? Name { get; }

        public IReadOnlyList<string> Tags { get; }

        public string? MetadataJson { get; }
    }
}
