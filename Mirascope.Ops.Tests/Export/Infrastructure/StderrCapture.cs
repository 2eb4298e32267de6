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
    }
}
