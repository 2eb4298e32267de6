using System;
using System.Linq;
using System.Reflection;
using Mirascope.Ops.Benchmarks.Subjects;

namespace Mirascope.Ops.Benchmarks.Peers
{
    /// <summary>What a peer interceptor caches per intercepted method (once, not per call), as a careful author would.</summary>
    internal sealed class PeerMethod
    {
        private PeerMethod(MethodBase method)
        {
            Shape = SpanShape.ForMethod(method.Name);
            ArgumentNames = method.GetParameters().Select(p => p.Name ?? "?").ToArray();
            HasOutput = method is MethodInfo info && info.ReturnType != typeof(void);
        }

        public SpanShape Shape { get; }

        public string[] ArgumentNames { get; }

        public bool HasOutput { get; }

        public static PeerMethod Describe(MethodBase method) => new PeerMethod(method);
    }
}
