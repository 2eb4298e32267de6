using System;
using System.Diagnostics;
using System.Threading.Tasks;

namespace Mirascope.Ops.Benchmarks.Subjects
{
    /// <summary>
    /// The same spans written by hand with <c>using var activity = source.StartActivity(...)</c>: constant attributes
    /// passed at start, arguments and output set only when the span records all data, failures recorded. This is the
    /// bar the woven code must meet.
    /// </summary>
    public class HandWrittenSubjects : ISubjects
    {
        public const string SourceName = "Bench.HandWritten";
        private static readonly ActivitySource Source = new ActivitySource(SourceName);
        private static readonly Task CompletedTask = Task.CompletedTask;

        public void NoArgs()
        {
            using var activity = Source.StartActivity(SpanShape.NoArgs.Name, ActivityKind.Internal, default(ActivityContext), SpanShape.NoArgs.Tags);
            try
            {
            }
            catch (Exception ex) when (SpanShape.RecordFailure(activity, ex))
            {
                throw;
            }
        }

        public int TwoInts(int a, int b)
        {
            using var activity = Source.StartActivity(SpanShape.TwoInts.Name, ActivityKind.Internal, default(ActivityContext), SpanShape.TwoInts.Tags);
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag(SpanShape.ArgValues, HandJson.TwoInts(a, b));
            }

            try
            {
                var result = a + b;
                if (activity is { IsAllDataRequested: true })
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

        public string StringAndObject(string name, Item item)
        {
            using var activity = Source.StartActivity(SpanShape.StringAndObject.Name, ActivityKind.Internal, default(ActivityContext), SpanShape.StringAndObject.Tags);
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag(SpanShape.ArgValues, HandJson.StringAndObject(name, item));
            }

            try
            {
                var result = name.Length >= item.Name.Length ? name : item.Name;
                if (activity is { IsAllDataRequested: true })
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

        public async Task<int> CompletedAsync(int a, int b)
        {
            using var activity = Source.StartActivity(SpanShape.CompletedAsync.Name, ActivityKind.Internal, default(ActivityContext), SpanShape.CompletedAsync.Tags);
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag(SpanShape.ArgValues, HandJson.TwoInts(a, b));
            }

            try
            {
                await CompletedTask;
                var result = a + b;
                if (activity is { IsAllDataRequested: true })
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

        public async Task<int> YieldingAsync(int a, int b)
        {
            using var activity = Source.StartActivity(SpanShape.YieldingAsync.Name, ActivityKind.Internal, default(ActivityContext), SpanShape.YieldingAsync.Tags);
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag(SpanShape.ArgValues, HandJson.TwoInts(a, b));
            }

            try
            {
                await Task.Yield();
                var result = a + b;
                if (activity is { IsAllDataRequested: true })
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
    }
}
