using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using Castle.DynamicProxy;
using Mirascope.Ops.Benchmarks.Subjects;

namespace Mirascope.Ops.Benchmarks.Peers
{
    /// <summary>
    /// The Castle DynamicProxy way to produce the same span: an interface proxy over the plain implementation with an
    /// interceptor; per-method facts cached once.
    /// </summary>
    public sealed class CastleTracingInterceptor : IInterceptor
    {
        public const string SourceName = "Bench.Castle";
        private static readonly ActivitySource Activities = new ActivitySource(SourceName);
        private static readonly ConcurrentDictionary<MethodInfo, PeerMethod> Methods = new ConcurrentDictionary<MethodInfo, PeerMethod>();

        public static ISubjects CreateProxy() =>
            new ProxyGenerator().CreateInterfaceProxyWithTarget<ISubjects>(new PlainSubjects(), new CastleTracingInterceptor());

        public void Intercept(IInvocation invocation)
        {
            var described = Methods.GetOrAdd(invocation.Method, PeerMethod.Describe);
            using var activity = Activities.StartActivity(described.Shape.Name, ActivityKind.Internal, default(ActivityContext), described.Shape.Tags);
            if (activity is { IsAllDataRequested: true } && described.ArgumentNames.Length > 0)
            {
                activity.SetTag(SpanShape.ArgValues, HandJson.Arguments(described.ArgumentNames, invocation.Arguments));
            }

            try
            {
                invocation.Proceed();
                if (activity is { IsAllDataRequested: true } && described.HasOutput && invocation.ReturnValue is { } result)
                {
                    activity.SetTag(SpanShape.Output, result);
                }
            }
            catch (Exception ex) when (SpanShape.RecordFailure(activity, ex))
            {
                throw;
            }
        }
    }
}
