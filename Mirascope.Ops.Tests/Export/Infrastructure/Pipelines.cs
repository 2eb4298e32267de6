using System;
using Mirascope.Ops.Configuration;

namespace Mirascope.Ops.Tests.Export.Infrastructure
{
    /// <summary>
    /// Builds a pipeline the way OpsExport.Configure does, but without installing it globally, so export tests can run in
    /// parallel. Each provider sees every Mirascope.Ops span in the process; tests filter what arrives by trace id.
    /// </summary>
    public static class Pipelines
    {
        /// <summary>Short retry timings so fault tests take milliseconds, not seconds.</summary>
        internal static RetrySettings FastRetry { get; } = new RetrySettings(4, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));

        internal static OpsPipeline Build(Action<OpsOptions> configure, Func<string, string?>? environment = null)
        {
            var env = environment ?? TestEnvironment.Empty;
            var options = OpsPipeline.ResolveOptions(configure, env);
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
