using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Mirascope.Ops.Benchmarks.Subjects
{
    /// <summary>
    /// What a hand-written or peer span needs to look exactly like the woven one: its name and the constant
    /// attributes, written out as a person writing the code by hand would. Each benchmark's setup checks the equality
    /// against the real woven span, so the comparison stays honest when the weaver changes.
    /// </summary>
    public sealed class SpanShape
    {
        public const string ArgValues = "mirascope.trace.arg_values";
        public const string Output = "mirascope.trace.output";
        private const string Namespace = "Mirascope.Ops.Benchmarks.Subjects";

        public static readonly SpanShape NoArgs = new SpanShape("NoArgs", false, "{}");
        public static readonly SpanShape TwoInts = new SpanShape("TwoInts", false, "{\"a\":\"int\",\"b\":\"int\"}");
        public static readonly SpanShape StringAndObject = new SpanShape("StringAndObject", false, "{\"name\":\"string\",\"item\":\"Item\"}");
        public static readonly SpanShape CompletedAsync = new SpanShape("CompletedAsync", true, "{\"a\":\"int\",\"b\":\"int\"}");
        public static readonly SpanShape YieldingAsync = new SpanShape("YieldingAsync", true, "{\"a\":\"int\",\"b\":\"int\"}");

        private SpanShape(string method, bool isAsync, string argumentTypesJson)
        {
            Name = "TracedSubjects." + method;
            Tags = new[]
            {
                new KeyValuePair<string, object?>("mirascope.type", "trace"),
                new KeyValuePair<string, object?>("mirascope.fn.qualname", Name),
                new KeyValuePair<string, object?>("mirascope.fn.module", Namespace),
                new KeyValuePair<string, object?>("mirascope.fn.is_async", isAsync),
                new KeyValuePair<string, object?>("code.function.name", Namespace + "." + Name),
                new KeyValuePair<string, object?>("mirascope.trace.arg_types", argumentTypesJson),
            };
        }

        /// <summary>The span name (the qualified method name).</summary>
        public string Name { get; }

        /// <summary>The constant attributes, handed to StartActivity so samplers see them too.</summary>
        public KeyValuePair<string, object?>[] Tags { get; }

        public static SpanShape ForMethod(string method) => method switch
        {
            nameof(ISubjects.NoArgs) => NoArgs,
            nameof(ISubjects.TwoInts) => TwoInts,
            nameof(ISubjects.StringAndObject) => StringAndObject,
            nameof(ISubjects.CompletedAsync) => CompletedAsync,
            nameof(ISubjects.YieldingAsync) => YieldingAsync,
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "no span shape"),
        };

        /// <summary>What the woven code records for a failure: status, error.type and the exception event.</summary>
        public static bool RecordFailure(Activity? activity, Exception exception)
        {
            if (activity is { IsAllDataRequested: true })
            {
                var type = exception.GetType().FullName ?? exception.GetType().Name;
                activity.SetStatus(ActivityStatusCode.Error, exception.Message);
                activity.SetTag("error.type", type);
                activity.AddException(exception);
            }

            return false;
        }
    }
}
