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
    /// The format is the console trace tree of OpsExport.Configure() (docs/configuration.md), in Unicode or ASCII:
    /// <code>
    /// ● Shop.Checkout  0.12 ms  args {"items":[3,4]}  → 14
    ///   ├─ Shop.Price  0.01 ms  args {"item":3}  → 6
    ///   └─ ✗ Shop.Fail  0.30 ms  error InvalidOperationException: widget is out of stock
    /// </code>
    /// Only lines whose first word after the tree drawing and the ●/✗ (or */x) mark is one of the given span names
    /// count, so the program's own output in between does not matter. A span is failed when it is marked ✗ (or x).
    /// </remarks>
    internal static class TraceTreeOutput
    {
        private const string TreeDrawing = " │├└─|`-";
        private static readonly string[] OkMarks = { "●", "*" };
        private static readonly string[] FailedMarks = { "✗", "x" };

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

                var words = line.Substring(indent).Split(' ', 3);
                var failed = FailedMarks.Contains(words[0]);
                var name = failed || OkMarks.Contains(words[0]) ? (words.Length > 1 ? words[1] : string.Empty) : words[0];
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
                shape.Append(' ', depth * 2).Append(name).Append(failed ? " !" : string.Empty).Append('\n');
            }

            return shape.ToString();
        }
    }
}
