using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;

namespace Mirascope.Ops.Export
{
    /// <summary>
    /// The stderr lines, so a wrong API key or a dead receiver is seen without any logging set up: one the first time
    /// spans for a destination are dropped in this process; one per configuration error (a rejected key, no receiver at
    /// the endpoint, the wrong protocol), whatever was written before; and at shutdown, when spans were lost, the count
    /// by reason (<see cref="ExitSummary"/>). Off when the app set a <c>Logger</c> (the warnings go
    /// there) or turned it off (<c>OpsOptions.WarnOnStderr</c>, <c>MIRASCOPE_WARN_ON_STDERR</c>). The text it gets is
    /// already redacted; it is kept to one line and bounded, whatever a receiver's error body holds.
    /// </summary>
    internal sealed class StderrDropWarning
    {
        private const int MaxReasonLength = 400;

        // Per process, not per exporter: reconfiguring (or OpsLlm.Instrument rebuilding the pipeline) must not repeat it.
        // Kept per writer, which for the process's stderr is per process; a writer an app or a test put in its place
        // gets its own lines instead of finding them taken by an earlier exporter that happened to use the same port.
        private static readonly ConditionalWeakTable<TextWriter, ConcurrentDictionary<string, byte>> WarnedPerWriter =
            new ConditionalWeakTable<TextWriter, ConcurrentDictionary<string, byte>>();

        private readonly string _destination;
        private readonly Func<TextWriter> _stderr;
        private volatile bool _done;

        /// <param name="destination">The destination with its endpoint, e.g. <c>Mirascope Cloud (https://…/traces)</c>.</param>
        /// <param name="stderr">Where the line goes, looked up when it is written (the process's stderr; tests replace it).</param>
        public StderrDropWarning(string destination, Func<TextWriter> stderr)
        {
            _destination = destination;
            _stderr = stderr;
        }

        /// <summary>Whether this exporter already wrote the line (or found it written for its destination).</summary>
        public bool Shown => _done;

        /// <summary>Writes the line if it was not written for this destination yet. Never throws.</summary>
        public void Warn(string reason)
        {
            if (_done)
            {
                return;
            }

            _done = true;
            if (FirstTime(_destination, out var writer))
            {
                Write(writer, Line(_destination, reason));
            }
        }

        /// <summary>
        /// A configuration error's own line (a rejected key, no receiver at the endpoint, the wrong protocol): written
        /// once per destination and kind of error, even after the first-drop line, which it then stands for. Never throws.
        /// </summary>
        public void WarnConfiguration(string kind, string line)
        {
            _done = true;
            FirstTime(_destination, out _);
            if (FirstTime(_destination + "\n" + kind, out var writer))
            {
                Write(writer, "Mirascope.Ops: " + OneLine(line) + ". Every span sent there is dropped (and counted in OpsExport.Statistics) until this is fixed.");
            }
        }

        /// <summary>
        /// The line for failed annotations or function registrations (<paramref name="what"/>): once per destination and
        /// kind in the process, like the first-drop line of spans. Never throws.
        /// </summary>
        public void WarnRequests(string what, string reason)
        {
            if (FirstTime(_destination + "\n" + what, out var writer))
            {
                Write(writer, "Mirascope.Ops: " + what + " sent to " + _destination + " are failing: " + OneLine(reason)
                    + ". This is shown once; OpsExport.Statistics (" + (what == "annotations" ? "Annotations" : "FunctionRegistrations") + ") counts every one.");
            }
        }

        /// <summary>The account at shutdown of an exporter that lost spans (<see cref="ExitSummary"/>). Never throws.</summary>
        public void WarnAtExit(string line)
        {
            if (TryGetWriter(out var writer))
            {
                Write(writer, line);
            }
        }

        /// <summary>Whether <paramref name="key"/> is new for the writer the line would go to (false when there is none).</summary>
        private bool FirstTime(string key, out TextWriter writer)
        {
            return TryGetWriter(out writer)
                && WarnedPerWriter.GetValue(writer, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal)).TryAdd(key, 0);
        }

        private bool TryGetWriter(out TextWriter writer)
        {
            try
            {
                writer = _stderr();
                return writer != null;
            }
            catch (Exception)
            {
                writer = TextWriter.Null;   // a broken stderr must not reach the app
                return false;
            }
        }

        private static void Write(TextWriter writer, string line)
        {
            try
            {
                writer.WriteLine(line);
                writer.Flush();
            }
            catch (Exception)
            {
                // A closed or broken stderr must not reach the app; the EventSource still has the details.
            }
        }

        internal static string Line(string destination, string reason) =>
            "Mirascope.Ops: spans exported to " + destination + " are being dropped: " + OneLine(reason)
            + ". This is shown once; OpsExport.Statistics counts every dropped span and the Mirascope-Ops EventSource (or OpsOptions.Logger) reports each failure."
            + " Turn this line off with MIRASCOPE_WARN_ON_STDERR=false or OpsOptions.WarnOnStderr = false.";

        internal static string OneLine(string text)
        {
            var line = new StringBuilder(Math.Min(text.Length, MaxReasonLength + 1));
            foreach (var c in text)
            {
                if (line.Length == MaxReasonLength)
                {
                    if (char.IsHighSurrogate(line[line.Length - 1]))
                    {
                        line.Length--;   // never half a character
                    }

                    line.Append('…');
                    break;
                }

                var category = char.GetUnicodeCategory(c);
                var breaksLine = char.IsControl(c) || category == UnicodeCategory.LineSeparator || category == UnicodeCategory.ParagraphSeparator;
                line.Append(breaksLine ? ' ' : c);
            }

            return line.ToString().Trim().TrimEnd('.');
        }
    }
}
