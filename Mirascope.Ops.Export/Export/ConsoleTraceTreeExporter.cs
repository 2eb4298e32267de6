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

        /// <summary>
        /// Whether <paramref name="span"/> is the top of a tree: its end is when the tree gets printed. A span under a
        /// Mirascope.Ops span, or under one of its own source, is not: an LLM library's own span (OpenAI's <c>chat</c>,
        /// exported once <c>OpsLlm.Instrument</c> added its source) nests under the traced call that made it instead of
        /// printing as a tree of its own before it. A span under anything else (ASP.NET Core, HttpClient) is a top.
        /// </summary>
        public static bool IsTreeTop(Activity span) =>
            span.Parent is null
            || !span.Parent.Recorded
            || !(ReferenceEquals(span.Parent.Source, span.Source) || span.Parent.Source.Name == OpsActivitySource.Name);

        public override BatchOutcome Export(IReadOnlyList<Activity> batch, Resource resource, CancellationToken cancellation)
        {
            var output = new StringBuilder();
            var printed = 0;
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
                    printed += TakeTree(span, spans, output);
                    if (spans.Count == 0)
                    {
                        _pending.Remove(span.TraceId);
                    }
                }
            }

            if (_pendingCount > MaxPendingSpans)
            {
                printed += TakeAll(output);
            }

            return Print(output, printed) ? BatchOutcome.Delivered : BatchOutcome.Dropped;
        }

        public override void Finish(Resource resource)
        {
            var output = new StringBuilder();
            var printed = TakeAll(output);
            Print(output, printed);
        }

        /// <returns>How many spans were taken into <paramref name="output"/>.</returns>
        private int TakeTree(Activity top, List<Activity> spans, StringBuilder output)
        {
            var children = spans.Where(s => s != top).ToLookup(s => s.ParentSpanId);
            var taken = new HashSet<Activity>();
            _formatter.Append(output, top, children, taken);
            spans.RemoveAll(taken.Contains);
            _pendingCount -= taken.Count;
            return taken.Count;
        }

        /// <summary>Prints every pending span, topped by those whose parent is not pending (their top never ended here).</summary>
        private int TakeAll(StringBuilder output)
        {
            var printed = 0;
            foreach (var spans in _pending.Values)
            {
                var ids = new HashSet<ActivitySpanId>(spans.Select(s => s.SpanId));
                var children = spans.ToLookup(s => s.ParentSpanId);
                var taken = new HashSet<Activity>();
                foreach (var top in spans.Where(s => !ids.Contains(s.ParentSpanId)).OrderBy(s => s.StartTimeUtc))
                {
                    _formatter.Append(output, top, children, taken);
                }

                // Spans no top reaches (parent links that loop) are printed as tops of their own, never lost.
                foreach (var span in spans.Where(s => !taken.Contains(s)).OrderBy(s => s.StartTimeUtc).ToList())
                {
                    if (!taken.Contains(span))
                    {
                        _formatter.Append(output, span, children, taken);
                    }
                }

                printed += taken.Count;
            }

            _pending.Clear();
            _pendingCount = 0;
            return printed;
        }

        /// <summary>Writes <paramref name="output"/> and counts its <paramref name="spans"/> as exported, or as dropped if the write failed.</summary>
        private bool Print(StringBuilder output, int spans)
        {
            if (output.Length == 0)
            {
                Statistics.AddExported(spans);
                return true;
            }

            try
            {
                lock (_writer)
                {
                    _writer.Write(output.ToString());
                    _writer.Flush();
                }

                Statistics.AddExported(spans);
                return true;
            }
            catch (Exception exception) when (exception is IOException || exception is ObjectDisposedException)
            {
                Statistics.AddDropped(DropReason.ExportError, spans);
                Diagnostics.ExportFailed(spans, "the console could not be written: " + exception.GetType().Name + ": " + exception.Message);
                Diagnostics.Unexpected("console export", exception);
                return false;
            }
        }
    }
}
