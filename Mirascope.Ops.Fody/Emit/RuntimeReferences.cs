using System;
using System.Linq;
using Mirascope.Ops.Fody.Diagnostics;
using Mirascope.Ops.Fody.Targets;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Emit
{
    /// <summary>The members of the Mirascope.Ops runtime that woven code calls, imported into the target module.</summary>
    internal sealed class RuntimeReferences
    {

        private readonly ModuleDefinition _module;
        private readonly MethodReference _argOpen;
        private readonly MethodReference _argFormattedOpen;
        private readonly MethodReference _completeWithResultOpen;
        private readonly System.Collections.Generic.Dictionary<string, MethodReference> _completeWhenDone;

        // Closed generic helpers by type argument (reference identity), shared by every woven call site: most
        // methods record the same few types, and a closed method is a reference like any other.
        private readonly System.Collections.Generic.Dictionary<TypeReference, MethodReference> _args = new System.Collections.Generic.Dictionary<TypeReference, MethodReference>();
        private readonly System.Collections.Generic.Dictionary<TypeReference, MethodReference> _argsFormatted = new System.Collections.Generic.Dictionary<TypeReference, MethodReference>();
        private readonly System.Collections.Generic.Dictionary<TypeReference, MethodReference> _completeWithResults = new System.Collections.Generic.Dictionary<TypeReference, MethodReference>();

        private RuntimeReferences(ModuleDefinition module, TypeDefinition tracedMethod, TypeDefinition traceScope, Func<string, TypeDefinition> findType)
        {
            _module = module;
            CompilerGeneratedConstructor = module.ImportReference(
                findType("System.Runtime.CompilerServices.CompilerGeneratedAttribute").Methods.Single(m => m.IsConstructor && !m.HasParameters));
            TracedMethod = module.ImportReference(tracedMethod);
            TraceScope = module.ImportReference(traceScope);
            TracedMethodConstructor = Import(tracedMethod, ".ctor", 9);
            VersionedMethodConstructor = Import(tracedMethod, ".ctor", 10);
            _tracedMethodDefinition = tracedMethod;
            Start = Import(tracedMethod, TracedMethodMembers.Start, 1);
            NeedsArguments = Import(traceScope, TraceScopeMembers.NeedsArguments, 0);
            ResumeIteration = Import(traceScope, TraceScopeMembers.ResumeIteration, 2);
            SuspendIteration = Import(traceScope, TraceScopeMembers.SuspendIteration, 3);
            AbortIteration = Import(traceScope, TraceScopeMembers.AbortIteration, 2);
            DisposeIteration = Import(traceScope, TraceScopeMembers.DisposeIteration, 1);
            ResumeAsyncIteration = Import(traceScope, TraceScopeMembers.ResumeAsyncIteration, 2);
            StepAsyncIteration = Import(traceScope, TraceScopeMembers.StepAsyncIteration, 2);
            Activity = ResumeIteration.ReturnType;
            _argOpen = Import(traceScope, TraceScopeMembers.Arg, 1);
            _argFormattedOpen = Import(traceScope, TraceScopeMembers.ArgFormatted, 1);
            ArgRedacted = Import(traceScope, TraceScopeMembers.ArgRedacted, 0);
            ArgPlaceholder = Import(traceScope, TraceScopeMembers.ArgPlaceholder, 1);
            ArgText = Import(traceScope, TraceScopeMembers.ArgText, 1);
            CommitArgs = Import(traceScope, TraceScopeMembers.CommitArgs, 0);
            Complete = Import(traceScope, TraceScopeMembers.Complete, 1);
            _completeWithResultOpen = Import(traceScope, TraceScopeMembers.Complete, 2);
            Fail = Import(traceScope, TraceScopeMembers.Fail, 2);
            Observe = Import(traceScope, TraceScopeMembers.Observe, 2);
            End = Import(traceScope, TraceScopeMembers.End, 1);
            _completeWhenDone = traceScope.Methods
                .Where(m => m.Name == TraceScopeMembers.CompleteWhenDone)
                .ToDictionary(m => m.Parameters[0].ParameterType.GetElementType().FullName, m => module.ImportReference(m));
        }

        public MethodReference CompilerGeneratedConstructor { get; }

        public TypeReference TracedMethod { get; }

        public TypeReference TraceScope { get; }

        public MethodReference TracedMethodConstructor { get; }

        /// <summary>The descriptor constructor with value options; imported on first use, so a runtime without it only fails a build that needs it.</summary>
        public MethodReference TracedMethodWithOptionsConstructor => _tracedMethodWithOptions ??= Import(_tracedMethodDefinition, ".ctor", 11);

        private readonly TypeDefinition _tracedMethodDefinition;
        private MethodReference? _tracedMethodWithOptions;

        /// <summary>The descriptor constructor of an <c>[Agent]</c> method (its <c>gen_ai.*</c> pairs); imported on first use, like the one with options.</summary>
        public MethodReference AgentMethodConstructor => _agentMethod ??= Import(_tracedMethodDefinition, ".ctor", 12);

        private MethodReference? _agentMethod;

        public MethodReference VersionedMethodConstructor { get; }

        public MethodReference Start { get; }

        public MethodReference NeedsArguments { get; }

        public MethodReference ResumeIteration { get; }

        public MethodReference SuspendIteration { get; }

        public MethodReference AbortIteration { get; }

        public MethodReference DisposeIteration { get; }

        public MethodReference ResumeAsyncIteration { get; }

        public MethodReference StepAsyncIteration { get; }

        /// <summary>System.Diagnostics.Activity, as the runtime references it (iterators keep the caller's in a local).</summary>
        public TypeReference Activity { get; }

        public MethodReference ArgRedacted { get; }

        public MethodReference ArgPlaceholder { get; }

        public MethodReference ArgText { get; }

        public MethodReference CommitArgs { get; }

        public MethodReference Complete { get; }

        public MethodReference Fail { get; }

        public MethodReference Observe { get; }

        public MethodReference End { get; }

        public static RuntimeReferences? TryImport(ModuleDefinition module, Func<string, TypeDefinition> findType, bool required)
        {
            // The compiler drops references nothing uses: an assembly traced only through FodyWeavers.xml may not
            // reference the runtime yet, so look it up among the project's references; importing adds the reference.
            var reference = module.AssemblyReferences.FirstOrDefault(r => r.Name == RuntimeTypeNames.Assembly)
                ?? (required ? new AssemblyNameReference(RuntimeTypeNames.Assembly, null) : null);
            if (reference is null)
            {
                return null;
            }

            var runtime = module.AssemblyResolver.Resolve(reference)
                ?? throw new global::Fody.WeavingException($"{DiagnosticCodes.InvalidOption}: {module.Name} must reference the {RuntimeTypeNames.Assembly} package to be traced (TraceAssembly is on).");
            var tracedMethod = runtime.MainModule.GetType(RuntimeTypeNames.TracedMethod);
            var traceScope = runtime.MainModule.GetType(RuntimeTypeNames.TraceScope);
            if (tracedMethod is null || traceScope is null)
            {
                throw new RuntimeMismatchException(runtime, $"it has no {RuntimeTypeNames.TracedMethod} or {RuntimeTypeNames.TraceScope}");
            }

            try
            {
                return new RuntimeReferences(module, tracedMethod, traceScope, findType);
            }
            catch (RuntimeMismatchException mismatch)
            {
                throw new global::Fody.WeavingException(mismatch.Message);
            }
        }

        /// <summary><c>TraceScope.Arg&lt;T&gt;</c> closed over the recorded parameter's type.</summary>
        public MethodReference Arg(TypeReference valueType) => Close(_args, _argOpen, valueType);

        /// <summary><c>TraceScope.ArgFormatted&lt;T&gt;</c> closed over <paramref name="valueType"/> (a <c>[RecordToString]</c> parameter).</summary>
        public MethodReference ArgFormatted(TypeReference valueType) => Close(_argsFormatted, _argFormattedOpen, valueType);

        /// <summary>
        /// <c>TraceScope.CompleteWhenDone</c> for a method returning Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;
        /// without being async; null for any other return type.
        /// </summary>
        public MethodReference? CompleteWhenDone(TypeReference returnType)
        {
            if (!_completeWhenDone.TryGetValue(returnType.GetElementType().FullName, out var method))
            {
                return null;
            }

            return returnType is GenericInstanceType generic ? Close(method, generic.GenericArguments[0]) : method;
        }

        /// <summary><c>TraceScope.Complete&lt;T&gt;(T, ref TraceScope)</c> closed over the result type.</summary>
        public MethodReference CompleteWithResult(TypeReference resultType) => Close(_completeWithResults, _completeWithResultOpen, resultType);

        private static MethodReference Close(System.Collections.Generic.Dictionary<TypeReference, MethodReference> cache, MethodReference open, TypeReference argument)
        {
            if (!cache.TryGetValue(argument, out var closed))
            {
                closed = Close(open, argument);
                cache.Add(argument, closed);
            }

            return closed;
        }

        private static MethodReference Close(MethodReference open, TypeReference argument)
        {
            var closed = new GenericInstanceMethod(open);
            closed.GenericArguments.Add(argument);
            return closed;
        }

        private MethodReference Import(TypeDefinition type, string name, int parameterCount)
        {
            var candidates = type.Methods.Where(m => m.Name == name && m.Parameters.Count == parameterCount).ToList();
            if (candidates.Count != 1)
            {
                // The runtime the project references is not the one this weaver emits calls to (an older or newer
                // Mirascope.Ops than the weaver's package): say so, instead of a lookup crash without a place.
                throw new RuntimeMismatchException(type.Module.Assembly, $"{type.FullName}.{name} with {parameterCount} parameter(s) {(candidates.Count == 0 ? "is missing" : "is ambiguous")}");
            }

            return _module.ImportReference(candidates[0]);
        }
    }
}
