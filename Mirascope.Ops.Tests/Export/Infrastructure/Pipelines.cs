using System;
using System.Threading;
using Mirascope.Ops.Configuration;

namespace Mirascope.Ops.Tests.Export.Infrastructure
{
    /// <summary>
    /// Builds a pipeline the way OpsExport.Configure does, but without installing it globally, so export tests can run in
    /// parallel. Every provider sees every Mirascope.Ops span in the process, so each pipeline built here takes only
    /// the spans that end in the async flow that built it (the test's own, including its Task.Run work): other tests'
    /// spans can neither be counted nor dropped by it, and ForceFlush's answer is about this test alone.
    /// </summary>
    public static class Pipelines
    {
        private static readonly AsyncLocal<object?> Owner = new AsyncLocal<object?>();

        /// <summary>Short retry timings so fault tests take milliseconds, not seconds.</summary>
        internal static RetrySettings FastRetry { get; } = new RetrySettings(4, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));

        internal static OpsPipeline Build(Action<OpsOptions> configure, Func<string, string?>? environment = null)
        {
            var env = environment ?? TestEnvironment.Empty;
            // Set here, in a synchronous call, so it stays set in the calling test's flow after the return.
            var owner = Owner.Value ??= new object();
            var options = OpsPipeline.ResolveOptions(o =>
            {
                o.SpanFilter = _ => ReferenceEquals(Owner.Value, owner);
                // Fault tests would otherwise print the first-drop line to the test run's stderr; tests of it capture it.
                o.StandardError = () => System.IO.TextWriter.Null;
                configure(o);
            }, env);
            return OpsPipeline.Build(options, env, () => true);
        }

        /// <summary>A Mirascope Cloud pipeline to <paramref name="receiver"/> with fast retries and a long schedule (tests flush).</summary>
        internal static OpsPipeline Cloud(TraceReceiver receiver, Action<OpsOptions>? configure = null) =>
            Build(options =>
            {
                options.ApiKey = receiver.ApiKey;
                options.BaseUrl = receiver.BaseUrl;
                options.ServiceName = "export-tests";
                options.ScheduledDelay = TimeSpan.FromMinutes(1);
                options.Retry = FastRetry;
                configure?.Invoke(options);
            });
    }
}
