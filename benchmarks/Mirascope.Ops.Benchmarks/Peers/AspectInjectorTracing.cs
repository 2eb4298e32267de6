using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using AspectInjector.Broker;
using Mirascope.Ops.Benchmarks.Subjects;

namespace Mirascope.Ops.Benchmarks.Peers
{
    /// <summary>Marks a method for the AspectInjector peer: its build task wraps the method in <see cref="TracingAspect.Around"/>.</summary>
    [Injection(typeof(TracingAspect))]
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class TracedByAspectInjectorAttribute : Attribute
    {
    }

    /// <summary>
    /// The AspectInjector way to produce the same span: a global around-advice receiving the target delegate, the boxed
    /// arguments and the method metadata; per-method facts cached once.
    /// </summary>
    [Aspect(Scope.Global)]
    public sealed class TracingAspect
    {
        public const string SourceName = "Bench.AspectInjector";
        private static readonly ActivitySource Activities = new ActivitySource(SourceName);
        private static readonly ConcurrentDictionary<MethodBase, PeerMethod> Methods = new ConcurrentDictionary<MethodBase, PeerMethod>();

        // AspectInjector wants exactly Func<object[], object> and object[]; void methods return null through them.
#nullable disable
        [Advice(Kind.Around, Targets = Target.Method)]
        public object Around(
            [Argument(Source.Target)] Func<object[], object> target,
            [Argument(Source.Arguments)] object[] arguments,
            [Argument(Source.Metadata)] MethodBase method)
        {
            var described = Methods.GetOrAdd(method, PeerMethod.Describe);
            using var activity = Activities.StartActivity(described.Shape.Name, ActivityKind.Internal, default(ActivityContext), described.Shape.Tags);
            if (activity is { IsAllDataRequested: true } && described.ArgumentNames.Length > 0)
            {
                activity.SetTag(SpanShape.ArgValues, HandJson.Arguments(described.ArgumentNames, arguments));
            }

            try
            {
                var result = target(arguments);
                if (activity is { IsAllDataRequested: true } && described.HasOutput && result is not null)
                {
                    activity.SetTag(SpanShape.Output, result);
                }

                return result;
            }
            catch (Exception ex) when (SpanShape.RecordFailure(activity, ex))
            {
                throw;
            }
        }
#nullable restore
    }

    /// <summary>The synchronous methods, woven by AspectInjector's build task (not by Mirascope.Ops).</summary>
    public class AspectInjectorSubjects
    {
        [TracedByAspectInjector]
        public void NoArgs()
        {
        }

        [TracedByAspectInjector]
        public int TwoInts(int a, int b) => a + b;

        [TracedByAspectInjector]
        public string StringAndObject(string name, Item item) => name.Length >= item.Name.Length ? name : item.Name;
    }
}
