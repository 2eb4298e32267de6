using System;
using System.Diagnostics;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;

namespace Mirascope.Ops.Benchmarks.Infrastructure
{
    /// <summary>
    /// Calls into the runtime's internal recorders the way woven code reaches them, without InternalsVisibleTo:
    /// compiled expression trees (dynamic methods skip visibility checks), built once in a setup, so a measured call
    /// is one delegate call into the real code with the real generic instantiation.
    /// </summary>
    internal static class RuntimeInternals
    {
        private static readonly Assembly Runtime = typeof(TraceAttribute).Assembly;

        public static Type Type(string fullName) =>
            Runtime.GetType(fullName) ?? throw new InvalidOperationException($"{fullName} is not in {Runtime.GetName().Name}; update the benchmark");

        /// <summary>
        /// <c>ArgumentRecorder.Rent(names)</c>, <c>Add&lt;T&gt;(value)</c>, <c>Finish()</c>: one argument recorded as woven
        /// code records it, with the parameter name escaped once beforehand as a traced method's descriptor does.
        /// </summary>
        public static Func<string> RecordArgument(Type valueType, object value, string name)
        {
            var recorderType = Type("Mirascope.Ops.Tracing.ArgumentRecorder");
            var namesType = Type("Mirascope.Ops.Tracing.RecordedNames");
            var names = Method(namesType, "Of").Invoke(null, new object[] { new[] { name } })!;
            var rent = recorderType.GetMethod("Rent", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, new[] { namesType })
                ?? throw new InvalidOperationException("ArgumentRecorder.Rent(RecordedNames) is gone; update the benchmark");
            var recorder = Expression.Variable(recorderType, "recorder");
            var body = Expression.Block(
                new[] { recorder },
                Expression.Assign(recorder, Expression.Call(rent, Expression.Constant(names, namesType))),
                Expression.Call(recorder, Method(recorderType, "Add").MakeGenericMethod(valueType), Expression.Constant(value, valueType)),
                Expression.Call(recorder, Method(recorderType, "Finish")));
            return Expression.Lambda<Func<string>>(body).Compile();
        }

        /// <summary><c>OutputRecorder.Record&lt;T&gt;(activity, value)</c>: the result recorded as woven code records it.</summary>
        public static Action RecordOutput(Type valueType, object value, Activity activity)
        {
            var recorderType = Type("Mirascope.Ops.Tracing.OutputRecorder");
            var call = Expression.Call(Method(recorderType, "Record").MakeGenericMethod(valueType), Expression.Constant(activity), Expression.Constant(value, valueType));
            return Expression.Lambda<Action>(call).Compile();
        }

        private static MethodInfo Method(Type type, string name) =>
            type.GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)
            ?? throw new InvalidOperationException($"{type.FullName}.{name} is gone; update the benchmark");
    }
}
