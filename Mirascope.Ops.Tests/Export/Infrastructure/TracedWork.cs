using System;
using System.Diagnostics;
using Mirascope.Ops.Tests.Infrastructure;
using Mirascope.Ops.Tracing;

namespace Mirascope.Ops.Tests.Export.Infrastructure
{
    /// <summary>
    /// Real traced spans for export tests: a root span from the Mirascope.Ops ActivitySource (its trace id is what the
    /// test filters on) with calls to woven methods of AssemblyToProcess under it.
    /// </summary>
    public sealed class TracedWork : IDisposable
    {
        private readonly Activity? _previous;

        public TracedWork(string name = "export-test")
        {
            _previous = Activity.Current;
            Activity.Current = null;
            Root = OpsActivitySource.Source.StartActivity(name)
                ?? throw new InvalidOperationException("no provider listens to Mirascope.Ops; build a pipeline first");
            Woven = WovenAssembly.Get("Release");
        }

        public Activity Root { get; }

        public string TraceId => Root.TraceId.ToHexString();

        public WovenAssembly Woven { get; }

        public object? Call(string type, string method, params object?[] arguments) => Woven.Call(Woven.New(type), method, arguments);

        /// <summary>Ends the root span (so it is exported too) and restores the ambient span.</summary>
        public void Dispose()
        {
            Root.Stop();
            Activity.Current = _previous;
        }
    }
}
