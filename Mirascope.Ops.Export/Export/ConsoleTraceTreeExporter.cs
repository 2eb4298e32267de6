using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Mirascope.Ops.Tracing;
using OpenTelemetry.Resources;

namespace Mirascope.Ops.Export
{
    /// <summary>
    /// Prints each finished trace as an indented tree (see <see cref="TraceTreeFormatter"/>). Spans wait here until
    /// the top of their tree ends — a span with no parent in this process, or whose parent is not a Mirascope.Ops
    /// span — and are printed with it in one write.
    /// </summary>
    internal sealed class ConsoleTraceTreeExporter : SpanBatchExporter
    {
        /// <summary>More unfinished spans than this and the pending trees are printed as they are, to bound memory.</summary>
        internal const int MaxPendingSpans = 10_000;

        private readonly TextWriter _writer;
        private readonly TraceTreeFormatter _formatter;
        private readonly Dictionary<ActivityTraceId, List<Activity>> _pending = new Dictionary<ActivityTraceId, List<Activity>>();
        private int _pendingCount;

        public ConsoleTraceTreeExporter(TextWriter writer, TraceTreeFormatter formatter, ExportDiagnostics diagnostics)
            : base(diagnostics)
        {
            _writer = writer;
            _formatter = formatter;
        }

        /// <summary>Whether <paramref name="span"/> is the top of a tree: its end is when the tree gets printed.</summary>
        public static bool IsTreeTop(Activity span) =>
            span.Parent is null || !ReferenceEquals(span.Parent.Source, span.Source) || !span.Parent.Recorded;

        public override BatchOutcome Export(IReadOnlyList<Activity> batch, Resource resource, CancellationToken cancellation)
        {
            var output = new StringBuilder();
            for (var i = 0; i < batch.Count; i++)
            {
                var span = batch[i];
                if (!_pending.TryGetValue(span.TraceId, out var spans))
                {
                    _pending[span.TraceId] = spans = new List<Activity>();
                }

                spans.Add(span);
                _pendingCount++;
                if (IsTreeTop(span))
                {
                    TakeTree(span, spans, output);
                    if (spans.Count == 0)
                    {
                        _pending.Remove(span.TraceId);
                    }
                }
            }

            if (_pendingCount > MaxPendingSpans)
            {
                TakeAll(output);
            }

            Print(output);
            return BatchOutcome.Delivered;
        }

        public override void Finish(Resource resource)
        {
            var output = new StringBuilder();
            TakeAll(output);
            Print(output);
        }

        private void TakeTree(Activity top, List<Activity> spans, StringBuilder output)
        {
            var children = spans.Where(s => s != top).ToLookup(s => s.ParentSpanId);
            var taken = new HashSet<Activity>();
            _formatter.Append(output, top, children, taken);
            spans.RemoveAll(taken.Contains);
            _pendingCount -= taken.Count;
            Statistics.AddExported(taken.Count);
        }

        /// <summary>Prints every pending span, topped by those whose parent is not pending (their top never ended here).</summary>
        private void TakeAll(StringBuilder output)
        {
            foreach (var spans in _pending.Values)
            {
                var ids = new HashSet<ActivitySpanId>(spans.Select(s => s.SpanId));
                var children = spans.ToLookup(s => s.ParentSpanId);
                var taken = new HashSet<Activity>();
                foreach (var top in spans.Where(s => !ids.Contains(s.ParentSpanId)).OrderBy(s => s.StartTimeUtc))
                {
                    _formatter.Append(output, top, children, taken);
                }

                Statistics.AddExported(taken.Count);
            }

            _pending.Clear();
            _pendingCount = 0;
        }

        private void Print(StringBuilder output)
        {
            if (output.Length == 0)
            {
                return;
            }

            try
            {
                lock (_writer)
                {
                    _writer.Write(output.ToString());
                    _writer.Flush();
                }
            }
            catch (Exception exception) when (exception is IOException || exception is ObjectDisposedException)
            {
                Diagnostics.Unexpected("console export", exception);
            }
        }
    }
}
