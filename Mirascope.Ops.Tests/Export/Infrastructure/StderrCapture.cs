using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Mirascope.Ops.Tests.Export.Infrastructure
{
    /// <summary>Stands in for the process's stderr in one pipeline (<c>OpsOptions.StandardError</c>), so tests of the first-drop line can run in parallel.</summary>
    public sealed class StderrCapture
    {
        private readonly StringWriter _text = new StringWriter();

        public StderrCapture()
        {
            Writer = TextWriter.Synchronized(_text);
        }

        public TextWriter Writer { get; }

        public string Text => _text.ToString();

        public IReadOnlyList<string> Lines => Text.Split(new[] { Environment.NewLine }, StringSplitOptions.RemoveEmptyEntries).ToList();

        /// <summary>The lines written while spans are lost (first drop, configuration errors), without the account at shutdown.</summary>
        public IReadOnlyList<string> WarningLines => Lines.Where(l => !IsExitSummary(l)).ToList();

        /// <summary>The accounts at shutdown ("N of M spans for … not delivered: …").</summary>
        public IReadOnlyList<string> ExitLines => Lines.Where(IsExitSummary).ToList();

        public static bool IsExitSummary(string line) => line.Contains(" not delivered: ", StringComparison.Ordinal);
    }
}
