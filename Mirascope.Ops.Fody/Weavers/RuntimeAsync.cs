using Mono.Cecil;

namespace Mirascope.Ops.Fody.Weavers
{
    /// <summary>
    /// .NET 11 runtime-async methods (<c>MethodImplAttributes.Async</c>, 0x2000): the compiler emits no state machine;
    /// the body awaits by calling <c>System.Runtime.CompilerServices.AsyncHelpers.Await</c> and its <c>ret</c> returns
    /// the task's result (an <c>int</c> for <c>Task&lt;int&gt;</c>, nothing for <c>Task</c>). The runtime builds the task
    /// around the body and, as the builders of state machines do, gives the caller back its ExecutionContext when the
    /// body suspends or returns. Only Task, Task&lt;T&gt;, ValueTask and ValueTask&lt;T&gt; methods can be runtime-async.
    /// </summary>
    internal static class RuntimeAsync
    {
        // Cecil has no name for it (it predates the flag) but keeps the bit as it reads and writes the method.
        private const int AsyncFlag = 0x2000;

        public static bool IsRuntimeAsync(MethodDefinition method) => ((int)method.ImplAttributes & AsyncFlag) != 0;

        /// <summary>
        /// What the body of a runtime-async method returns: the result type of its Task&lt;T&gt; / ValueTask&lt;T&gt;,
        /// void for Task / ValueTask; null for any other return type, which is not a runtime-async method the runtime
        /// would load, so there is no telling what its <c>ret</c> returns.
        /// </summary>
        public static TypeReference? ReturnedType(MethodDefinition method)
        {
            var returnType = method.ReturnType;
            switch (returnType.GetElementType().FullName)
            {
                case "System.Threading.Tasks.Task":
                case "System.Threading.Tasks.ValueTask":
                    return returnType.IsGenericInstance ? null : method.Module.TypeSystem.Void;
                case "System.Threading.Tasks.Task`1":
                case "System.Threading.Tasks.ValueTask`1":
                    return returnType is GenericInstanceType generic && generic.GenericArguments.Count == 1 ? generic.GenericArguments[0] : null;
                default:
                    return null;
            }
        }

        /// <summary>
        /// Whether the method is runtime-async in a shape we can weave: a task-returning method with no compiler state
        /// machine (a rewriter that set the flag on a state machine's stub would leave a body whose <c>ret</c> returns the
        /// task itself, which the runtime would misread).
        /// </summary>
        public static bool IsWeavable(MethodDefinition method) =>
            ReturnedType(method) is not null && StateMachineShape.Of(method).StateMachine is null;
    }
}
