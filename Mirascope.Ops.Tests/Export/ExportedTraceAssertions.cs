using System;
using System.Collections.Generic;
using System.Linq;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Mirascope.Ops.Tracing;
using Xunit;

namespace Mirascope.Ops.Tests.Export
{
    /// <summary>One traced workload and what must arrive of it, shared by the Cloud (JSON) and OTLP (protobuf) tests.</summary>
    public static class ExportedTraceAssertions
    {
        public const int SpanCount = 9;

        /// <summary>Root → Nesting.Outer(3) → 2 × Nesting.Inner; analyze (tags, metadata); Errors.Throws(4); three outputs.</summary>
        public static void RunWorkload(TracedWork work)
        {
            Assert.Equal(14, work.Call("Nesting", "Outer", 3));
            Assert.Equal("positive", work.Call("Calc", "Analyze", "good text"));
            Assert.ThrowsAny<Exception>(() => work.Call("Errors", "Throws", 4));
            work.Call("Outputs", "Ratio");
            work.Call("Outputs", "Flag");
            work.Call("Outputs", "Big");
        }

        public static void AssertWorkloadArrived(IReadOnlyList<ReceivedSpan> spans, TracedWork work, string serviceName)
        {
            Assert.Equal(SpanCount, spans.Count);
            Assert.Equal(SpanCount, spans.Select(s => s.SpanId).Distinct().Count());
            var root = Single(spans, "export-test");
            Assert.Equal(work.Root.SpanId.ToHexString(), root.SpanId);
            Assert.Null(root.ParentSpanId);

            foreach (var span in spans)
            {
                Assert.Equal(work.TraceId, span.TraceId);
                Assert.Equal(1, span.Kind);   // INTERNAL
                Assert.Equal("Mirascope.Ops", span.ScopeName);
                Assert.Equal(OpsActivitySource.Version, span.ScopeVersion);
                Assert.True(span.StartTimeUnixNano > 1_600_000_000_000_000_000UL, "start is unix nanoseconds");
                Assert.True(span.EndTimeUnixNano >= span.StartTimeUnixNano);
                Assert.Equal(serviceName, span.Resource["service.name"]);
                Assert.Equal("opentelemetry", span.Resource["telemetry.sdk.name"]);
                Assert.Equal("dotnet", span.Resource["telemetry.sdk.language"]);
                Assert.False(string.IsNullOrEmpty(span.Resource["telemetry.sdk.version"] as string));
                Assert.Equal(OpsActivitySource.Version, span.Resource["mirascope.ops.version"]);
            }

            var outer = Single(spans, "Nesting.Outer");
            Assert.Equal(root.SpanId, outer.ParentSpanId);
            Assert.Equal("trace", outer["mirascope.type"]);
            Assert.Equal("Nesting.Outer", outer["mirascope.fn.qualname"]);
            Assert.Equal("AssemblyToProcess", outer["mirascope.fn.module"]);
            Assert.Equal(false, outer["mirascope.fn.is_async"]);
            Assert.Equal("AssemblyToProcess.Nesting.Outer", outer["code.function.name"]);
            Assert.Equal("{\"x\":\"int\"}", outer["mirascope.trace.arg_types"]);
            Assert.Equal("{\"x\":3}", outer["mirascope.trace.arg_values"]);
            Assert.Equal(14L, outer["mirascope.trace.output"]);
            Assert.Equal(0, outer.StatusCode);

            var inners = spans.Where(s => s.Name == "Nesting.Inner").OrderBy(s => s.StartTimeUnixNano).ToList();
            Assert.Equal(2, inners.Count);
            Assert.All(inners, inner => Assert.Equal(outer.SpanId, inner.ParentSpanId));
            Assert.Equal(new object?[] { "{\"x\":3}", "{\"x\":4}" }, inners.Select(i => i["mirascope.trace.arg_values"]));
            Assert.Equal(new object?[] { 6L, 8L }, inners.Select(i => i["mirascope.trace.output"]));

            var analyze = Single(spans, "analyze");
            Assert.Equal(root.SpanId, analyze.ParentSpanId);
            Assert.Equal(new object?[] { "ml-pipeline", "production" }, (object?[])analyze["mirascope.trace.tags"]!);
            Assert.Contains("\"version\":\"1.0\"", (string)analyze["mirascope.trace.metadata"]!);
            Assert.Equal("positive", analyze["mirascope.trace.output"]);

            var failed = Single(spans, "Errors.Throws");
            Assert.Equal(2, failed.StatusCode);   // ERROR
            Assert.Equal("no book 4", failed.StatusMessage);
            Assert.Equal("AssemblyToProcess.BookNotFoundException", failed["error.type"]);
            var exception = Assert.Single(failed.Events);
            Assert.Equal("exception", exception.Name);
            Assert.Equal("AssemblyToProcess.BookNotFoundException", exception.Attributes["exception.type"]);
            Assert.Equal("no book 4", exception.Attributes["exception.message"]);
            Assert.Contains("BookNotFoundException", (string)exception.Attributes["exception.stacktrace"]!);
            Assert.True(exception.TimeUnixNano >= failed.StartTimeUnixNano);

            Assert.Equal(0.25, Single(spans, "Outputs.Ratio")["mirascope.trace.output"]);
            Assert.Equal(true, Single(spans, "Outputs.Flag")["mirascope.trace.output"]);
            Assert.Equal(1L << 40, Single(spans, "Outputs.Big")["mirascope.trace.output"]);
        }

        private static ReceivedSpan Single(IReadOnlyList<ReceivedSpan> spans, string name)
        {
            var matches = spans.Where(s => s.Name == name).ToList();
            Assert.True(matches.Count == 1, $"expected one span '{name}', got {matches.Count}: {string.Join(", ", spans.Select(s => s.Name))}");
            return matches[0];
        }
    }
}
