using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Mirascope.Ops.Tests.Package
{
    /// <summary>
    /// Reads the trace trees a program printed back into their shape: span names, nesting and failure marks,
    /// rendered canonically (two spaces per level, <c>!</c> after a failed span) so a test compares whole trees.
    /// </summary>
    /// <remarks>
    /// Only lines that start (after tree drawing) with one of the given span names count, so the program's own
    /// output in between does not matter, and neither does the exact drawing: indentation by spaces or by
    /// <c>├─ │ └─</c> gives the same shape. A span is failed when its line says ERROR.
    /// This is the one place that knows the printed format: when the smoke programs switch from their stand-in
    /// listener to Ops.Configure()'s console tree, only the failure mark here may need to follow it.
    /// </remarks>
    internal static class TraceTreeOutput
    {
        private const string TreeDrawing = " │├└─|`+-";

        public static string Shape(string output, IEnumerable<string> spanNames)
        {
            var names = new HashSet<string>(spanNames, StringComparer.Ordinal);
            var shape = new StringBuilder();
            var indents = new List<int>();
            foreach (var raw in output.Split('\n'))
            {
                var line = raw.TrimEnd('\r');
                var indent = 0;
                while (indent < line.Length && TreeDrawing.IndexOf(line[indent]) >= 0)
                {
                    indent++;
                }

                var rest = line.Substring(indent);
                var name = rest.Split(' ', 2)[0];
                if (!names.Contains(name))
                {
                    indents.Clear();
                    continue;
                }

                // Depth = how many shallower indents are open above this line in the same tree.
                while (indents.Count > 0 && indents[^1] >= indent)
                {
                    if (indents[^1] == indent)
                    {
                        break;
                    }

                    indents.RemoveAt(indents.Count - 1);
                }

                if (indents.Count == 0 || indents[^1] != indent)
                {
                    indents.Add(indent);
                }

                var depth = indents.Count - 1;
                var failed = rest.Contains("ERROR", StringComparison.Ordinal);
                shape.Append(' ', depth * 2).Append(name).Append(failed ? " !" : string.Empty).Append('\n');
            }

            return shape.ToString();
        }
    }
}
